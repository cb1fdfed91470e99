package dev.imageflow.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.imageflow.core.event.EventTypes;
import dev.imageflow.core.job.JobStore;
import dev.imageflow.core.test.CloudEventHttp;
import dev.imageflow.core.test.TestImages;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every kind of bad input is refused with a clear 4xx JSON error, and leaves no object in the bucket and no job
 * in Redis behind.
 */
class RejectedInputTest extends OnLocalStack {

    static StatefulRedisConnection<String, String> redis;
    static final byte[] PHOTO = TestImages.jpeg(TestImages.photo(320, 240));

    @BeforeAll
    static void start() {
        // Small limits, so that "too large" needs no large test data.
        startStack(LocalStack.Settings.forTests()
                .with(Map.of("imageflow.image.max-bytes", "1MB", "imageflow.image.max-megapixels", "50")));
        redis = RedisClient.create(stack.redis().url()).connect();
    }

    @AfterAll
    static void stop() {
        redis.close();
    }

    @Test
    void aTextFileSentAsAJpegIs415() {
        assertRefused(
                gateway.upload("hello, I am not a picture".getBytes(), "photo.jpg", Map.of("effects", "bw")),
                415,
                "not a supported image: expected JPEG, PNG, GIF or BMP");
    }

    @Test
    void aTruncatedJpegIs422() {
        byte[] truncated = Arrays.copyOf(PHOTO, PHOTO.length * 2 / 3);
        Uploads.Answer answer = gateway.upload(truncated, "photo.jpg", Map.of("effects", "bw"));
        assertRefused(answer, 422, "image data is damaged");
    }

    @Test
    void aTruncatedPngIs422() {
        byte[] png = TestImages.png(TestImages.photo(200, 200));
        assertRefused(
                gateway.upload(Arrays.copyOf(png, png.length / 2), "photo.png", Map.of("effects", "bw")),
                422,
                "cannot be decoded");
    }

    @Test
    void anEmptyFileIs400() {
        assertRefused(gateway.upload(new byte[0], "photo.jpg", Map.of("effects", "bw")), 400, "the file is empty");
    }

    @Test
    void anUploadOverTheSizeLimitIs413() {
        byte[] big = Arrays.copyOf(PHOTO, 1_200_000);
        assertRefused(gateway.upload(big, "photo.jpg", Map.of("effects", "bw")), 413, "larger than the limit");
    }

    @Test
    void anImageOverThePixelLimitIsRefusedFromItsHeaderBeforeDecoding() {
        // A few dozen bytes declaring 20000 x 20000 pixels: decoding it would need 1.6 GB.
        assertRefused(
                gateway.upload(pngHeader(20_000, 20_000), "bomb.png", Map.of("effects", "bw")),
                413,
                "the image is 20000 x 20000 (400.0 MP); the limit is 50.0 MP");
    }

    @Test
    void anUnknownEffectIs400() {
        assertRefused(
                gateway.upload(PHOTO, "sepia"),
                400,
                "unknown effect 'sepia': choose from [blur, bw, invert, thumbnail]");
    }

    @Test
    void tooManyEffectsAre400() {
        assertRefused(
                gateway.upload(PHOTO, "bw,bw,bw,bw,bw,bw,bw,bw,bw"), 400, "9 effects given; at most 8 may be chained");
    }

    @Test
    void aParameterOutOfRangeIs400() {
        assertRefused(
                gateway.upload(PHOTO, "photo.jpg", Map.of("effects", "blur", "blur.sigma", "1000")),
                400,
                "blur.sigma must be between 0.3 and 50, got 1000");
    }

    @Test
    void anUnknownParameterIs400() {
        assertRefused(
                gateway.upload(PHOTO, "photo.jpg", Map.of("effects", "blur", "blur.radius", "3")),
                400,
                "unknown parameter 'blur.radius'");
    }

    @Test
    void aParameterForAnEffectNotAppliedIs400() {
        assertRefused(
                gateway.upload(PHOTO, "photo.jpg", Map.of("effects", "bw", "thumbnail.size", "64")),
                400,
                "parameter 'thumbnail.size' given but thumbnail is not applied");
    }

    @Test
    void anUploadWithoutAFileIs400() {
        assertRefused(gateway.upload(null, "photo.jpg", Map.of("effects", "bw")), 400, "file");
    }

