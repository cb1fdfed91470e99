package dev.imageflow.core.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.imageflow.core.storage.StoreUnavailableException;
import dev.imageflow.core.test.TestStores;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The functions' Redis client: Lettuce's, with only the asynchronous API on its connections. */
class AsyncRedisClientTest {

    private final ClientResources resources = DefaultClientResources.create();
    private final AsyncRedisClient client =
            new AsyncRedisClient(resources, TestStores.get().redis().url());

    @AfterEach
    void close() {
        client.shutdown();
        resources.shutdown();
    }

    @Test
    void itsConnectionsAnswerAsynchronousCommandsAndRefuseTheOtherApis() throws Exception {
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            String key = "imageflow:test:" + UUID.randomUUID();

            connection.async().setex(key, 60, "value").get(5, TimeUnit.SECONDS);

            assertThat(connection.async().get(key).get(5, TimeUnit.SECONDS)).isEqualTo("value");
            assertThatThrownBy(connection::sync)
                    .isInstanceOf(UnsupportedOperationException.class)
                    .hasMessageContaining("async()");
            assertThatThrownBy(connection::reactive).isInstanceOf(UnsupportedOperationException.class);
        }
    }

    @Test
    void aCommandRedisDoesNotAnswerInTheCommandTimeoutLeavesTheStoreUnavailableSoon() {
        AsyncRedisClient slow =
                new AsyncRedisClient(resources, TestStores.get().redis().url());
        slow.setOptions(ClientOptions.builder()
                .timeoutOptions(TimeoutOptions.enabled(Duration.ofMillis(300)))
                .build());
        try (RedisConnection connection = new RedisConnection(slow)) {
            long started = System.nanoTime();

            // BLPOP on a key nobody pushes to: Redis holds the answer back for 10 s.
            assertThatThrownBy(() -> connection.call(r -> r.blpop(10, "imageflow:test:empty:" + UUID.randomUUID())))
                    .isInstanceOf(StoreUnavailableException.class);
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));
        } finally {
            slow.shutdown();
        }
    }

    @Test
    void anErrorRedisAnswersIsPassedOnAsSuchNotAsAnUnavailableStore() {
        try (RedisConnection connection = new RedisConnection(client)) {
            assertThatThrownBy(() -> connection.call(
                            r -> r.eval("return redis.error_reply('refused by the test')", ScriptOutputType.INTEGER)))
                    .isInstanceOf(RedisCommandExecutionException.class)
                    .hasMessageContaining("refused by the test");
        }
    }

    @Test
    void aJobStoreOnItKeepsAndEndsJobs() {
        try (RedisConnection connection = new RedisConnection(client)) {
            JobStore jobs = new JobStore(
                    connection,
                    new ObjectMapper().registerModule(new JavaTimeModule()),
                    TestStores.get().redisProperties(),
                    Clock.systemUTC());
            String id = UUID.randomUUID().toString();
            JobRecord job =
                    JobRecord.pending(id, List.of("bw"), Map.of(), "originals/" + id, "image/jpeg", Instant.now());

            assertThat(jobs.create(job, Duration.ofMinutes(1))).isTrue();
            assertThat(jobs.find(id)).map(JobRecord::status).contains(JobStatus.PENDING);
            assertThat(jobs.fail(id, "stopped by the test")).isTrue();
            assertThat(jobs.find(id)).map(JobRecord::status).contains(JobStatus.FAILED);

            jobs.delete(id);
            assertThat(jobs.find(id)).isEmpty();
        }
    }
}
