package dev.imageflow.gateway;

import dev.imageflow.core.event.CloudEventRequests;
import dev.imageflow.core.storage.StoreUnavailableException;
import io.cloudevents.CloudEvent;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.slf4j.LoggerFactory;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * Emits events to the sink (the Broker) in binary mode, the way Knative sources do. As the "sink" health indicator
 * in the readiness group it is DOWN while there is no sink: on Knative the SinkBinding gives the gateway K_SINK by
 * patching its Service, which starts a new revision, so a first revision made before the binding waits, not ready,
 * instead of crash-looping, and no upload reaches a gateway that could not start its job.
 */
@Component("sink")
public class EventSender implements HealthIndicator {

    static final String NO_SINK = "imageflow.gateway.sink (K_SINK) is not set: the gateway has nowhere to send events."
            + " On Knative the SinkBinding (eventing/gateway-sinkbinding.yaml) sets it; a cluster whose bindings are"
            + " opt-in needs the namespace labelled bindings.knative.dev/include=true";

    /**
     * Built beside Spring's start rather than on its main thread: a JDK HttpClient loads the default SSL context (the
     * trust store's certificates) as it is built, 0.15 s before a cold gateway's port could open.
     */
    private final CompletableFuture<HttpClient> http = CompletableFuture.supplyAsync(
            () -> HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build());

    private final URI sink;

    public EventSender(GatewayProperties properties) {
        boolean unset =
                properties.sink() == null || properties.sink().toString().isBlank();
        this.sink = unset ? null : properties.sink();
        if (unset) {
            LoggerFactory.getLogger(EventSender.class).warn(NO_SINK);
        }
    }

    @Override
    public Health health() {
        return sink != null
                ? Health.up().build()
                : Health.down().withDetail("sink", NO_SINK).build();
    }

    /**
     * @throws StoreUnavailableException when there is no sink or it does not accept the event, so the caller answers
     *                                   503
     */
    public void send(CloudEvent event) {
        if (sink == null) {
            throw new StoreUnavailableException("the event sink", new IOException(NO_SINK));
        }
        try {
            HttpResponse<String> response = http.join()
                    .send(
                            CloudEventRequests.binary(sink, event, Duration.ofSeconds(10)),
                            HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() / 100 != 2) {
                throw new StoreUnavailableException(
                        "the event sink", new IOException("HTTP " + response.statusCode() + " from " + sink));
            }
        } catch (IOException e) {
            throw new StoreUnavailableException("the event sink", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreUnavailableException("the event sink", e);
        }
    }
}
