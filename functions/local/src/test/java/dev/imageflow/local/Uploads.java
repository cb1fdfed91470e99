package dev.imageflow.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/** Speaks to the gateway as curl does: multipart uploads and plain GETs over real HTTP. */
final class Uploads {

    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private final ObjectMapper json = new ObjectMapper();
    private final URI gateway;

    Uploads(URI gateway) {
        this.gateway = gateway;
    }

    record Answer(int status, byte[] body, HttpResponse<byte[]> response) {

        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        JsonNode json() {
            try {
                return new ObjectMapper().readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + text(), e);
            }
        }

        String header(String name) {
            return response.headers().firstValue(name).orElse(null);
        }
    }

    /** {@code curl -F file=@name -F k=v ...}; a null file leaves the file part out. */
    Answer upload(byte[] file, String filename, Map<String, String> fields, String... headers) {
        return uploadTo("/upload", file, filename, fields, headers);
    }

    /** As {@link #upload}, to a path written as given (e.g. percent-encoded). */
    Answer uploadTo(String path, byte[] file, String filename, Map<String, String> fields, String... headers) {
        String boundary = "----imageflow" + UUID.randomUUID();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        Map<String, String> all = new LinkedHashMap<>(fields);
        all.forEach((name, value) -> part(
                body,
                boundary,
                "Content-Disposition: form-data; name=\"" + name + "\"\r\n\r\n",
                value.getBytes(StandardCharsets.UTF_8)));
        if (file != null) {
            part(
                    body,
                    boundary,
                    "Content-Disposition: form-data; name=\"file\"; filename=\"" + filename
                            + "\"\r\nContent-Type: image/jpeg\r\n\r\n",
                    file);
        }
        body.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        HttpRequest.Builder request = HttpRequest.newBuilder(gateway.resolve(path))
                .timeout(Duration.ofSeconds(120))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()));
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return send(request.build());
    }

    Answer upload(byte[] file, String effects) {
        return upload(file, "photo.jpg", Map.of("effects", effects));
    }

    /** A GET with the given headers, as name, value, name, value... */
    Answer get(String path, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(gateway.resolve(path))
                .timeout(Duration.ofSeconds(30))
                .GET();
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return send(request.build());
    }

    /**
     * Polls {@code /actuator/health} from the moment the port may not even be open until it first says UP, as a
     * user's script would, and returns right then.
     *
     * @param alive checked on every poll: the starting runner has not died
     */
    void awaitHealthy(Duration timeout, java.util.function.BooleanSupplier alive) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline && alive.getAsBoolean()) {
            try {
                Answer health = get("/actuator/health");
                if (health.status() == 200 && health.text().contains("\"UP\"")) {
                    return;
                }
            } catch (UncheckedIOException notListeningYet) {
                // the port is not open yet
            }
            Thread.sleep(20);
        }
        throw new AssertionError("never healthy");
    }

    /** Polls {@code /jobs/<id>} until the job is final. */
    JsonNode awaitFinal(String id, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            JsonNode job = get("/jobs/" + id).json();
            String status = job.path("status").asText();
            if (status.equals("done") || status.equals("failed") || System.nanoTime() > deadline) {
                return job;
            }
            Thread.sleep(50);
        }
    }

    private Answer send(HttpRequest request) {
        try {
            HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            return new Answer(response.statusCode(), response.body(), response);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void part(ByteArrayOutputStream body, String boundary, String headers, byte[] content) {
        body.writeBytes(("--" + boundary + "\r\n" + headers).getBytes(StandardCharsets.UTF_8));
        body.writeBytes(content);
        body.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
    }
}
