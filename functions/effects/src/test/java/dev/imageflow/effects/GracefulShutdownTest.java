package dev.imageflow.effects;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import dev.imageflow.core.embedded.EmbeddedS3;
import dev.imageflow.core.embedded.FreePort;
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
        JobStore jobs = new JobStore(new RedisConnection(redisClient), json, stores.redisProperties(), Clock.systemUTC());
        BlobStore blobs = new BlobStore(stores.s3Client(), TestStores.BUCKET, true);
        String job = UUID.randomUUID().toString();
        blobs.put(ObjectKeys.original(job), TestImages.jpeg(TestImages.photo(200, 100)), "image/jpeg");
        jobs.create(JobRecord.pending(job, List.of("blur"), Map.of(), ObjectKeys.original(job), "image/jpeg",
                Instant.now()), Duration.ofMinutes(5));

        int port = FreePort.find();
        Process blur = start(port, stores);
        try {
            awaitReady(port);
            var step = new PipelineEvents(json, URI.create("/test"), new dev.imageflow.core.observe.EventTracing("test"))
                    .step(new StepData(job, 0, ObjectKeys.original(job), List.of("blur"), Map.of()));
            CompletableFuture<CloudEventHttp.Reply> reply = CompletableFuture.supplyAsync(
                    () -> new CloudEventHttp().sendBinary(URI.create("http://127.0.0.1:" + port + "/"), step));
            // The step takes 3 s (demo delay); stop the process one second into it.
            Thread.sleep(1000);
            blur.destroy();

            CloudEventHttp.Reply answer = reply.get(30, TimeUnit.SECONDS);
            assertThat(answer.status()).isEqualTo(200);
            assertThat(answer.event().getType()).isEqualTo(EventTypes.JOB_COMPLETED);
            assertThat(blur.waitFor(30, TimeUnit.SECONDS)).as("exited").isTrue();
            assertThat(jobs.findStep(job, 0)).isPresent();
        } finally {
            blur.destroyForcibly();
            redisClient.shutdown();
        }
    }

    private static Process start(int port, TestStores stores) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                System.getProperty("java.home") + File.separator + "bin" + File.separator + "java",
                "-cp", System.getProperty("java.class.path"), EffectsApplication.class.getName(),
                "--spring.cloud.function.definition=blur",
                "--server.port=" + port,
                "--imageflow.redis.url=" + stores.redis().url(),
                "--imageflow.s3.endpoint=" + stores.s3().endpoint(),
                "--imageflow.s3.bucket=" + TestStores.BUCKET,
                "--imageflow.s3.path-style=true",
                "--imageflow.s3.access-key=" + EmbeddedS3.ACCESS_KEY,
                "--imageflow.s3.secret-key=" + EmbeddedS3.SECRET_KEY,
                "--imageflow.step.demo-delay=3s"));
        return new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(new File("target/graceful-shutdown-blur.log")).start();
    }

    private static void awaitReady(int port) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            try {
                HttpResponse<String> health = http.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/actuator/health/readiness")).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (health.statusCode() == 200) {
                    return;
                }
            } catch (java.io.IOException notYet) {
                // still starting
            }
            Thread.sleep(200);
        }
        throw new AssertionError("blur did not become ready; see target/graceful-shutdown-blur.log");
    }
}
