package dev.imageflow.core.test;

import dev.imageflow.core.event.CloudEventRequests;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.message.MessageReader;
import io.cloudevents.core.provider.EventFormatProvider;
import io.cloudevents.http.HttpMessageFactory;
import io.cloudevents.jackson.JsonFormat;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Sends CloudEvents over real HTTP as Knative's Broker does (binary mode) or as many producers do (structured
 * mode), and reads the reply event, if any.
 */
public final class CloudEventHttp {

    private final HttpClient client =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public Reply sendBinary(URI target, CloudEvent event) {
        return sendBinary(target, event, Duration.ofSeconds(60));
    }

    /** For steps that may take longer than a minute, such as the largest images on a loaded machine. */
    public Reply sendBinary(URI target, CloudEvent event, Duration timeout) {
        return send(CloudEventRequests.binary(target, event, timeout));
    }

    public Reply sendStructured(URI target, CloudEvent event) {
        byte[] body = EventFormatProvider.getInstance()
                .resolveFormat(JsonFormat.CONTENT_TYPE)
                .serialize(event);
        return send(HttpRequest.newBuilder(target)
                .timeout(Duration.ofSeconds(60))
                .header("Content-Type", JsonFormat.CONTENT_TYPE)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build());
    }

    public Reply sendRaw(URI target, String contentType, byte[] body, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(target)
                .timeout(Duration.ofSeconds(60))
                .header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return send(request.build());
    }

    private Reply send(HttpRequest request) {
        try {
            HttpResponse<byte[]> response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
            return new Reply(response);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The HTTP answer, and the CloudEvent in it when there is one. */
    public record Reply(HttpResponse<byte[]> response) {

        public int status() {
            return response.statusCode();
        }

        public String body() {
            return new String(response.body(), java.nio.charset.StandardCharsets.UTF_8);
        }

        public CloudEvent event() {
            MessageReader reader = HttpMessageFactory.createReaderFromMultimap(
                    response.headers().map(), response.body());
            return reader.toEvent();
        }
    }
}
