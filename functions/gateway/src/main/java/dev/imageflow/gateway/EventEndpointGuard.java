package dev.imageflow.gateway;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The gateway's CloudEvent endpoints are for the Broker, not for the public route. Knative's Broker delivers to a
 * Service's cluster-local address ({@code gateway.imageflow.svc.cluster.local}), while the public route carries the
 * external domain; Kourier's external listener serves only external domains, so a request naming a cluster-local
 * host cannot arrive through it. Requests to these endpoints under any other host are answered 404, as if the
 * endpoints did not exist. On one machine everything is loopback, which {@code event-hosts} allows.
 */
@Component
public class EventEndpointGuard extends OncePerRequestFilter {

    private static final Logger log = LoggerFactory.getLogger(EventEndpointGuard.class);
    static final Set<String> EVENT_ENDPOINTS = Set.of("/jobFinished", "/jobDeadLettered", "/jobRequested");

    private final List<String> allowedHosts;
    private final ObjectMapper json;

    public EventEndpointGuard(GatewayProperties properties, ObjectMapper json) {
        this.allowedHosts = properties.eventHosts().stream()
                .map(h -> h.toLowerCase(Locale.ROOT))
                .toList();
        this.json = json;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        // The decoded path, as Spring matches it: the raw URI would let /jobFinished;x or /%6aobFinished past.
        return !EVENT_ENDPOINTS.contains(GuardedRoutes.path(request));
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String host = request.getServerName().toLowerCase(Locale.ROOT);
        if (allowed(host)) {
            chain.doFilter(request, response);
            return;
        }
        log.warn(
                "refused {} {} from {}: {} is not a cluster-local host",
                request.getMethod(),
                request.getRequestURI(),
                request.getRemoteAddr(),
                host);
        FilterAnswers.refuse(json, response, HttpStatus.NOT_FOUND, "not found");
    }

    boolean allowed(String host) {
        return allowedHosts.stream()
                .anyMatch(pattern ->
                        pattern.startsWith("*.") ? host.endsWith(pattern.substring(1)) : host.equals(pattern));
    }
}
