package dev.imageflow.core.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class HeapBudgetTest {

    private static final long MP = 1_000_000;

    /** A thread per waiting request: the common pool may have a single thread on a small machine. */
    private final java.util.concurrent.ExecutorService threads = java.util.concurrent.Executors.newCachedThreadPool();

    @org.junit.jupiter.api.AfterEach
    void stopThreads() {
        threads.shutdownNow();
    }

    @Test
    void aSecondImageWaitsUntilTheFirstOneIsReleased() throws Exception {
        HeapBudget budget = new HeapBudget(12 * MP * HeapBudget.BYTES_PER_PIXEL, Duration.ofSeconds(30));
        HeapBudget.Lease first = budget.forPixels(8 * MP);

        CompletableFuture<HeapBudget.Lease> second =
                CompletableFuture.supplyAsync(() -> budget.forPixels(8 * MP), threads);

        awaitWaiting(budget, 1);
        assertThat(second).as("no room while the first image is held").isNotDone();
        first.close();
        try (HeapBudget.Lease lease = second.get(10, TimeUnit.SECONDS)) {
            assertThat(budget.used()).isEqualTo(8 * MP * HeapBudget.BYTES_PER_PIXEL);
        }
        assertThat(budget.used()).isZero();
    }

    @Test
    void imagesThatFitTogetherAreHeldTogether() {
        HeapBudget budget = new HeapBudget(12 * MP * HeapBudget.BYTES_PER_PIXEL, Duration.ZERO);

        try (HeapBudget.Lease a = budget.forPixels(6 * MP);
                HeapBudget.Lease b = budget.forPixels(6 * MP)) {
            assertThat(budget.used()).isEqualTo(budget.capacity());
        }
    }

    @Test
    void anImageLargerThanTheWholeBudgetIsLetInAlone() throws Exception {
        HeapBudget budget = new HeapBudget(4 * MP * HeapBudget.BYTES_PER_PIXEL, Duration.ofSeconds(30));

        try (HeapBudget.Lease huge = budget.forPixels(50 * MP)) {
            assertThat(budget.used()).isEqualTo(budget.capacity());
            CompletableFuture<HeapBudget.Lease> small =
                    CompletableFuture.supplyAsync(() -> budget.forPixels(1), threads);
            awaitWaiting(budget, 1);
            assertThat(small).as("nothing else while it is held").isNotDone();
            huge.close();
            small.get(10, TimeUnit.SECONDS).close();
        }
    }

    @Test
    void aLargeImageWaitingFirstIsNotOvertakenBySmallerOnes() throws Exception {
        HeapBudget budget = new HeapBudget(10 * MP * HeapBudget.BYTES_PER_PIXEL, Duration.ofSeconds(30));
        HeapBudget.Lease held = budget.forPixels(5 * MP);
        CompletableFuture<HeapBudget.Lease> large =
                CompletableFuture.supplyAsync(() -> budget.forPixels(10 * MP), threads);
        awaitWaiting(budget, 1);

        CompletableFuture<HeapBudget.Lease> small = CompletableFuture.supplyAsync(() -> budget.forPixels(MP), threads);
        awaitWaiting(budget, 2);

        assertThat(small).as("it would fit, but the large one came first").isNotDone();
        held.close();
        large.get(10, TimeUnit.SECONDS).close();
        small.get(10, TimeUnit.SECONDS).close();
        assertThat(budget.used()).isZero();
    }

    @Test
    void anUploadHoldsRoomForItsCopies() {
        HeapBudget budget = new HeapBudget(100 * MP, Duration.ZERO);

        try (HeapBudget.Lease upload = budget.forUpload(6 * MP)) {
            assertThat(upload.bytes()).isEqualTo(6 * MP * HeapBudget.BYTES_PER_UPLOADED_BYTE);
        }
    }

    @Test
    void noRoomWithinTheWaitIsATransientFailure() {
        HeapBudget budget = new HeapBudget(MP * HeapBudget.BYTES_PER_PIXEL, Duration.ofMillis(100));

        try (HeapBudget.Lease held = budget.forPixels(MP)) {
            assertThatThrownBy(() -> budget.forPixels(MP))
                    .isInstanceOf(HeapBudget.MemoryBusyException.class)
                    .hasMessageContaining("try again later");
        }
    }

    @Test
    void aLeaseGivesItsRoomBackOnce() {
        HeapBudget budget = new HeapBudget(2 * MP * HeapBudget.BYTES_PER_PIXEL, Duration.ZERO);
        HeapBudget.Lease a = budget.forPixels(MP);
        HeapBudget.Lease b = budget.forPixels(MP);

        a.close();
        a.close();

        assertThat(budget.used()).isEqualTo(MP * HeapBudget.BYTES_PER_PIXEL);
        b.close();
    }

    @Test
    void decodingHoldsTheImagesRoomUntilTheDecodedImageIsClosed() {
        ImageCodec codec =
                new ImageCodec(new ImageLimits(org.springframework.util.unit.DataSize.ofMegabytes(5), 50, 85));
        HeapBudget budget = new HeapBudget(MP * HeapBudget.BYTES_PER_PIXEL, Duration.ZERO);
        byte[] jpeg = dev.imageflow.core.test.TestImages.jpeg(dev.imageflow.core.test.TestImages.photo(400, 300));

        try (DecodedImage decoded = codec.decode(jpeg, budget)) {
            assertThat(budget.used()).isEqualTo(400L * 300 * HeapBudget.BYTES_PER_PIXEL);
            assertThat(decoded.image().getWidth()).isEqualTo(400);
        }
        assertThat(budget.used()).isZero();
    }

    private static void awaitWaiting(HeapBudget budget, int requests) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (budget.waiting() < requests) {
            assertThat(System.nanoTime()).as("requests waiting").isLessThan(deadline);
            Thread.sleep(5);
        }
    }
}
