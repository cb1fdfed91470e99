package dev.imageflow.gateway;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.imageflow.core.error.TryLaterException;
import dev.imageflow.core.job.RedisConnection;
import dev.imageflow.core.web.ApiErrors;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
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
 * Limits how many uploads one client starts ({@link RateLimitProperties}): over the limit the answer is 429 with
 * {@code Retry-After} in whole seconds, given before the body is read, so nothing is written. Only the routes that
 * start work count ({@link GuardedRoutes}): the page polls {@code /jobs/<id>} four times a second while a job runs,
 * and those reads cost one Redis hash each, where an upload costs an object, a job and the effects' CPU.
 *
 * <p>Fails closed: when Redis does not answer, the answer is the 503 with {@code Retry-After} that the upload itself
 * would give a moment later (its job record is in Redis too), without first writing its object to S3.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 20)
@EnableConfigurationProperties(RateLimitProperties.class)
public class RateLimitGuard extends OncePerRequestFilter {

    private static final Logger log = LoggerFactory.getLogger(RateLimitGuard.class);

    private final RateLimitProperties properties;
    private final RateLimiter limiter;
    private final ObjectMapper json;
    private final Counter refused;

    public RateLimitGuard(
            RateLimitProperties properties, RedisConnection redis, ObjectMapper json, MeterRegistry registry) {
        this.properties = properties;
        this.limiter = properties.enabled()
                ? new RateLimiter(redis, properties.requestsPerMinute(), properties.burst())
                : null;
        this.json = json;
        this.refused = RefusalMetrics.counter(registry, "rate_limited");
        if (properties.enabled()) {
            log.info(
                    "uploads limited to {} a minute per client, {} at once",
                    properties.requestsPerMinute(),
                    properties.burst());
        }
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !properties.enabled() || !GuardedRoutes.rateLimited(request);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String client = request.getRemoteAddr();
        Duration wait;
        try {
            wait = limiter.take(client);
        } catch (TryLaterException e) {
            log.warn("{}", e.getMessage());
            response.setHeader(HttpHeaders.RETRY_AFTER, ApiErrors.RETRY_AFTER_SECONDS);
            FilterAnswers.refuse(json, response, HttpStatus.SERVICE_UNAVAILABLE, e.getMessage());
            return;
        }
        if (wait.isZero()) {
            chain.doFilter(request, response);
            return;
        }
        refused.increment();
        long seconds = Math.max(1, (wait.toMillis() + 999) / 1000);
        log.info(
                "refused {} {} from {}: over the rate limit", request.getMethod(), GuardedRoutes.path(request), client);
        response.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(seconds));
        FilterAnswers.refuse(
                json,
                response,
                HttpStatus.TOO_MANY_REQUESTS,
                "too many uploads from " + client + ": at most " + properties.requestsPerMinute() + " a minute ("
                        + properties.burst() + " at once); try again in " + seconds + " s");
    }
}
