package dev.imageflow.core.image;

import dev.imageflow.core.error.TryLaterException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * How much image data this JVM may hold at once, counted in heap bytes: decoded images in steps, and uploads being
 * checked and stored in the gateway. A burst of large images then queues for memory instead of running the heap
 * out. One budget serves the whole JVM: a pod's one function, or all functions of the one-machine runner.
 *
 * <p>A request larger than the whole budget is still let in, alone, so that the image limits and not this budget
 * decide what can be processed at all.
 */
public final class HeapBudget {

    /**
     * Heap bytes a step holds per decoded pixel at its peak: the decoder's raster (3), the packed copy effects work
     * on (4), the effect's output (4) and the encoder's row buffers and intermediates (measured: a 12 MP blur
     * peaks near 180 MB of live heap, about 15 bytes a pixel).
     */
    public static final int BYTES_PER_PIXEL = 16;

    /**
     * Heap bytes an upload holds per byte of its file while the gateway checks and stores it: the file itself, the
     * decoder's cache of it, the S3 client's copy and its HTTP buffer, and, on one machine, S3Proxy receiving it.
     */
    public static final int BYTES_PER_UPLOADED_BYTE = 6;

    /** For tools and tests that decode one image at a time and need no accounting. */
    public static final HeapBudget UNLIMITED = new HeapBudget(Long.MAX_VALUE, Duration.ZERO);

    private final long capacity;
    private final Duration maxWait;
    private final ReentrantLock lock = new ReentrantLock(true);
    private final Condition released = lock.newCondition();
    private final ArrayDeque<Object> queue = new ArrayDeque<>();
    private long used;

    /**
     * @param capacity heap bytes all images held at once may take together
     * @param maxWait  how long a step waits for room before it gives up with {@link MemoryBusyException}
     */
    public HeapBudget(long capacity, Duration maxWait) {
        if (capacity <= 0) {
            throw new IllegalArgumentException("a heap budget needs a positive capacity");
        }
        this.capacity = capacity;
        this.maxWait = maxWait;
    }

    /** A budget of {@code share} of the JVM's maximum heap. */
    public static HeapBudget ofHeapShare(double share, Duration maxWait) {
        return new HeapBudget((long) (Runtime.getRuntime().maxMemory() * share), maxWait);
    }

    public long capacity() {
        return capacity;
    }

    /** Heap bytes held by leases not yet closed. */
    public long used() {
        lock.lock();
        try {
            return used;
        } finally {
            lock.unlock();
        }
    }

    /** Requests waiting for room right now. */
    public int waiting() {
        lock.lock();
        try {
            return queue.size();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits until {@code pixels} decoded pixels fit, then holds their bytes until the lease is closed.
     *
     * @throws MemoryBusyException when no room came within the wait
     */
    public Lease forPixels(long pixels) {
        return reserve(Math.multiplyExact(pixels, (long) BYTES_PER_PIXEL));
    }

    /**
     * Waits until an upload of {@code fileBytes} fits, then holds what checking and storing it takes until the lease
     * is closed.
     *
     * @throws MemoryBusyException when no room came within the wait
     */
    public Lease forUpload(long fileBytes) {
        return reserve(Math.multiplyExact(fileBytes, (long) BYTES_PER_UPLOADED_BYTE));
    }

    /**
     * First come, first served: a large request at the head of the queue is not overtaken by a stream of small ones,
     * so a 12 MP step is not starved by uploads.
     */
    private Lease reserve(long wanted) {
        if (this == UNLIMITED) {
            return Lease.NONE;
        }
        long bytes = Math.min(capacity, wanted);
        long deadline = System.nanoTime() + maxWait.toNanos();
        Object turn = new Object();
        lock.lock();
        try {
            queue.addLast(turn);
            while (queue.peekFirst() != turn || used + bytes > capacity) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new MemoryBusyException(bytes, capacity - used);
                }
                released.await(left, TimeUnit.NANOSECONDS);
            }
            used += bytes;
            return new Lease(this, bytes);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MemoryBusyException(bytes, capacity - used);
        } finally {
            queue.remove(turn);
            released.signalAll();
            lock.unlock();
        }
    }

    private void release(long bytes) {
        lock.lock();
        try {
            used -= bytes;
            released.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Room held for one decoded image; closing it gives the room back, once. */
    public static final class Lease implements AutoCloseable {

        static final Lease NONE = new Lease(null, 0);

        private final HeapBudget budget;
        private final long bytes;
        private boolean closed;

        private Lease(HeapBudget budget, long bytes) {
            this.budget = budget;
            this.bytes = bytes;
        }

        public long bytes() {
            return bytes;
        }

        @Override
        public synchronized void close() {
            if (!closed && budget != null) {
                closed = true;
                budget.release(bytes);
            }
        }
    }

    /** No room for another decoded image in time: transient, so a function answers 503 and the Broker retries. */
    public static final class MemoryBusyException extends TryLaterException {

        MemoryBusyException(long wanted, long free) {
            super(
                    "too many images in memory: " + wanted / 1_000_000 + " MB wanted, " + Math.max(0, free) / 1_000_000
                            + " MB free; try again later",
                    null);
        }
    }
}
