package dev.imageflow.core.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import dev.imageflow.core.embedded.EmbeddedRedis;
import dev.imageflow.core.storage.StoreUnavailableException;
import dev.imageflow.core.test.TestStores;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;

class JobStoreTest {

    private final RedisClient client = RedisClient.create(TestStores.get().redis().url());
    private final StatefulRedisConnection<String, String> connection = client.connect();
    private final JobStore jobs = new JobStore(new RedisConnection(client), new ObjectMapper().registerModule(new JavaTimeModule()),
            TestStores.get().redisProperties(), Clock.systemUTC());

    @AfterEach
    void close() {
        connection.close();
        client.shutdown();
    }

    private JobRecord newJob() {
        String id = UUID.randomUUID().toString();
        JobRecord job = JobRecord.pending(id, List.of("bw", "blur"), Map.of("blur.sigma", "3"), "originals/" + id,
                "image/jpeg", Instant.now());
        assertThat(jobs.create(job, Duration.ofMinutes(10))).isTrue();
        return job;
    }

    private static StepRecord step(int n, String effect, String pod) {
        return new StepRecord(n, effect, pod, null, 12, "results/x/" + n + "-" + effect, 10, 10, Instant.now());
    }

    @Test
    void aNewJobIsPendingWithWhatWasAsked() {
        JobRecord job = newJob();

        JobRecord stored = jobs.find(job.id()).orElseThrow();

        assertThat(stored.status()).isEqualTo(JobStatus.PENDING);
        assertThat(stored.effects()).containsExactly("bw", "blur");
        assertThat(stored.params()).containsEntry("blur.sigma", "3");
        assertThat(jobs.recent(5)).startsWith(job.id());
        assertThat(jobs.create(job, Duration.ofMinutes(10))).as("same id again").isFalse();
    }

    @Test
    void aStepIsRecordedOnceAndTheJobRuns() {
        JobRecord job = newJob();

        assertThat(jobs.recordStep(job.id(), step(0, "bw", "pod-a"))).isEqualTo(JobStore.StepOutcome.RECORDED);
        assertThat(jobs.recordStep(job.id(), step(0, "bw", "pod-b"))).isEqualTo(JobStore.StepOutcome.ALREADY_RECORDED);

        JobRecord stored = jobs.find(job.id()).orElseThrow();
        assertThat(stored.status()).isEqualTo(JobStatus.RUNNING);
        assertThat(stored.steps()).singleElement().extracting(StepRecord::pod).isEqualTo("pod-a");
    }

    @Test
    void stepsComeBackInOrder() {
        JobRecord job = newJob();
        for (int i = 11; i >= 0; i--) {
            jobs.recordStep(job.id(), step(i, "bw", "p"));
        }

        assertThat(jobs.find(job.id()).orElseThrow().steps()).extracting(StepRecord::step)
                .containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11);
    }

    @Test
    void aFinalStatusIsNeverOverwritten() {
        JobRecord job = newJob();

        assertThat(jobs.fail(job.id(), "broken")).isTrue();
        assertThat(jobs.complete(job.id(), "results/x")).isFalse();
        assertThat(jobs.recordStep(job.id(), step(0, "bw", "late"))).isEqualTo(JobStore.StepOutcome.JOB_FINISHED);

        JobRecord stored = jobs.find(job.id()).orElseThrow();
        assertThat(stored.status()).isEqualTo(JobStatus.FAILED);
        assertThat(stored.error()).isEqualTo("broken");
        assertThat(stored.output()).isNull();
    }

    @Test
    void unknownJobsAreReportedAsSuch() {
        assertThat(jobs.find("nope")).isEmpty();
        assertThat(jobs.complete("nope", "x")).isFalse();
        assertThat(jobs.recordStep("nope", step(0, "bw", "p"))).isEqualTo(JobStore.StepOutcome.NO_SUCH_JOB);
    }

    @Test
    void aStoreCreatedBeforeRedisIsUpWorksOnceItIs() {
        int port = dev.imageflow.core.embedded.FreePort.find();
        RedisClient later = RedisClient.create("redis://127.0.0.1:" + port);
        JobStore store = new JobStore(new RedisConnection(later), new ObjectMapper(),
                TestStores.get().redisProperties(), Clock.systemUTC());

        assertThatThrownBy(() -> store.find("x")).isInstanceOf(StoreUnavailableException.class);
        try (EmbeddedRedis redis = EmbeddedRedis.start(port)) {
            assertThat(store.find("x")).isEmpty();
        } finally {
            later.shutdown();
        }
    }

    @Test
    void jobsExpireAfterTheirTtl() {
        JobRecord job = newJob();

        assertThat(connection.sync().ttl("imageflow:job:" + job.id())).isBetween(3500L, 3600L);
    }

    @Test
    void anUnreachableRedisIsReportedAsUnavailableQuickly() {
        try (EmbeddedRedis doomed = EmbeddedRedis.start(0)) {
            RedisClient other = RedisClient.create(doomed.url());
            other.setOptions(ClientOptions.builder()
                    .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                    .timeoutOptions(TimeoutOptions.enabled(Duration.ofSeconds(2))).build());
            RedisConnection c = new RedisConnection(other);
            JobStore store = new JobStore(c, new ObjectMapper(), TestStores.get().redisProperties(), Clock.systemUTC());
            assertThat(store.find("x")).isEmpty();
            doomed.stop();

            assertThatThrownBy(() -> store.find("x")).isInstanceOf(StoreUnavailableException.class)
                    .hasMessageStartingWith("Redis is unavailable");
            c.close();
            other.shutdown();
        }
    }
}
