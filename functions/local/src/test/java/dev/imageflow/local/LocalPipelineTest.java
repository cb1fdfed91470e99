package dev.imageflow.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.imageflow.core.event.EventTypes;
import dev.imageflow.core.event.PipelineEvents;
import dev.imageflow.core.event.StepData;
import dev.imageflow.core.job.JobRecord;
import dev.imageflow.core.job.JobStore;
import dev.imageflow.core.test.CloudEventHttp;
import dev.imageflow.core.test.TestImages;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.awt.image.BufferedImage;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The whole system on one machine, as {@code java -jar imageflow-local.jar} runs it: uploads over HTTP go through
 * S3Proxy, Redis, the local Broker and every function, and are checked on the pixels they come back with, in the
 * bucket (with a plain S3 client) and in Redis (with a plain Lettuce connection).
 */
class LocalPipelineTest extends OnLocalStack {

    static S3Client s3;
    static StatefulRedisConnection<String, String> redis;
    static final ObjectMapper json = new ObjectMapper();

    static final byte[] PHOTO = TestImages.jpeg(TestImages.photo(640, 480));

    @BeforeAll
    static void start() {
        startStack(LocalStack.Settings.forTests());
        s3 = s3Client(stack);
        redis = RedisClient.create(stack.redis().url()).connect();
    }

    @AfterAll
    static void stop() {
        redis.close();
        s3.close();
    }

    @Test
    void theSeedsCurlCallAppliesBwThenBlurAndAnswersWithTheJob() throws Exception {
        stack.broker().awaitIdle(Duration.ofSeconds(30));
        long deliveriesBefore = stack.broker().deliveries();
        long deadLettersBefore = stack.broker().deadLetters();

        Uploads.Answer answer = gateway.upload(PHOTO, "bw,blur");

        assertThat(answer.status()).as(answer.text()).isEqualTo(200);
        JsonNode job = answer.json();
        String id = job.path("id").asText();
        assertThat(job.path("status").asText()).isEqualTo("done");
        assertThat(job.path("applied_effects")).extracting(JsonNode::asText).containsExactly("bw", "blur");
        assertThat(job.path("processed_by_pod").asText()).isEqualTo("blur-local");
        assertThat(job.path("view_url").asText()).isEqualTo("/image/" + id);
        assertThat(job.path("steps")).hasSize(2);
        assertThat(job.path("steps").get(0).path("pod").asText()).isEqualTo("bw-local");
        assertThat(job.path("steps").get(1).path("ms").asLong()).isNotNegative();

        Uploads.Answer image = gateway.get(job.path("view_url").asText());
        assertThat(image.status()).isEqualTo(200);
        assertThat(image.header("Content-Type")).isEqualTo("image/jpeg");
        BufferedImage result = TestImages.read(image.body());
        assertThat(result.getWidth()).isEqualTo(640);
        assertThat(TestImages.maxChroma(result)).isZero();
        BufferedImage original =
                TestImages.read(gateway.get("/image/" + id + "/original").body());
        assertThat(TestImages.highFrequencyEnergy(result)).isLessThan(TestImages.highFrequencyEnergy(original) / 2);

        assertThat(objectKeys(id))
                .containsExactlyInAnyOrder("originals/" + id, "results/" + id + "/0-bw", "results/" + id + "/1-blur");
        Map<String, String> record = redis.sync().hgetall(JobStore.key(id));
        assertThat(record).containsEntry("status", "done").containsEntry("output", "results/" + id + "/1-blur");
        assertThat(redis.sync().ttl(JobStore.key(id))).isPositive();
        // Exactly three deliveries (bw, blur, completion) and nothing dead-lettered: no echoes, no retries.
        stack.broker().awaitIdle(Duration.ofSeconds(30));
        assertThat(stack.broker().deliveries() - deliveriesBefore).isEqualTo(3);
        assertThat(stack.broker().deadLetters()).isEqualTo(deadLettersBefore);
    }

