package dev.imageflow.effects;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.imageflow.core.event.EventTypes;
import dev.imageflow.core.event.ObjectKeys;
import dev.imageflow.core.event.PipelineEvents;
import dev.imageflow.core.event.StepData;
import dev.imageflow.core.job.JobRecord;
import dev.imageflow.core.job.JobStore;
import dev.imageflow.core.job.RedisConnection;
import dev.imageflow.core.storage.BlobStore;
import dev.imageflow.core.test.CloudEventHttp;
import dev.imageflow.core.test.TestImages;
import dev.imageflow.core.test.TestStores;
import io.lettuce.core.RedisClient;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Knative scales a revision down with SIGTERM. The blur function, a real process here, must finish the step it is
 * working on, answer it, and only then exit.
 */
class GracefulShutdownTest {

    @Test
    void onSigtermTheStepInFlightIsFinishedAndAnsweredBeforeTheProcessExits() throws Exception {
        TestStores stores = TestStores.get();
        ObjectMapper json = new ObjectMapper().registerModule(new JavaTimeModule());
        RedisClient redisClient = RedisClient.create(stores.redis().url());
        JobStore jobs =
                new JobStore(new RedisConnection(redisClient), json, stores.redisProperties(), Clock.systemUTC());
        BlobStore blobs = new BlobStore(stores.s3Api(), TestStores.BUCKET, true);
        String job = UUID.randomUUID().toString();
        blobs.put(ObjectKeys.original(job), TestImages.jpeg(TestImages.photo(200, 100)), "image/jpeg");
        jobs.create(
                JobRecord.pending(
                        job, List.of("blur"), Map.of(), ObjectKeys.original(job), "image/jpeg", Instant.now()),
                Duration.ofMinutes(5));

        try (EffectsProcess blur =
                EffectsProcess.start("blur", stores, List.of(), Map.of(), List.of("--imageflow.step.demo-delay=3s"))) {
            var step = new PipelineEvents(
                            json, URI.create("/test"), new dev.imageflow.core.observe.EventTracing("test"))
                    .step(new StepData(job, 0, ObjectKeys.original(job), List.of("blur"), Map.of()));
            CompletableFuture<CloudEventHttp.Reply> reply =
                    CompletableFuture.supplyAsync(() -> new CloudEventHttp().sendBinary(blur.uri(), step));
            // The step takes 3 s (demo delay); stop the process one second into it.
            Thread.sleep(1000);
            blur.process().destroy();

            CloudEventHttp.Reply answer = reply.get(30, TimeUnit.SECONDS);
            assertThat(answer.status()).isEqualTo(200);
            assertThat(answer.event().getType()).isEqualTo(EventTypes.JOB_COMPLETED);
            assertThat(blur.process().waitFor(30, TimeUnit.SECONDS))
                    .as("exited")
                    .isTrue();
            assertThat(jobs.findStep(job, 0)).isPresent();
        } finally {
            redisClient.shutdown();
        }
    }
}
