package dev.imageflow.core.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

/** One collection once a function goes idle after work; none while it works, none for probes alone. */
class IdleHeapCollectorTest {

    private static final Duration IDLE = Duration.ofMillis(100);

    private final AtomicInteger collections = new AtomicInteger();
    private final IdleHeapCollector collector = new IdleHeapCollector(IDLE, collections::incrementAndGet);

    @AfterEach
    void stop() {
        collector.destroy();
    }

    @Test
    void collectsOnceWhenIdleAfterARequest() throws Exception {
        request("/");
        await().atMost(Duration.ofSeconds(5)).until(() -> collections.get() == 1);
        Thread.sleep(3 * IDLE.toMillis());
        assertThat(collections).as("once per idle period, not every period").hasValue(1);

        request("/");
        await().atMost(Duration.ofSeconds(5)).until(() -> collections.get() == 2);
    }

    @Test
    void neverWhileARequestIsInFlight() throws Exception {
        collector.started();
        collector.started();
        collector.finished();
        Thread.sleep(3 * IDLE.toMillis());
        assertThat(collections).hasValue(0);

        collector.finished();
        await().atMost(Duration.ofSeconds(5)).until(() -> collections.get() == 1);
    }

    @Test
    void eachRequestPutsTheCollectionOff() throws Exception {
        // Requests 50 ms apart for three times the idle time: a busy pod, which must not collect meanwhile.
        Duration idle = Duration.ofMillis(500);
        IdleHeapCollector busy = new IdleHeapCollector(idle, collections::incrementAndGet);
        try {
            long start = System.nanoTime();
            while (System.nanoTime() - start < 3 * idle.toNanos()) {
                busy.doFilter(
                        new MockHttpServletRequest("POST", "/"), new MockHttpServletResponse(), new MockFilterChain());
                Thread.sleep(50);
            }
            int duringWork = collections.get();
            await().atMost(Duration.ofSeconds(5)).until(() -> collections.get() == 1);
            assertThat(duringWork).isZero();
        } finally {
            busy.destroy();
        }
    }

    @Test
    void probesAloneDoNotCollect() throws Exception {
        request("/actuator/health/readiness");
        request("/actuator/health/liveness");
        Thread.sleep(3 * IDLE.toMillis());
        assertThat(collections).hasValue(0);
    }

    @Test
    void zeroTurnsItOff() throws Exception {
        IdleHeapCollector off = new IdleHeapCollector(Duration.ZERO, collections::incrementAndGet);
        try {
            off.doFilter(new MockHttpServletRequest("POST", "/"), new MockHttpServletResponse(), new MockFilterChain());
            Thread.sleep(3 * IDLE.toMillis());
            assertThat(collections).hasValue(0);
        } finally {
            off.destroy();
        }
    }

    private void request(String path) throws Exception {
        collector.doFilter(
                new MockHttpServletRequest("POST", path), new MockHttpServletResponse(), new MockFilterChain());
    }

    @Test
    void theCollectionLeavesTheHeapRatiosAsItFoundThem() {
        HotSpotDiagnosticMXBean vm = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
        String minFree = vm.getVMOption("MinHeapFreeRatio").getValue();
        String maxFree = vm.getVMOption("MaxHeapFreeRatio").getValue();

        IdleHeapCollector.collectAndShrink();

        assertThat(vm.getVMOption("MinHeapFreeRatio").getValue()).isEqualTo(minFree);
        assertThat(vm.getVMOption("MaxHeapFreeRatio").getValue()).isEqualTo(maxFree);
    }
}