    @Test
    void aThumbnailFitsTheBoxAndTheJobListsItsStep() {
        Uploads.Answer answer = gateway.upload(TestImages.jpeg(TestImages.photo(1000, 500)), "thumbnail");

        assertThat(answer.status()).as(answer.text()).isEqualTo(200);
        String id = answer.json().path("id").asText();
        BufferedImage result = TestImages.read(gateway.get("/image/" + id).body());
        assertThat(result.getWidth()).isEqualTo(256);
        assertThat(result.getHeight()).isEqualTo(128);
        JsonNode job = gateway.get("/jobs/" + id).json();
        assertThat(job.path("steps").get(0).path("effect").asText()).isEqualTo("thumbnail");
        assertThat(job.path("steps").get(0).path("width").asInt()).isEqualTo(256);
    }

    @Test
    void threeEffectsApplyInTheOrderGivenWithTheirParameters() {
        Uploads.Answer answer = gateway.upload(
                PHOTO,
                "photo.jpg",
                Map.of("effects", "blur,bw,thumbnail", "blur.sigma", "2.5", "thumbnail.size", "100"));

        assertThat(answer.status()).as(answer.text()).isEqualTo(200);
        JsonNode job = answer.json();
        assertThat(job.path("applied_effects")).extracting(JsonNode::asText).containsExactly("blur", "bw", "thumbnail");
        assertThat(job.path("params").path("blur.sigma").asText()).isEqualTo("2.5");
        BufferedImage result =
                TestImages.read(gateway.get(job.path("view_url").asText()).body());
        assertThat(result.getWidth()).isEqualTo(100);
        assertThat(result.getHeight()).isEqualTo(75);
        assertThat(TestImages.maxChroma(result)).isZero();
        List<String> steps = gateway.get("/jobs/" + job.path("id").asText())
                .json()
                .path("steps")
                .findValuesAsText("effect");
        assertThat(steps).containsExactly("blur", "bw", "thumbnail");
    }

    @Test
    void anEffectMayRepeat() {
        Uploads.Answer answer = gateway.upload(PHOTO, "blur,blur");

        assertThat(answer.status()).as(answer.text()).isEqualTo(200);
        String id = answer.json().path("id").asText();
        assertThat(objectKeys(id)).contains("results/" + id + "/0-blur", "results/" + id + "/1-blur");
    }

    @Test
    void pngStaysPngAndKeepsItsTransparency() {
        BufferedImage image = new BufferedImage(64, 64, BufferedImage.TYPE_INT_ARGB);
        for (int y = 0; y < 64; y++) {
            for (int x = 0; x < 64; x++) {
                image.setRGB(x, y, x < 32 ? 0xFF3366CC : 0x00000000);
            }
        }
        Uploads.Answer answer = gateway.upload(TestImages.png(image), "photo.png", Map.of("effects", "bw"));

        assertThat(answer.status()).as(answer.text()).isEqualTo(200);
        Uploads.Answer result = gateway.get(answer.json().path("view_url").asText());
        assertThat(result.header("Content-Type")).isEqualTo("image/png");
        BufferedImage grey = TestImages.read(result.body());
        assertThat(grey.getRGB(60, 10) >>> 24).isZero();
        assertThat(grey.getRGB(10, 10) >>> 24).isEqualTo(0xFF);
        assertThat(TestImages.maxChroma(grey)).isZero();
    }

    @Test
    void withPreferRespondAsyncTheUploadAnswers202WithTheJobsLocation() throws Exception {
        Uploads.Answer answer =
                gateway.upload(PHOTO, "photo.jpg", Map.of("effects", "blur"), "Prefer", "respond-async");

        assertThat(answer.status()).isEqualTo(202);
        String id = answer.json().path("id").asText();
        assertThat(answer.header("Location")).isEqualTo("/jobs/" + id);
        assertThat(answer.json().path("status").asText()).isIn("pending", "running");
        assertThat(gateway.awaitFinal(id, Duration.ofSeconds(30)).path("status").asText())
                .isEqualTo("done");
        assertThat(gateway.get("/image/" + id).status()).isEqualTo(200);
    }

    @Test
    void anUnknownJobIs404AndAnUnfinishedOne409() {
        Uploads.Answer unknown = gateway.get("/jobs/no-such-job");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.json().path("error").asText()).isEqualTo("no job no-such-job");
        assertThat(gateway.get("/image/no-such-job").status()).isEqualTo(404);

