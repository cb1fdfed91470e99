package dev.imageflow.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.imageflow.core.embedded.EmbeddedRedis;
import dev.imageflow.core.job.JobStore;
import dev.imageflow.core.test.TestImages;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Nothing is lost: a store outage turns into 503s that leave nothing half-made and heal by themselves, every
 * event delivered twice changes nothing, and a job whose events die with a crashed process still ends.
 */
class FaultToleranceTest extends OnLocalStack {

    static final byte[] PHOTO = TestImages.jpeg(TestImages.photo(400, 300));

    @BeforeAll
    static void start() {
        startStack(LocalStack.Settings.forTests());
    }

    @Test
    void whileRedisIsDownUploadsAnswer503WithRetryAfterAndLeaveNoObjectThenWorkResumes() throws Exception {
        int objectsBefore = LocalPipelineTest.objectCount(stack);
        stack.redis().stop();
        try {
            Uploads.Answer answer = gateway.upload(PHOTO, "bw");

            assertThat(answer.status()).as(answer.text()).isEqualTo(503);
            assertThat(answer.header("Retry-After")).isNotBlank();
            assertThat(answer.json().path("error").asText()).startsWith("Redis is unavailable");
            assertThat(LocalPipelineTest.objectCount(stack)).isEqualTo(objectsBefore);
        } finally {
            stack.redis().start();
        }
        assertThat(uploadUntilAccepted("bw").status()).isEqualTo(200);
    }

    @Test
    void whileS3IsDownUploadsAnswer503AndNoJobIsCreatedThenWorkResumes() throws Exception {
        JobStore jobs = stack.function("gateway").getBean(JobStore.class);
        long jobsBefore = jobs.recentCount();
        stack.s3().stop();
        try {
            Uploads.Answer answer = gateway.upload(PHOTO, "bw");

            assertThat(answer.status()).as(answer.text()).isEqualTo(503);
            assertThat(answer.header("Retry-After")).isNotBlank();
            assertThat(answer.json().path("error").asText()).startsWith("S3 is unavailable");
            assertThat(jobs.recentCount()).isEqualTo(jobsBefore);
        } finally {
            stack.s3().start();
        }
        assertThat(uploadUntilAccepted("bw").status()).isEqualTo(200);
    }

    @Test
    void withEveryEventDeliveredTwiceTheResultIsTheSameAndEachStepIsRecordedOnce() throws Exception {
        Uploads.Answer once = gateway.upload(PHOTO, "bw,blur,thumbnail");
        byte[] expected = gateway.get(once.json().path("view_url").asText()).body();

        try (LocalStack twice = LocalStack.start(LocalStack.Settings.forTests().withDuplicateDeliveries())) {
            Uploads doubled = new Uploads(twice.gateway());
            Uploads.Answer answer = doubled.upload(PHOTO, "bw,blur,thumbnail");
            assertThat(answer.status()).as(answer.text()).isEqualTo(200);
            twice.broker().awaitIdle(Duration.ofSeconds(30));

            String id = answer.json().path("id").asText();
            JsonNode job = doubled.get("/jobs/" + id).json();
            assertThat(job.path("status").asText()).isEqualTo("done");
            assertThat(job.path("steps").findValuesAsText("effect")).containsExactly("bw", "blur", "thumbnail");
            assertThat(doubled.get("/image/" + id).body()).isEqualTo(expected);
            // Every step and the completion really were delivered twice.
            assertThat(twice.broker().deliveries()).isGreaterThanOrEqualTo(8);
        }
    }

    @Test
    void whenS3FailsMidPipelineTheBrokerRetriesThenDeadLettersAndTheJobFailsWithTheReason() throws Exception {
        // A second between each step's write and its reply: S3 is down before the chain can end, however fast the
        // effects and the machine are.
        try (LocalStack slow =
                LocalStack.start(LocalStack.Settings.forTests().with(Map.of("imageflow.step.demo-delay", "1s")))) {
            Uploads uploads = new Uploads(slow.gateway());
            Uploads.Answer started =
                    uploads.upload(PHOTO, "photo.jpg", Map.of("effects", "blur,blur"), "Prefer", "respond-async");
            String id = started.json().path("id").asText();
            long retriesBefore = slow.broker().retries();
            slow.s3().stop();
            try {
                JsonNode job = uploads.awaitFinal(id, Duration.ofSeconds(60));
                assertThat(job.path("status").asText()).as(job.toString()).isEqualTo("failed");
                assertThat(job.path("error").asText())
                        .startsWith("blur step could not be delivered: HTTP 503: S3 is unavailable");
                assertThat(slow.broker().retries() - retriesBefore).isEqualTo(4);
            } finally {
                slow.s3().start();
            }
            assertThat(uploads.upload(PHOTO, "bw").status()).isEqualTo(200);
        }
    }

