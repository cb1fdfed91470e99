package dev.imageflow.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The wake addresses point at a stub server standing in for the effect Services' readiness endpoints. */
class ServiceWakerTest {

    private final BlockingQueue<String> hits = new LinkedBlockingQueue<>();
    private final CountDownLatch release = new CountDownLatch(1);
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private HttpServer stub;
    private volatile boolean holdAnswers;

    @BeforeEach
    void startStub() throws IOException {
        stub = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        stub.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        stub.createContext("/", exchange -> {
            hits.add(
                    exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath());
            if (holdAnswers) {
                try {
                    release.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        stub.start();
    }

    @AfterEach
    void stopStub() {
        release.countDown();
        stub.stop(0);
    }

    private ServiceWaker waker(Clock clock) {
        return new ServiceWaker(
                new WakeProperties(
                        "http://127.0.0.1:" + stub.getAddress().getPort() + "/{effect}/actuator/health/readiness",
                        Duration.ofSeconds(60),
                        Duration.ofSeconds(5)),
                clock,
                registry);
    }

    @Test
    void aJobWakesEveryServiceItNeedsOnceEachAtTheirReadinessPath() throws Exception {
        waker(Clock.systemUTC()).wake(List.of("bw", "blur", "bw"));

        assertThat(List.of(next(), next()))
                .containsExactlyInAnyOrder("GET /bw/actuator/health/readiness", "GET /blur/actuator/health/readiness");
        assertThat(hits.poll(500, TimeUnit.MILLISECONDS))
                .as("bw woken a second time")
                .isNull();
        assertThat(registry.get("imageflow.gateway.wakes")
                        .tag("service", "bw")
                        .tag("outcome", "sent")
                        .counter()
                        .count())
                .isEqualTo(1);
    }

    @Test
    void aServiceIsWokenAtMostOncePerWindow() throws Exception {
        MovableClock clock = new MovableClock(Instant.parse("2026-11-25T08:00:00Z"));
        ServiceWaker waker = waker(clock);

        waker.wake(List.of("blur"));
        assertThat(next()).isEqualTo("GET /blur/actuator/health/readiness");

        clock.now = clock.now.plusSeconds(59);
        waker.wake(List.of("blur"));
        assertThat(hits.poll(500, TimeUnit.MILLISECONDS))
                .as("a wake within the window")
                .isNull();

        clock.now = clock.now.plusSeconds(1);
        waker.wake(List.of("blur"));
        assertThat(next()).isEqualTo("GET /blur/actuator/health/readiness");
        assertThat(registry.get("imageflow.gateway.wakes")
                        .tag("service", "blur")
                        .tag("outcome", "sent")
                        .counter()
                        .count())
                .isEqualTo(2);
        assertThat(registry.get("imageflow.gateway.wakes")
                        .tag("service", "blur")
                        .tag("outcome", "skipped")
                        .counter()
                        .count())
                .isEqualTo(1);
    }

    @Test
    void wakingNeverWaitsForTheServiceToAnswer() throws Exception {
        holdAnswers = true;
        ServiceWaker waker = waker(Clock.systemUTC());

        // The stub answers nothing until released; a wake that waited for it would not return before that.
        CompletableFuture<Void> woken = CompletableFuture.runAsync(() -> waker.wake(List.of("thumbnail")));
        woken.get(20, TimeUnit.SECONDS);
        assertThat(next()).isEqualTo("GET /thumbnail/actuator/health/readiness");
        assertThat(release.getCount())
                .as("the stub was still holding its answer")
                .isEqualTo(1);
    }

    @Test
    void withoutAnAddressNothingIsWoken() throws Exception {
        new ServiceWaker(
                        new WakeProperties("", Duration.ofSeconds(60), Duration.ofSeconds(1)),
                        Clock.systemUTC(),
                        registry)
                .wake(List.of("bw"));

        assertThat(hits.poll(500, TimeUnit.MILLISECONDS)).isNull();
        assertThat(registry.find("imageflow.gateway.wakes").counters()).isEmpty();
    }

    private String next() throws InterruptedException {
        String hit = hits.poll(20, TimeUnit.SECONDS);
        assertThat(hit).as("a wake request reached the stub").isNotNull();
        return hit;
    }

    private static final class MovableClock extends Clock {
        private volatile Instant now;

        MovableClock(Instant now) {
            this.now = now;
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
