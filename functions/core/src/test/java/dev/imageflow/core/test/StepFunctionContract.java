package dev.imageflow.core.test;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.imageflow.core.event.EventTypes;
import dev.imageflow.core.event.JobFinishedData;
import dev.imageflow.core.event.ObjectKeys;
import dev.imageflow.core.event.PipelineEvents;
import dev.imageflow.core.event.StepData;
import dev.imageflow.core.job.JobRecord;
import dev.imageflow.core.job.JobStatus;
import dev.imageflow.core.job.JobStore;
import dev.imageflow.core.storage.BlobStore;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * What every effect service promises over HTTP, whatever its effect: an effect module's test extends this with
 * {@code @SpringBootTest(webEnvironment = RANDOM_PORT)} and runs it against real Redis and S3Proxy.
 */
public abstract class StepFunctionContract {

    @LocalServerPort
    int port;

    @Autowired
    protected BlobStore blobs;

    @Autowired
    protected JobStore jobs;

    @Autowired
    protected PipelineEvents events;

    @Autowired
    protected ObjectMapper json;

    @Autowired
    protected MeterRegistry meters;

    protected final CloudEventHttp http = new CloudEventHttp();

    @DynamicPropertySource
    static void stores(DynamicPropertyRegistry registry) {
        TestStores.register(registry);
    }

    /** The effect under test. */
    protected abstract String effect();

    /** Some other effect, to chain after it. */
    protected abstract String otherEffect();

    protected URI uri() {
        return URI.create("http://127.0.0.1:" + port + "/");
    }

    /** Stores an original and creates its job, as the gateway does on upload. */
    protected StepData newJob(byte[] image, String contentType, List<String> effects, Map<String, String> params) {
        String job = UUID.randomUUID().toString();
        blobs.put(ObjectKeys.original(job), image, contentType);
        jobs.create(
                JobRecord.pending(job, effects, params, ObjectKeys.original(job), contentType, Instant.now()),
                java.time.Duration.ofMinutes(10));
        return new StepData(job, 0, ObjectKeys.original(job), effects, params);
    }

    protected StepData newJob(List<String> effects) {
        return newJob(TestImages.jpeg(TestImages.photo(160, 120)), "image/jpeg", effects, Map.of());
    }

    @Test
    void aBinaryStepEventOnTheLastStepIsAnsweredWithTheJobsCompletion() throws Exception {
        StepData step = newJob(List.of(effect()));

        CloudEventHttp.Reply reply = http.sendBinary(uri(), events.step(step));

        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        CloudEvent answer = reply.event();
        assertThat(answer.getType()).isEqualTo(EventTypes.JOB_COMPLETED);
        assertThat(answer.getExtension(EventTypes.JOB)).isEqualTo(step.job());
        JobFinishedData data = json.readValue(answer.getData().toBytes(), JobFinishedData.class);
        assertThat(data.output()).isEqualTo(ObjectKeys.result(step.job(), 0, effect()));
        assertResultStoredAndRecorded(step);
    }

    @Test
    void aStructuredStepEventIsAnsweredWithTheNextStepForTheNextEffect() throws Exception {
        StepData step = newJob(List.of(effect(), otherEffect()));

        CloudEventHttp.Reply reply = http.sendStructured(uri(), events.step(step));

        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        CloudEvent answer = reply.event();
        assertThat(answer.getType()).isEqualTo(EventTypes.STEP);
        assertThat(answer.getExtension(EventTypes.EFFECT)).isEqualTo(otherEffect());
        StepData next = json.readValue(answer.getData().toBytes(), StepData.class);
        assertThat(next.step()).isEqualTo(1);
        assertThat(next.input()).isEqualTo(ObjectKeys.result(step.job(), 0, effect()));
        assertThat(next.effects()).containsExactly(effect(), otherEffect());
        assertResultStoredAndRecorded(step);
    }

    @Test
    void aReplyCarriesOnlyItsOwnAttributesNotThoseOfTheRequest() throws Exception {
        StepData step = newJob(List.of(effect()));

        CloudEventHttp.Reply reply = http.sendBinary(uri(), events.step(step));

        assertThat(reply.event().getType()).isEqualTo(EventTypes.JOB_COMPLETED);
        assertThat(reply.event().getExtension(EventTypes.EFFECT))
                .as("the step's effect attribute")
                .isNull();
    }

    @Test
    void aStepForAFinishedJobIsAcknowledgedWithoutAReplyEvent() {
        StepData step = newJob(List.of(effect()));
        jobs.fail(step.job(), "given up");

        CloudEventHttp.Reply reply = http.sendBinary(uri(), events.step(step));

        assertThat(reply.status()).isBetween(200, 299);
        // Without these the Broker sees no reply; echoed from the request, it would deliver the step again.
        assertThat(reply.response().headers().firstValue("ce-specversion")).isEmpty();
        assertThat(reply.response().headers().firstValue("ce-type")).isEmpty();
    }

