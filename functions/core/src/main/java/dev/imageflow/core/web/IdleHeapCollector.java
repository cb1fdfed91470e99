package dev.imageflow.core.web;

import com.sun.management.HotSpotDiagnosticMXBean;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Gives the heap a request grew back to the OS once the function is idle, as G1's periodic collection does, for the
 * Serial collector the pods run: Serial shrinks its heap only at a full collection, which an idle pod never has, so
 * a pod that decoded one 2 MP photo kept its grown heap until Knative scaled it to zero. This runs one full
 * collection (the {@code collector}: {@link #collectAndShrink()} in a function) once no request has arrived for
 * {@code idleAfter} since the last one ended. Probes ({@code /actuator/**}) neither count as work nor re-arm it, so an
 * idle pod collects once, not every probe period; a pod kept busy never collects, since every request re-arms it.
 * An {@code idleAfter} of zero turns it off. Measured on bw after one 2 MP step: old generation 35 -> 27 MB, idle RSS
 * (with Netty unpooled as well) 188 -> 175 MB, back to back on bench/cold-start.sh.
 */
public class IdleHeapCollector extends OncePerRequestFilter implements DisposableBean {

    private final Duration idleAfter;
    private final Runnable collector;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "idle-heap-collector");
        thread.setDaemon(true);
        return thread;
    });
    private int inFlight;
    /** Counts the requests ended: a timer set after an earlier one finds it moved on and does nothing. */
    private long ended;

    private ScheduledFuture<?> pending;

    public IdleHeapCollector(Duration idleAfter, Runnable collector) {
        this.idleAfter = idleAfter;
        this.collector = collector;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return request.getRequestURI().startsWith("/actuator/");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        started();
        try {
            chain.doFilter(request, response);
        } finally {
            finished();
        }
    }

    synchronized void started() {
        inFlight++;
        if (pending != null) {
            pending.cancel(false);
            pending = null;
        }
    }

    synchronized void finished() {
        inFlight--;
        long last = ++ended;
        if (inFlight == 0 && !idleAfter.isZero() && !idleAfter.isNegative() && !timer.isShutdown()) {
            pending = timer.schedule(() -> collectIfStillIdle(last), idleAfter.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private void collectIfStillIdle(long last) {
        synchronized (this) {
            if (inFlight > 0 || ended != last) {
                return;
            }
            pending = null;
        }
        collector.run();
    }

    /**
     * One full collection that leaves the heap little bigger than what is live. With the default ratios a full
     * collection keeps up to 70% free, or grows the heap to keep 40% free (bw's old generation went from 35 to 58 MB
     * at the first idle collection), so both are lowered for this one collection and put back after it: the heap
     * under load is sized as before. Needs {@code -XX:-ShrinkHeapInSteps}, which the Services set: otherwise Serial
     * shrinks by 0% at the first full collection, 10% at the second, and so on. One at a time in the JVM: on one
     * machine every function has its own collector, and two interleaved would put back each other's lowered ratios.
     */
    public static synchronized void collectAndShrink() {
        HotSpotDiagnosticMXBean vm = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
        String minFree = vm.getVMOption("MinHeapFreeRatio").getValue();
        String maxFree = vm.getVMOption("MaxHeapFreeRatio").getValue();
        // In this order, so that MinHeapFreeRatio <= MaxHeapFreeRatio holds at every step, as the JVM requires.
        vm.setVMOption("MinHeapFreeRatio", "0");
        vm.setVMOption("MaxHeapFreeRatio", "10");
        try {
            System.gc();
        } finally {
            vm.setVMOption("MaxHeapFreeRatio", maxFree);
            vm.setVMOption("MinHeapFreeRatio", minFree);
        }
    }

    @Override
    public void destroy() {
        timer.shutdownNow();
    }
}