        JobStore jobs = stack.function("gateway").getBean(JobStore.class);
        String id = java.util.UUID.randomUUID().toString();
        jobs.create(
                JobRecord.pending(
                        id, List.of("blur"), Map.of(), "originals/" + id, "image/jpeg", java.time.Instant.now()),
                java.time.Duration.ofMinutes(10));
        Uploads.Answer pending = gateway.get("/image/" + id);
        assertThat(pending.status()).isEqualTo(409);
        assertThat(pending.header("Retry-After")).isEqualTo("1");
        assertThat(pending.json().path("error").asText()).contains("is pending");
        jobs.delete(id);
    }

    @Test
    void aJobStartsFromACloudEventSentThroughTheBrokerForAnObjectInTheBucket() throws Exception {
        s3.putObject(b -> b.bucket(LocalStack.BUCKET).key("uploads/by-event.jpg"), RequestBody.fromBytes(PHOTO));
        CloudEvent request = CloudEventBuilder.v1()
                .withId(java.util.UUID.randomUUID().toString())
                .withSource(URI.create("/tests"))
                .withType(EventTypes.JOB_REQUESTED)
                .withDataContentType("application/json")
                .withData(json.writeValueAsBytes(Map.of("key", "uploads/by-event.jpg", "effects", List.of("bw"))))
                .build();

        CloudEventHttp.Reply reply =
                new CloudEventHttp().sendStructured(stack.broker().address(), request);
        assertThat(reply.status()).isEqualTo(202);

        String id = java.util
                .UUID
                .nameUUIDFromBytes(("/tests\n" + request.getId()).getBytes())
                .toString();
        assertThat(awaitJob(id).path("status").asText()).isEqualTo("done");
        assertThat(TestImages.maxChroma(
                        TestImages.read(gateway.get("/image/" + id).body())))
                .isZero();
    }

    @Test
    void aJobRequestAsKnEventSendBuildsItThroughTheBrokerIsDone() throws Exception {
        s3.putObject(b -> b.bucket(LocalStack.BUCKET).key("uploads/kn.jpg"), RequestBody.fromBytes(PHOTO));
        // kn event send --type dev.imageflow.job.requested --field key=uploads/kn.jpg --field effects=bw,thumbnail
        //   --field params.thumbnail.size=48
        CloudEvent request = CloudEventBuilder.v1()
                .withId("kn-1")
                .withSource(URI.create("kn-event/v0.4"))
                .withType(EventTypes.JOB_REQUESTED)
                .withDataContentType("application/json")
                .withData(("{\"key\": \"uploads/kn.jpg\", \"effects\": \"bw,thumbnail\","
                                + " \"params\": {\"thumbnail\": {\"size\": 48}}}")
                        .getBytes())
                .build();

        stack.broker().publish(request);

        String id = java.util
                .UUID
                .nameUUIDFromBytes("kn-event/v0.4\nkn-1".getBytes())
                .toString();
        JsonNode job = awaitJob(id);
        assertThat(job.path("status").asText()).as(job.toString()).isEqualTo("done");
        assertThat(job.path("steps").findValuesAsText("effect")).containsExactly("bw", "thumbnail");
        assertThat(TestImages.read(gateway.get("/image/" + id).body()).getWidth())
                .isEqualTo(48);
    }

    @Test
    void aJobRequestPostedToTheGatewayIsAnsweredWithTheJobAndStartsItOnce() throws Exception {
        s3.putObject(b -> b.bucket(LocalStack.BUCKET).key("uploads/direct.jpg"), RequestBody.fromBytes(PHOTO));
        CloudEvent request = CloudEventBuilder.v1()
                .withId("request-1")
                .withSource(URI.create("/tests/direct"))
                .withType(EventTypes.JOB_REQUESTED)
                .withDataContentType("application/json")
                .withData(json.writeValueAsBytes(Map.of(
                        "key",
                        "uploads/direct.jpg",
                        "effects",
                        List.of("thumbnail"),
                        "params",
                        Map.of("thumbnail.size", "64"))))
                .build();
        URI endpoint = stack.gateway().resolve("/jobRequested");

        CloudEventHttp.Reply first = new CloudEventHttp().sendBinary(endpoint, request);
        CloudEventHttp.Reply again = new CloudEventHttp().sendBinary(endpoint, request);

        assertThat(first.status()).as(first.body()).isEqualTo(200);
        assertThat(first.event().getType()).isEqualTo(EventTypes.JOB_ACCEPTED);
        String id = json.readTree(first.event().getData().toBytes()).path("job").asText();
        assertThat(json.readTree(again.event().getData().toBytes()).path("job").asText())
                .isEqualTo(id);
        assertThat(awaitJob(id).path("status").asText()).isEqualTo("done");
        assertThat(TestImages.read(gateway.get("/image/" + id).body()).getWidth())
                .isEqualTo(64);
        assertThat(stack.function("gateway").getBean(JobStore.class).recent(100).stream()
                        .filter(id::equals))
                .hasSize(1);
    }

    @Test
    void aStepWhoseInputIsGoneEndsTheJobAsFailedWithTheReason() throws Exception {
        JobStore jobs = stack.function("gateway").getBean(JobStore.class);
        String id = java.util.UUID.randomUUID().toString();
        jobs.create(
                JobRecord.pending(
                        id, List.of("bw", "blur"), Map.of(), "originals/" + id, "image/jpeg", java.time.Instant.now()),
                java.time.Duration.ofMinutes(10));
        PipelineEvents events = stack.function("gateway").getBean(PipelineEvents.class);

        stack.broker().publish(events.step(new StepData(id, 0, "originals/" + id, List.of("bw", "blur"), Map.of())));

        JsonNode job = awaitJob(id);
        assertThat(job.path("status").asText()).isEqualTo("failed");
        assertThat(job.path("error").asText()).isEqualTo("bw: no such object originals/" + id);
    }

    @Test
    void aDeadLetteredEventAsKnativeDeliversItFailsItsJobWithTheSubscribersError() throws Exception {
        JobStore jobs = stack.function("gateway").getBean(JobStore.class);
        String id = java.util.UUID.randomUUID().toString();
        jobs.create(
                JobRecord.pending(
                        id, List.of("blur"), Map.of(), "originals/" + id, "image/jpeg", java.time.Instant.now()),
                java.time.Duration.ofMinutes(10));
        PipelineEvents events = stack.function("gateway").getBean(PipelineEvents.class);
        CloudEvent dead = CloudEventBuilder.v1(
                        events.step(new StepData(id, 0, "originals/" + id, List.of("blur"), Map.of())))
                .withExtension(EventTypes.KNATIVE_ERROR_CODE, "503")
                .withExtension(EventTypes.KNATIVE_ERROR_DEST, "http://blur.imageflow.svc.cluster.local")
                .withExtension(
                        EventTypes.KNATIVE_ERROR_DATA,
                        java.util.Base64.getEncoder()
                                .encodeToString("{\"status\":503,\"error\":\"S3 is unavailable: connection refused\"}"
                                        .getBytes()))
                .build();

        CloudEventHttp.Reply reply =
                new CloudEventHttp().sendBinary(stack.gateway().resolve("/jobDeadLettered"), dead);

        assertThat(reply.status()).isEqualTo(200);
        JsonNode job = gateway.get("/jobs/" + id).json();
        assertThat(job.path("status").asText()).isEqualTo("failed");
        assertThat(job.path("error").asText())
                .isEqualTo("blur step could not be delivered: HTTP 503: S3 is unavailable: connection refused");
    }

    private JsonNode awaitJob(String id) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (gateway.get("/jobs/" + id).status() == 404 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        return gateway.awaitFinal(id, Duration.ofSeconds(60));
    }

    static List<String> objectKeys(String id) {
        return objectKeys(stack, id);
    }

    /** The bucket's keys that contain {@code id}, listed with a plain S3 client. */
    static List<String> objectKeys(LocalStack stack, String id) {
        try (S3Client client = s3Client(stack)) {
            return client.listObjectsV2Paginator(b -> b.bucket(LocalStack.BUCKET)).contents().stream()
                    .map(S3Object::key)
                    .filter(k -> k.contains(id))
                    .toList();
        }
    }

    static int objectCount(LocalStack stack) {
        return objectKeys(stack, "").size();
    }

    static S3Client s3Client(LocalStack stack) {
        return S3Client.builder()
                .endpointOverride(stack.s3().endpoint())
                .region(Region.US_EAST_1)
                .forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(
                        dev.imageflow.core.embedded.EmbeddedS3.ACCESS_KEY,
                        dev.imageflow.core.embedded.EmbeddedS3.SECRET_KEY)))
                .build();
    }
}
