package dev.imageflow.gateway;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.stereotype.Component;

/**
 * A chain pays one cold start, not one per step: Knative wakes {@code bw} when the Broker delivers its step, but
 * {@code blur} only when {@code bw} replies, seconds later. So when the gateway accepts a job it wakes every Service
 * the job will need at once, with a GET to each one's readiness path: the activator then scales it from zero while
 * the earlier steps run.
 *
 * <p>Fire-and-forget: the request is sent asynchronously with its own short timeout, and its answer (or failure) is
 * only counted, never waited for. At most one wake per Service per window (the autoscaler's stable window: a pod
 * woken within it is still there), so a burst of uploads costs a handful of requests, not one per upload.
 * Counted as {@code imageflow_gateway_wakes_total{service, outcome}}.
 */
@Component
@EnableConfigurationProperties(WakeProperties.class)
public class ServiceWaker {

    private static final Logger log = LoggerFactory.getLogger(ServiceWaker.class);

    private final WakeProperties properties;
    private final Clock clock;
    private final MeterRegistry registry;
    private final HttpClient http;
    private final Map<String, Instant> lastWake = new ConcurrentHashMap<>();

    public ServiceWaker(WakeProperties properties, Clock clock, MeterRegistry registry) {
        this.properties = properties;
        this.clock = clock;
        this.registry = registry;
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(properties.timeout())
                .build();
    }

    /** Wakes the Service of each effect named, once each; returns at once. */
    public void wake(Collection<String> effects) {
        if (!properties.enabled()) {
            return;
        }
        Instant now = clock.instant();
        for (String effect : new LinkedHashSet<>(effects)) {
            if (!claim(effect, now)) {
                count(effect, "skipped");
                continue;
            }
            URI target = properties.target(effect);
            HttpRequest request = HttpRequest.newBuilder(target)
                    .timeout(properties.timeout())
                    .GET()
                    .build();
            count(effect, "sent");
            http.sendAsync(request, HttpResponse.BodyHandlers.discarding()).whenComplete((response, error) -> {
                if (error != null) {
                    // A timeout is normal while a pod starts: the activator already holds the request and scales up.
                    count(effect, "unanswered");
                    log.debug("wake of {} at {} not answered: {}", effect, target, error.toString());
                } else {
                    count(effect, "answered");
                }
            });
        }
    }

    /** True when this caller is the one to wake the effect's Service in the current window. */
    private boolean claim(String effect, Instant now) {
        boolean[] mine = {false};
        lastWake.compute(effect, (name, last) -> {
            if (last == null || !now.isBefore(last.plus(properties.window()))) {
                mine[0] = true;
                return now;
            }
            return last;
        });
        return mine[0];
    }

    private void count(String effect, String outcome) {
        Counter.builder("imageflow.gateway.wakes")
                .description("wake-ups sent to effect Services when a job starts")
                .tag("service", effect)
                .tag("outcome", outcome)
                .register(registry)
                .increment();
    }
}
