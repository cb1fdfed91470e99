package dev.imageflow.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.imageflow.core.event.EventTypes;
import dev.imageflow.core.event.ObjectKeys;
import dev.imageflow.core.event.PipelineEvents;
import dev.imageflow.core.event.StepData;
import dev.imageflow.core.test.CloudEventHttp;
import dev.imageflow.core.test.TestImages;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Only real completions complete a job: whoever can reach the gateway or the Broker can send events, but a job only
 * ends the way its record says it may, and the real steps then still finish it.
 */
class ForgedEventsTest extends OnLocalStack {

    static final byte[] PHOTO = TestImages.jpeg(TestImages.photo(400, 300));
    final CloudEventHttp http = new CloudEventHttp();

    @BeforeAll
    static void start() {
        // Slow enough that the forgeries arrive while the job is still running.
        startStack(LocalStack.Settings.forTests().with(Map.of("imageflow.step.demo-delay", "700ms")));
    }

    private PipelineEvents events() {
        return stack.function("gateway").getBean(PipelineEvents.class);
    }

    private String runningJob() {
        Uploads.Answer answer =
                gateway.upload(PHOTO, "photo.jpg", Map.of("effects", "bw,blur"), "Prefer", "respond-async");
        assertThat(answer.status()).as(answer.text()).isEqualTo(202);
        return answer.json().path("id").asText();
    }

    private String doneJob() {
        Uploads.Answer answer = gateway.upload(PHOTO, "bw");
        assertThat(answer.status()).as(answer.text()).isEqualTo(200);
        return answer.json().path("id").asText();
    }

    private URI gatewayPath(String path) {
        return stack.gateway().resolve(path);
    }

    @Test
    void aCompletionNamingAnotherJobsImageIsRefusedAndTheJobEndsWithItsOwnResult() throws Exception {
        String other = doneJob();
        String victim = runningJob();

        CloudEventHttp.Reply reply = http.sendBinary(
                gatewayPath("/jobFinished"), events().completed(victim, ObjectKeys.result(other, 0, "bw")));

        assertThat(reply.status()).as(reply.body()).isEqualTo(400);
        assertThat(reply.body()).contains("refused");
        JsonNode job = gateway.awaitFinal(victim, Duration.ofSeconds(60));
        assertThat(job.path("status").asText()).isEqualTo("done");
        assertThat(job.path("steps").findValuesAsText("effect")).containsExactly("bw", "blur");
        assertThat(gateway.get("/image/" + victim).body())
                .isNotEqualTo(gateway.get("/image/" + other).body());
    }

    @Test
    void aCompletionNamingTheRightKeyBeforeTheStepsAreRecordedIsRefused() throws Exception {
        String victim = runningJob();

        CloudEventHttp.Reply reply = http.sendBinary(
                gatewayPath("/jobFinished"), events().completed(victim, ObjectKeys.result(victim, 1, "blur")));

        assertThat(reply.status()).isEqualTo(400);
        assertThat(gateway.awaitFinal(victim, Duration.ofSeconds(60))
                        .path("status")
                        .asText())
                .isEqualTo("done");
    }

    @Test
    void aFailureNoStepRecordedIsRefused() throws Exception {
        String victim = runningJob();

        CloudEventHttp.Reply reply = http.sendBinary(gatewayPath("/jobFinished"), events().failed(victim, "forged"));

        assertThat(reply.status()).isEqualTo(400);
        assertThat(gateway.awaitFinal(victim, Duration.ofSeconds(60))
                        .path("status")
                        .asText())
                .isEqualTo("done");
    }

    @Test
    void aForgedDeadLetterDoesNotFailAJob() throws Exception {
        String other = doneJob();
        String victim = runningJob();
        StepData foreign =
                new StepData(victim, 0, ObjectKeys.original(other), java.util.List.of("bw", "blur"), Map.of());
        CloudEvent letter = CloudEventBuilder.v1(events().step(foreign))
                .withExtension(EventTypes.KNATIVE_ERROR_CODE, "500")
                .build();

        CloudEventHttp.Reply reply = http.sendBinary(gatewayPath("/jobDeadLettered"), letter);

        assertThat(reply.status()).isBetween(200, 299);
        assertThat(gateway.awaitFinal(victim, Duration.ofSeconds(60))
                        .path("status")
                        .asText())
                .isEqualTo("done");
    }

    @Test
    void theEventEndpointsDoNotExistUnderThePublicRoutesHost() throws Exception {
        for (String endpoint : java.util.List.of("/jobFinished", "/jobDeadLettered", "/jobRequested")) {
            assertThat(statusUnderHost(endpoint, "gateway.imageflow.example.com"))
                    .as(endpoint)
                    .isEqualTo(404);
            assertThat(statusUnderHost(endpoint, "gateway.imageflow.svc.cluster.local"))
                    .as(endpoint)
                    .isEqualTo(400);
        }
        assertThat(statusUnderHost("/jobs", "gateway.imageflow.example.com")).isEqualTo(200);
    }

    /** A raw request, since Java's HTTP client will not send a Host header of the caller's choosing. */
    private static int statusUnderHost(String path, String host) throws java.io.IOException {
        boolean post = !path.equals("/jobs");
        try (java.net.Socket socket =
                new java.net.Socket(stack.gateway().getHost(), stack.gateway().getPort())) {
            socket.getOutputStream()
                    .write(((post ? "POST " : "GET ") + path + " HTTP/1.1\r\nHost: " + host
                                    + "\r\nContent-Type: application/json\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                            .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            String status = new java.io.BufferedReader(new java.io.InputStreamReader(
                            socket.getInputStream(), java.nio.charset.StandardCharsets.US_ASCII))
                    .readLine();
            return Integer.parseInt(status.split(" ")[1]);
        }
    }

    @Test
    void aForgedEventSentThroughTheBrokerEndsNothingEither() throws Exception {
        String other = doneJob();
        String victim = runningJob();

        stack.broker().publish(events().completed(victim, ObjectKeys.result(other, 0, "bw")));

        JsonNode job = gateway.awaitFinal(victim, Duration.ofSeconds(60));
        assertThat(job.path("status").asText()).as(job.toString()).isEqualTo("done");
        assertThat(job.path("steps")).hasSize(2);
    }
}
