package dev.imageflow.core.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.imageflow.core.embedded.EmbeddedRedis;
import dev.imageflow.core.storage.StoreUnavailableException;
import dev.imageflow.core.test.TestStores;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class JobStoreTest {

    private final RedisClient client =
            RedisClient.create(TestStores.get().redis().url());
    private final StatefulRedisConnection<String, String> connection = client.connect();
    private final JobStore jobs = new JobStore(
            new RedisConnection(client),
            new ObjectMapper().registerModule(new JavaTimeModule()),
            TestStores.get().redisProperties(),
            Clock.systemUTC());

    @AfterEach
    void close() {
        connection.close();
        client.shutdown();
    }

    private JobRecord newJob() {
        String id = UUID.randomUUID().toString();
        JobRecord job = JobRecord.pending(
                id, List.of("bw", "blur"), Map.of("blur.sigma", "3"), "originals/" + id, "image/jpeg", Instant.now());
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

        assertThat(jobs.find(job.id()).orElseThrow().steps())
                .extracting(StepRecord::step)
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
        JobStore store = new JobStore(
                new RedisConnection(later), new ObjectMapper(), TestStores.get().redisProperties(), Clock.systemUTC());

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

        assertThat(jobs.timeToLive(job.id()))
                .hasValueSatisfying(ttl -> assertThat(ttl.toSeconds()).isBetween(3500L, 3600L));
    }

    @Test
    void anUnreachableRedisIsReportedAsUnavailableQuickly() {
        try (EmbeddedRedis doomed = EmbeddedRedis.start(0)) {
            RedisClient other = RedisClient.create(doomed.url());
            other.setOptions(ClientOptions.builder()
                    .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                    .timeoutOptions(TimeoutOptions.enabled(Duration.ofSeconds(2)))
                    .build());
            RedisConnection c = new RedisConnection(other);
            JobStore store =
                    new JobStore(c, new ObjectMapper(), TestStores.get().redisProperties(), Clock.systemUTC());
            assertThat(store.find("x")).isEmpty();
            doomed.stop();

            assertThatThrownBy(() -> store.find("x"))
                    .isInstanceOf(StoreUnavailableException.class)
                    .hasMessageStartingWith("Redis is unavailable");
            c.close();
            other.shutdown();
        }
    }

    @Test
    void aStepIsClaimedByOneDeliveryAtATime() {
        JobRecord job = newJob();

        assertThat(jobs.claimStep(job.id(), 0, "a", Duration.ofMinutes(2))).isEqualTo(JobStore.ClaimOutcome.CLAIMED);
        assertThat(jobs.claimStep(job.id(), 0, "b", Duration.ofMinutes(2)))
                .isEqualTo(JobStore.ClaimOutcome.HELD_ELSEWHERE);
        assertThat(jobs.claimStep(job.id(), 0, "a", Duration.ofMinutes(2)))
                .as("the holder again")
                .isEqualTo(JobStore.ClaimOutcome.CLAIMED);
        assertThat(jobs.claimStep(job.id(), 1, "b", Duration.ofMinutes(2)))
                .as("another step")
                .isEqualTo(JobStore.ClaimOutcome.CLAIMED);
    }

    @Test
    void aClaimLapsesAfterItsLeaseOrWhenReleased() throws Exception {
        JobRecord job = newJob();

        jobs.claimStep(job.id(), 0, "dies", Duration.ofMillis(50));
        Thread.sleep(100);
        assertThat(jobs.claimStep(job.id(), 0, "next", Duration.ofMinutes(2))).isEqualTo(JobStore.ClaimOutcome.CLAIMED);

        jobs.releaseStep(job.id(), 0, "someone-else");
        assertThat(jobs.claimStep(job.id(), 0, "third", Duration.ofMinutes(2)))
                .as("only the holder releases")
                .isEqualTo(JobStore.ClaimOutcome.HELD_ELSEWHERE);
        jobs.releaseStep(job.id(), 0, "next");
        assertThat(jobs.claimStep(job.id(), 0, "third", Duration.ofMinutes(2)))
                .isEqualTo(JobStore.ClaimOutcome.CLAIMED);
    }

    @Test
    void aRecordedStepCannotBeClaimedAgain() {
        JobRecord job = newJob();
        jobs.claimStep(job.id(), 0, "a", Duration.ofMinutes(2));
        jobs.recordStep(job.id(), step(0, "bw", "pod-a"));

        assertThat(jobs.claimStep(job.id(), 0, "b", Duration.ofMinutes(2)))
                .isEqualTo(JobStore.ClaimOutcome.ALREADY_RECORDED);
        jobs.fail(job.id(), "over");
        assertThat(jobs.claimStep(job.id(), 1, "b", Duration.ofMinutes(2)))
                .isEqualTo(JobStore.ClaimOutcome.JOB_FINISHED);
        assertThat(jobs.claimStep("nope", 0, "b", Duration.ofMinutes(2))).isEqualTo(JobStore.ClaimOutcome.NO_SUCH_JOB);
    }

    @Test
    void theFirstStepErrorIsTheOneRecorded() {
        JobRecord job = newJob();

        assertThat(jobs.recordStepError(job.id(), 0, "bw: broken")).isTrue();
        assertThat(jobs.recordStepError(job.id(), 0, "bw: broken"))
                .as("the same again")
                .isTrue();
        assertThat(jobs.recordStepError(job.id(), 1, "blur: other")).isFalse();
        assertThat(jobs.find(job.id()).orElseThrow().stepError()).isEqualTo("bw: broken");
    }

    @Test
    void aQuietJobIsReDrivenByOneCallerAtMostMaxTimesAndItsDeadlineStartsAgain() {
        JobRecord job = newJob();
        Instant later = Instant.now().plusSeconds(60);

        assertThat(jobs.quietSince(later, 1000)).contains(job.id());
        assertThat(jobs.redrive(job.id(), Instant.now().minusSeconds(60), 2, Duration.ofMinutes(10), false))
                .as("not quiet for that long")
                .isEqualTo(JobStore.RedriveOutcome.NOT_QUIET);
        assertThat(jobs.redrive(job.id(), later, 2, Duration.ofMinutes(30), false))
                .isEqualTo(JobStore.RedriveOutcome.REDRIVE);
        assertThat(jobs.redrive(job.id(), Instant.now().minusSeconds(1), 2, Duration.ofMinutes(30), false))
                .as("a second caller right after the first")
                .isEqualTo(JobStore.RedriveOutcome.NOT_QUIET);
        assertThat(jobs.redrive(job.id(), later, 2, Duration.ofMinutes(30), false))
                .isEqualTo(JobStore.RedriveOutcome.REDRIVE);
        assertThat(jobs.redrive(job.id(), later.plusSeconds(60), 2, Duration.ofMinutes(30), false))
                .isEqualTo(JobStore.RedriveOutcome.EXHAUSTED);
        assertThat(jobs.find(job.id()).orElseThrow().redrives()).isEqualTo(2);
        assertThat(jobs.overdue(Instant.now().plus(Duration.ofMinutes(20)), 1000))
                .as("the deadline counts from the last re-drive")
                .doesNotContain(job.id());
    }

    @Test
    void aReDriveClearsLapsedClaimsAndLiveOnesOnlyWhenTheirHoldersAreKnownDead() throws Exception {
        JobRecord job = newJob();
        Instant later = Instant.now().plusSeconds(60);
        jobs.claimStep(job.id(), 0, "alive", Duration.ofMinutes(5));

        jobs.redrive(job.id(), later, 5, Duration.ofMinutes(30), false);
        assertThat(jobs.claimStep(job.id(), 0, "new", Duration.ofMinutes(2)))
                .isEqualTo(JobStore.ClaimOutcome.HELD_ELSEWHERE);

        jobs.redrive(job.id(), later.plusSeconds(60), 5, Duration.ofMinutes(30), true);
        assertThat(jobs.claimStep(job.id(), 0, "new", Duration.ofMinutes(2))).isEqualTo(JobStore.ClaimOutcome.CLAIMED);
    }

    @Test
    void anEndedJobIsNeitherQuietNorReDriven() {
        JobRecord job = newJob();
        jobs.complete(job.id(), "results/x");

        assertThat(jobs.quietSince(Instant.now().plusSeconds(60), 1000)).doesNotContain(job.id());
        assertThat(jobs.redrive(job.id(), Instant.now().plusSeconds(60), 5, Duration.ofMinutes(30), false))
                .isEqualTo(JobStore.RedriveOutcome.ENDED);
    }
}
