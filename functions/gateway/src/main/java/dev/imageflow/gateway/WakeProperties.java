package dev.imageflow.gateway;

import java.net.URI;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param urlTemplate where an effect's Service answers its readiness probe, {@code {effect}} standing for the
 *                    effect's name (on Knative {@code http://{effect}.imageflow.svc.cluster.local/actuator/health/readiness});
 *                    empty turns waking off, as on one machine, where every function is always up
 * @param window      at most one wake per Service within it: Knative's autoscaling stable window (60 s), during
 *                    which a pod it started is kept
 * @param timeout     how long a wake may take; short, since nothing waits for it and the activator has asked for a
 *                    pod as soon as the request arrived
 */
@ConfigurationProperties("imageflow.gateway.wake")
public record WakeProperties(
        @DefaultValue("") String urlTemplate,
        @DefaultValue("60s") Duration window,
        @DefaultValue("1s") Duration timeout) {

    boolean enabled() {
        return urlTemplate != null && !urlTemplate.isBlank();
    }

    URI target(String effect) {
        return URI.create(urlTemplate.replace("{effect}", effect));
    }
}