    @Test
    void aJobWhoseEventsDiedWithTheStackIsFinishedByTheRestartedStack(@TempDir Path data) throws Exception {
        try (EmbeddedRedis redis = EmbeddedRedis.start(0)) {
            Map<String, String> slow = Map.of("imageflow.step.demo-delay", "1s");
            String id = startThenCrash(redis, data, slow);

            try (LocalStack restarted = LocalStack.start(
                    LocalStack.Settings.forTests().withRedis(redis.url()).withData(data))) {
                JsonNode job = new Uploads(restarted.gateway()).awaitFinal(id, Duration.ofSeconds(60));

                assertThat(job.path("status").asText()).as(job.toString()).isEqualTo("done");
                assertThat(job.path("steps").findValuesAsText("effect")).containsExactly("blur", "bw");
            }
        }
    }

    @Test
    void aJobThatCannotBeReDrivenIsFailedWithinTheJobTimeout(@TempDir Path data) throws Exception {
        try (EmbeddedRedis redis = EmbeddedRedis.start(0)) {
            Map<String, String> slow = Map.of(
                    "imageflow.step.demo-delay",
                    "2s",
                    "imageflow.gateway.job-timeout",
                    "3s",
                    "imageflow.gateway.reap-interval",
                    "300ms",
                    "imageflow.gateway.max-redrives",
                    "0");
            String id = startThenCrash(redis, data, slow);

            try (LocalStack restarted = LocalStack.start(LocalStack.Settings.forTests()
                    .with(slow)
                    .withRedis(redis.url())
                    .withData(data))) {
                Uploads uploads = new Uploads(restarted.gateway());
                JsonNode job = uploads.awaitFinal(id, Duration.ofSeconds(30));

                assertThat(job.path("status").asText()).isEqualTo("failed");
                assertThat(job.path("error").asText()).isEqualTo("timed out: not finished within 3 s");
            }
        }
    }

    /** Accepts a blur,bw job and closes the stack mid-job: the Broker and all it holds go, as when killed. */
    private static String startThenCrash(EmbeddedRedis redis, Path data, Map<String, String> properties) {
        LocalStack crashing = LocalStack.start(LocalStack.Settings.forTests()
                .with(properties)
                .withRedis(redis.url())
                .withData(data));
        try {
            Uploads.Answer answer = new Uploads(crashing.gateway())
                    .upload(PHOTO, "photo.jpg", Map.of("effects", "blur,bw"), "Prefer", "respond-async");
            assertThat(answer.status()).as(answer.text()).isEqualTo(202);
            return answer.json().path("id").asText();
        } finally {
            crashing.broker().close();
            crashing.close();
        }
    }

    @Test
    void aFileNameWithPathSeparatorsAndControlCharactersNamesNothing() {
        Uploads.Answer answer = gateway.upload(PHOTO, "../../etc/passwd\u0000\r\n.jpg", Map.of("effects", "bw"));

        assertThat(answer.status()).as(answer.text()).isEqualTo(200);
        String id = answer.json().path("id").asText();
        assertThat(LocalPipelineTest.objectKeys(stack, id))
                .containsExactlyInAnyOrder("originals/" + id, "results/" + id + "/0-bw");
        assertThat(answer.text()).doesNotContain("passwd");
    }

    @Test
    void aPngNamedJpgIsTreatedAsThePngItIs() {
        byte[] png = TestImages.png(TestImages.photo(120, 80));

        Uploads.Answer answer = gateway.upload(png, "photo.jpg", Map.of("effects", "bw"));

        assertThat(answer.status()).as(answer.text()).isEqualTo(200);
        assertThat(gateway.get(answer.json().path("view_url").asText()).header("Content-Type"))
                .isEqualTo("image/png");
        assertThat(Arrays.copyOf(
                        gateway.get("/image/" + answer.json().path("id").asText() + "/original")
                                .body(),
                        4))
                .isEqualTo(Arrays.copyOf(png, 4));
    }

    private Uploads.Answer uploadUntilAccepted(String effects) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        Uploads.Answer answer = gateway.upload(PHOTO, effects);
        while (answer.status() == 503 && System.nanoTime() < deadline) {
            Thread.sleep(250);
            answer = gateway.upload(PHOTO, effects);
        }
        return answer;
    }
}
