package dev.imageflow.core.web;

import dev.imageflow.core.observe.EventTracing;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Every request is a span: it continues the trace of a W3C {@code traceparent} header (a browser's, an ingress's,
 * Knative's) or starts one, so the upload's log lines and the events it sends share one trace id. An event's own
 * {@code traceparent} extension, where there is one, is continued inside it by {@link EventTracing}.
 */
public class TraceparentFilter extends OncePerRequestFilter {

    private final EventTracing tracing;

    public TraceparentFilter(EventTracing tracing) {
        this.tracing = tracing;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        try (EventTracing.LogContext named = tracing.logService();
                EventTracing.Scope span = tracing.continueTrace(request.getHeader(EventTracing.TRACEPARENT))) {
            chain.doFilter(request, response);
        }
    }
}