    @Test
    void theSameStepDeliveredTwiceIsDoneAndRecordedOnce() throws Exception {
        StepData step = newJob(List.of(effect()));
        CloudEvent event = events.step(step);

        CloudEventHttp.Reply first = http.sendBinary(uri(), event);
        var recorded = jobs.findStep(step.job(), 0).orElseThrow();
        CloudEventHttp.Reply second = http.sendBinary(uri(), event);

        assertThat(second.status()).isEqualTo(200);
        assertThat(second.event().getType()).isEqualTo(first.event().getType());
        assertThat(second.event().getData().toBytes())
                .isEqualTo(first.event().getData().toBytes());
        assertThat(jobs.findStep(step.job(), 0)).contains(recorded);
        assertThat(jobs.find(step.job()).orElseThrow().steps()).hasSize(1);
    }

    @Test
    void anImageThatCannotBeDecodedEndsTheJobWithTheReasonInsteadOfBeingRetried() throws Exception {
        byte[] truncated = java.util.Arrays.copyOf(TestImages.png(TestImages.photo(64, 64)), 60);
        StepData step = newJob(truncated, "image/png", List.of(effect()), Map.of());

        CloudEventHttp.Reply reply = http.sendBinary(uri(), events.step(step));

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.event().getType()).isEqualTo(EventTypes.JOB_FAILED);
        JobFinishedData data = json.readValue(reply.event().getData().toBytes(), JobFinishedData.class);
        assertThat(data.error()).startsWith(effect() + ": ").contains("cannot be decoded");
        assertThat(blobs.size(ObjectKeys.result(step.job(), 0, effect()))).isEmpty();
    }

    @Test
    void aStepEventThatReadsAnObjectItsJobDidNotMakeIsRefusedWith400AndChangesNothing() {
        StepData victim = newJob(List.of(effect()));
        StepData other = newJob(List.of(effect()));
        StepData forged = new StepData(victim.job(), 0, other.input(), victim.effects(), victim.params());

        CloudEventHttp.Reply reply = http.sendBinary(uri(), events.step(forged));

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.body()).contains("does not match the job's record");
        assertThat(jobs.find(victim.job()).orElseThrow().steps()).isEmpty();
        assertThat(blobs.size(ObjectKeys.result(victim.job(), 0, effect()))).isEmpty();
    }

    @Test
    void twoCopiesOfAStepArrivingTogetherDoTheWorkOnceAndGetTheSameAnswer() throws Exception {
        StepData step =
                newJob(TestImages.jpeg(TestImages.photo(1600, 1200)), "image/jpeg", List.of(effect()), Map.of());
        CloudEvent event = events.step(step);
        long before = effectsApplied();

        // Two threads of their own: the common pool may have a single thread on a small machine.
        java.util.concurrent.ExecutorService two = java.util.concurrent.Executors.newFixedThreadPool(2);
        CompletableFuture<CloudEventHttp.Reply> first =
                CompletableFuture.supplyAsync(() -> http.sendBinary(uri(), event), two);
        CompletableFuture<CloudEventHttp.Reply> second =
                CompletableFuture.supplyAsync(() -> http.sendBinary(uri(), event), two);
        two.shutdown();

        assertThat(first.get(60, TimeUnit.SECONDS).status()).isEqualTo(200);
        assertThat(second.get(60, TimeUnit.SECONDS).status()).isEqualTo(200);
        assertThat(second.get().event().getData().toBytes())
                .isEqualTo(first.get().event().getData().toBytes());
        assertThat(effectsApplied() - before).as("times the effect ran").isEqualTo(1);
    }

    private long effectsApplied() {
        Timer timer =
                meters.find("imageflow.step.effect").tag("effect", effect()).timer();
        return timer == null ? 0 : timer.count();
    }

    @Test
    void aStepForAnotherEffectIsRefusedWith400() {
        StepData step = newJob(List.of(otherEffect()));

        CloudEventHttp.Reply reply = http.sendBinary(uri(), events.step(step));

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.body()).contains("this function applies " + effect());
    }

    @Test
    void anEventWhoseDataIsNotAStepIsRefusedWith400() {
        CloudEvent event = CloudEventBuilder.v1()
                .withId("1")
                .withSource(URI.create("/test"))
                .withType(EventTypes.STEP)
                .withExtension(EventTypes.EFFECT, effect())
                .withDataContentType("application/json")
                .withData("{\"job\": [1, 2]}".getBytes())
                .build();

        CloudEventHttp.Reply reply = http.sendBinary(uri(), event);

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.body()).contains("StepData");
    }

    @Test
    void aRequestThatIsNoCloudEventIsRefusedWith400() {
        CloudEventHttp.Reply reply = http.sendRaw(uri(), "application/json", "{\"hello\": 1}".getBytes());

        assertThat(reply.status()).isBetween(400, 499);
    }

    private void assertResultStoredAndRecorded(StepData step) {
        String key = ObjectKeys.result(step.job(), 0, effect());
        try (S3Client s3 = TestStores.get().s3Client()) {
            var head = s3.headObject(b -> b.bucket(TestStores.BUCKET).key(key));
            assertThat(head.contentType()).isEqualTo("image/jpeg");
            assertThat(head.contentLength()).isPositive();
        }
        assertThat(jobs.findStep(step.job(), 0)).hasValueSatisfying(recorded -> {
            assertThat(recorded.effect()).isEqualTo(effect());
            assertThat(recorded.output()).isEqualTo(key);
        });
        assertThat(jobs.find(step.job()).orElseThrow().status()).isEqualTo(JobStatus.RUNNING);
        // The original is an input; no step ever overwrites it.
        assertThat(blobs.size(ObjectKeys.original(step.job()))).isPresent();
    }
}
