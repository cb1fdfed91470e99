package dev.imageflow.gateway;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * With {@code imageflow.gateway.auth.token} set, uploads and the job listing ({@link GuardedRoutes}) need
 * {@code Authorization: Bearer <token>}; anything else is answered 401 with {@code WWW-Authenticate: Bearer}
 * before the body is read, so a refused upload writes nothing. Reads of one job by its id stay open: the id is a
 * random UUID handed only to whoever uploaded it (and to operators, through the guarded listing), and a browser
 * opens the {@code view_url} an upload answered with in an {@code <img>}, which cannot carry a header. Probes,
 * metrics, the page and {@code /effects} stay open; the event endpoints have their own guard
 * ({@link EventEndpointGuard}).
 *
 * <p>Runs before the rate limit, so a refused request costs no Redis round trip. Always registered and off by
 * setting, not by a condition on the bean: Spring AOT fixes conditions at build time, and one image serves
 * clusters with and without a token.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 10)
@EnableConfigurationProperties(AuthProperties.class)
public class BearerTokenGuard extends OncePerRequestFilter {

    private static final Logger log = LoggerFactory.getLogger(BearerTokenGuard.class);
    private static final String BEARER = "Bearer ";

    private final AuthProperties properties;
    private final byte[] expected;
    private final ObjectMapper json;
    private final Counter refused;

    public BearerTokenGuard(AuthProperties properties, ObjectMapper json, MeterRegistry registry) {
        this.properties = properties;
        this.expected = digest(properties.token());
        this.json = json;
        this.refused = RefusalMetrics.counter(registry, "unauthorized");
        if (properties.required()) {
            log.info("uploads and the job listing require the bearer token (imageflow.gateway.auth.token)");
        }
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !properties.required() || !GuardedRoutes.needsToken(request);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String header = request.getHeader(HttpHeaders.AUTHORIZATION);
        boolean bearer = header != null && header.regionMatches(true, 0, BEARER, 0, BEARER.length());
        if (bearer && matches(header.substring(BEARER.length()).strip())) {
            chain.doFilter(request, response);
            return;
        }
        refused.increment();
        log.info(
                "refused {} {} from {}: {}",
                request.getMethod(),
                GuardedRoutes.path(request),
                request.getRemoteAddr(),
                bearer ? "wrong token" : "no bearer token");
        // RFC 6750: a challenge always; error="invalid_token" only when a token was sent.
        response.setHeader(
                HttpHeaders.WWW_AUTHENTICATE,
                bearer ? "Bearer realm=\"imageflow\", error=\"invalid_token\"" : "Bearer realm=\"imageflow\"");
        FilterAnswers.refuse(
                json,
                response,
                HttpStatus.UNAUTHORIZED,
                bearer
                        ? "the bearer token is wrong"
                        : "this route needs Authorization: Bearer <token> (imageflow.gateway.auth.token)");
    }

    /**
     * Compares digests, not the strings: {@link MessageDigest#isEqual} takes the same time whatever the content,
     * and equal-length digests keep the token's length from showing in the timing as well.
     */
    private boolean matches(String given) {
        return MessageDigest.isEqual(expected, digest(given));
    }

    private static byte[] digest(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
