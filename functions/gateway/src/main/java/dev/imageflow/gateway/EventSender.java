package dev.imageflow.gateway;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;

import org.springframework.stereotype.Component;

import dev.imageflow.core.event.CloudEventRequests;
import dev.imageflow.core.storage.StoreUnavailableException;
import io.cloudevents.CloudEvent;

/** Emits events to the sink (the Broker) in binary mode, the way Knative sources do. */
@Component
public class EventSender {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
    private final URI sink;

    public EventSender(GatewayProperties properties) {
        if (properties.sink() == null || properties.sink().toString().isBlank()) {
            throw new IllegalStateException("imageflow.gateway.sink (K_SINK) is not set: the gateway has nowhere to"
                    + " send events. On Knative the SinkBinding sets it; see eventing/gateway-sinkbinding.yaml");
        }
        this.sink = properties.sink();
    }

    /**
     * @throws StoreUnavailableException when the sink does not accept the event, so the caller answers 503
     */
    public void send(CloudEvent event) {
        try {
            HttpResponse<String> response = http.send(CloudEventRequests.binary(sink, event, Duration.ofSeconds(10)),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() / 100 != 2) {
                throw new StoreUnavailableException("the event sink",
                        new IOException("HTTP " + response.statusCode() + " from " + sink));
            }
        } catch (IOException e) {
            throw new StoreUnavailableException("the event sink", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreUnavailableException("the event sink", e);
        }
    }
}
