package dev.imageflow.gateway;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/** {@code imageflow_gateway_refused_total{reason=...}}: requests the public route's guards turned away. */
final class RefusalMetrics {

    private RefusalMetrics() {}

    static Counter counter(MeterRegistry registry, String reason) {
        return Counter.builder("imageflow.gateway.refused")
                .tag("reason", reason)
                .description("requests refused by the token or the rate limit before any work")
                .register(registry);
    }
}