    @Test
    void aRequestThatIsNoCloudEventIs400() {
        CloudEventHttp.Reply reply = new CloudEventHttp()
                .sendRaw(
                        stack.gateway().resolve("/jobRequested"),
                        "application/json",
                        "{\"key\": \"uploads/x.jpg\"}".getBytes());
        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.body()).contains("not a CloudEvent");
    }

    @Test
    void aJobRequestWithDataOfTheWrongShapeIs400() throws Exception {
        assertRefused(request(Map.of("key", List.of(1, 2))), 400, "event data is not a valid JobRequest");
    }

    @Test
    void aJobRequestOutsideTheUploadsPrefixIs400() throws Exception {
        assertRefused(
                request(Map.of("key", "originals/someone-elses", "effects", List.of("bw"))),
                400,
                "key must be an object under uploads/");
        assertRefused(
                request(Map.of("key", "uploads/../originals/x", "effects", List.of("bw"))),
                400,
                "key must be an object under uploads/");
    }

    @Test
    void aJobRequestForAMissingObjectIs400() throws Exception {
        assertRefused(
                request(Map.of("key", "uploads/nothing-here.jpg", "effects", List.of("bw"))),
                400,
                "no such object uploads/nothing-here.jpg");
    }

    @Test
    void theBrokerRefusesWhatIsNoCloudEvent() {
        CloudEventHttp.Reply reply =
                new CloudEventHttp().sendRaw(stack.broker().address(), "text/plain", "hello".getBytes());
        assertThat(reply.status()).isEqualTo(400);
    }

    @Test
    void aJobListingLimitThatIsNoNumberIs400WithTheReason() {
        Uploads.Answer answer = gateway.get("/jobs?limit=abc");

        assertThat(answer.status()).as(answer.text()).isEqualTo(400);
        assertThat(answer.json().path("error").asText())
                .isEqualTo("parameter 'limit' must be a whole number, not 'abc'");
    }

    @Test
    void theAnswerToAJobRequestCarriesOnlyTheReplyEventsHeaders() throws Exception {
        String key = "uploads/reply-" + java.util.UUID.randomUUID() + ".jpg";
        try (var s3 = LocalPipelineTest.s3Client(stack)) {
            s3.putObject(
                    b -> b.bucket(LocalStack.BUCKET).key(key),
                    software.amazon.awssdk.core.sync.RequestBody.fromBytes(PHOTO));
        }
        CloudEvent event = CloudEventBuilder.v1()
                .withId(java.util.UUID.randomUUID().toString())
                .withSource(URI.create("/tests"))
                .withType(EventTypes.JOB_REQUESTED)
                .withDataContentType("application/json")
                .withData(new ObjectMapper().writeValueAsBytes(Map.of("key", key, "effects", List.of("bw"))))
                .build();

        CloudEventHttp.Reply reply = new CloudEventHttp()
                .sendRaw(
                        stack.gateway().resolve("/jobRequested"),
                        "application/json",
                        event.getData().toBytes(),
                        "ce-specversion",
                        "1.0",
                        "ce-id",
                        event.getId(),
                        "ce-source",
                        "/tests",
                        "ce-type",
                        EventTypes.JOB_REQUESTED,
                        "User-Agent",
                        "curl/8.0",
                        "X-Secret-Header",
                        "do-not-echo");

        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        assertThat(reply.event().getType()).isEqualTo(EventTypes.JOB_ACCEPTED);
        assertThat(reply.response().headers().firstValue("Content-Type"))
                .hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
        assertThat(reply.response().headers().map().keySet())
                .allSatisfy(
                        header -> assertThat(header.toLowerCase())
                                .matches(
                                        "ce-.*|content-type|content-length|date|transfer-encoding|connection|keep-alive|:status"));
    }

    private CloudEventHttp.Reply request(Map<String, Object> data) throws Exception {
        CloudEvent event = CloudEventBuilder.v1()
                .withId(java.util.UUID.randomUUID().toString())
                .withSource(URI.create("/tests"))
                .withType(EventTypes.JOB_REQUESTED)
                .withDataContentType("application/json")
                .withData(new ObjectMapper().writeValueAsBytes(data))
                .build();
        return new CloudEventHttp().sendStructured(stack.gateway().resolve("/jobRequested"), event);
    }

    private void assertRefused(CloudEventHttp.Reply reply, int status, String message) {
        assertThat(reply.status()).as(reply.body()).isEqualTo(status);
        assertThat(reply.body()).contains(message);
        assertNothingLeftBehind();
    }

    private void assertRefused(Uploads.Answer answer, int status, String message) {
        assertThat(answer.status()).as(answer.text()).isEqualTo(status);
        assertThat(answer.json().path("status").asInt()).isEqualTo(status);
        assertThat(answer.json().path("error").asText()).contains(message);
        assertThat(answer.text()).doesNotContain("\tat ").doesNotContain("Exception");
        assertNothingLeftBehind();
    }

    private void assertNothingLeftBehind() {
        assertThat(redis.sync().keys(JobStore.key("*"))).isEmpty();
        assertThat(stack.function("gateway").getBean(JobStore.class).recentCount())
                .isZero();
        assertThat(LocalPipelineTest.objectCount(stack)).isZero();
    }

    /** A PNG that is nothing but a valid header: signature, IHDR with the given size, IEND. */
    static byte[] pngHeader(int width, int height) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A});
        chunk(
                out,
                "IHDR",
                ByteBuffer.allocate(13)
                        .putInt(width)
                        .putInt(height)
                        .put((byte) 8)
                        .put((byte) 2)
                        .put((byte) 0)
                        .put((byte) 0)
                        .put((byte) 0)
                        .array());
        chunk(out, "IEND", new byte[0]);
        return out.toByteArray();
    }

    private static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
        out.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
        byte[] typeBytes = type.getBytes(StandardCharsets.US_ASCII);
        out.writeBytes(typeBytes);
        out.writeBytes(data);
        CRC32 crc = new CRC32();
        crc.update(typeBytes);
        crc.update(data);
        out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }
}
