package dev.imageflow.gateway;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How many uploads one client may start: on average {@code requestsPerMinute}, with up to {@code burst} at once
 * after a quiet spell. A client is its address as the gateway sees it ({@code request.getRemoteAddr()}): behind
 * proxies the right-most address in {@code X-Forwarded-For} that is not a proxy of ours, as Tomcat's RemoteIpValve
 * works it out ({@code server.forward-headers-strategy=native}, {@code server.tomcat.remoteip.internal-proxies}).
 *
 * @param requestsPerMinute the sustained rate; 0 turns the limit off, as on one machine
 * @param burst             how many may arrive at once; at least 1
 */
@ConfigurationProperties("imageflow.gateway.rate-limit")
public record RateLimitProperties(
        @DefaultValue("0") int requestsPerMinute,
        @DefaultValue("10") int burst) {

    public RateLimitProperties {
        if (requestsPerMinute < 0) {
            throw new IllegalArgumentException(
                    "imageflow.gateway.rate-limit.requests-per-minute must be 0 (off) or more");
        }
        if (burst < 1) {
            throw new IllegalArgumentException("imageflow.gateway.rate-limit.burst must be at least 1");
        }
    }

    boolean enabled() {
        return requestsPerMinute > 0;
    }
}
