package dev.imageflow.core.event;

import io.cloudevents.CloudEvent;
import io.cloudevents.http.HttpMessageFactory;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;

/** The HTTP POST that delivers a CloudEvent in binary mode, as Knative's Broker and sources send them. */
public final class CloudEventRequests {

    private CloudEventRequests() {}

    public static HttpRequest binary(URI target, CloudEvent event, Duration timeout) {
        HttpRequest.Builder request = HttpRequest.newBuilder(target).timeout(timeout);
        byte[][] body = new byte[1][];
        HttpMessageFactory.createWriter(request::header, bytes -> body[0] = bytes)
                .writeBinary(event);
        return request.POST(HttpRequest.BodyPublishers.ofByteArray(body[0] == null ? new byte[0] : body[0]))
                .build();
    }
}
