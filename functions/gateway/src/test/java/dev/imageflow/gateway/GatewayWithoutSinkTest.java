package dev.imageflow.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.imageflow.core.job.JobStore;
import dev.imageflow.core.test.TestImages;
import dev.imageflow.core.test.TestStores;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A gateway started before its SinkBinding (a first revision on Knative) has no K_SINK: it starts, is not ready,
 * says why, and refuses uploads with a 503 that leaves nothing behind, where it used to fail to start and
 * crash-loop.
 */
@SpringBootTest(
        classes = GatewayApplication.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "spring.config.name=gateway",
            "imageflow.gateway.sink=",
            "management.endpoint.health.show-details=always"
        })
class GatewayWithoutSinkTest {

    @LocalServerPort
    int port;

    @Autowired
    JobStore jobs;

    private final HttpClient http = HttpClient.newHttpClient();

    @DynamicPropertySource
    static void stores(DynamicPropertyRegistry registry) {
        TestStores.register(registry);
    }

    @Test
    void itIsNotReadyAndSaysTheSinkBindingSetsK_SINK() throws Exception {
        HttpResponse<String> readiness = http.send(
                HttpRequest.newBuilder(uri("/actuator/health/readiness")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(readiness.statusCode()).isEqualTo(503);
        assertThat(readiness.body()).contains("K_SINK").contains("SinkBinding");
        HttpResponse<String> liveness = http.send(
                HttpRequest.newBuilder(uri("/actuator/health/liveness")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(liveness.statusCode())
                .as("alive: Knative must not restart it")
                .isEqualTo(200);
    }

    @Test
    void anUploadIs503AndLeavesNoJob() throws Exception {
        long before = jobs.recentCount();
        String boundary = "b" + UUID.randomUUID();
        byte[] image = TestImages.jpeg(TestImages.photo(64, 48));
        var body = new java.io.ByteArrayOutputStream();
        body.writeBytes(
                ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"effects\"\r\n\r\nbw\r\n--" + boundary
                                + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"p.jpg\"\r\nContent-Type: image/jpeg\r\n\r\n")
                        .getBytes(StandardCharsets.UTF_8));
        body.writeBytes(image);
        body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));

        HttpResponse<String> answer = http.send(
                HttpRequest.newBuilder(uri("/upload"))
                        .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()))
                        .build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(answer.statusCode()).isEqualTo(503);
        assertThat(answer.headers().firstValue("Retry-After")).isPresent();
        assertThat(answer.body()).contains("event sink");
        assertThat(jobs.recentCount()).isEqualTo(before);
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }
}
