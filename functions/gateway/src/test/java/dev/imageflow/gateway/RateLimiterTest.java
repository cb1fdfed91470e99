package dev.imageflow.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.imageflow.core.embedded.FreePort;
import dev.imageflow.core.job.RedisConnection;
import dev.imageflow.core.storage.StoreUnavailableException;
import dev.imageflow.core.test.TestStores;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.TimeoutOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The shared limiter against a real redis-server: two limiters stand for two gateway pods. */
class RateLimiterTest {

    private final RedisClient client =
            RedisClient.create(TestStores.get().redis().url());
    private final RedisConnection redis = new RedisConnection(client);
    /** A client of its own per test: keys outlive a test for up to a burst of intervals. */
    private final String clientAddress = "192.0.2." + UUID.randomUUID();

    @AfterEach
    void close() {
        redis.close();
        client.shutdown();
    }

    @Test
    void aBurstIsAllowedAtOnceAndTheNextWaitsAboutOneInterval() {
        RateLimiter limiter = new RateLimiter(redis, 60, 3);

        for (int i = 0; i < 3; i++) {
            assertThat(limiter.take(clientAddress)).as("request %d", i + 1).isZero();
        }
        Duration wait = limiter.take(clientAddress);

        assertThat(wait).isPositive().isLessThanOrEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void everyPodCountsAgainstTheSameLimit() {
        RateLimiter onePod = new RateLimiter(redis, 6, 2);
        RateLimiter anotherPod = new RateLimiter(redis, 6, 2);

        assertThat(onePod.take(clientAddress)).isZero();
        assertThat(anotherPod.take(clientAddress)).isZero();

        assertThat(onePod.take(clientAddress)).isPositive();
        assertThat(anotherPod.take(clientAddress)).isPositive();
    }

    @Test
    void concurrentRequestsCannotTakeMoreThanTheBurst() throws Exception {
        RateLimiter limiter = new RateLimiter(redis, 1, 5);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<Duration>> requests = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                requests.add(() -> limiter.take(clientAddress));
            }
            long allowed = 0;
            for (Future<Duration> answer : pool.invokeAll(requests)) {
                allowed += answer.get().isZero() ? 1 : 0;
            }
            assertThat(allowed).isEqualTo(5);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void anotherClientHasItsOwnAllowance() {
        RateLimiter limiter = new RateLimiter(redis, 6, 1);

        assertThat(limiter.take(clientAddress)).isZero();
        assertThat(limiter.take(clientAddress)).isPositive();

        assertThat(limiter.take(clientAddress + "-other")).isZero();
    }

    @Test
    void afterWaitingAsLongAsItSaidTheClientIsServedAgain() throws Exception {
        RateLimiter limiter = new RateLimiter(redis, 120, 1);
        assertThat(limiter.take(clientAddress)).isZero();
        Duration wait = limiter.take(clientAddress);
        assertThat(wait).isPositive();

        Thread.sleep(wait.toMillis() + 5);

        assertThat(limiter.take(clientAddress)).isZero();
    }

    @Test
    void anIdleClientsKeyIsGoneOnceItsAllowanceIsWhole() throws Exception {
        RateLimiter limiter = new RateLimiter(redis, 600, 2);
        limiter.take(clientAddress);

        long ttl = redis.get().sync().pttl("imageflow:rate:" + clientAddress);

        assertThat(ttl).isPositive().isLessThanOrEqualTo(100);
    }

    @Test
    void aRedisThatDoesNotAnswerIsATryLaterFailure() {
        RedisClient nowhere = RedisClient.create("redis://127.0.0.1:" + FreePort.find());
        nowhere.setOptions(ClientOptions.builder()
                .timeoutOptions(TimeoutOptions.enabled(Duration.ofSeconds(1)))
                .build());
        try (RedisConnection down = new RedisConnection(nowhere)) {
            RateLimiter limiter = new RateLimiter(down, 60, 1);

            assertThatThrownBy(() -> limiter.take(clientAddress)).isInstanceOf(StoreUnavailableException.class);
        } finally {
            nowhere.shutdown();
        }
    }
}
