package dev.imageflow.core.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.IOException;
import java.util.Locale;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Keeps the answer to a CloudEvent to what a reply event may carry: its {@code ce-} attributes, its content type and
 * length, and {@code Retry-After} on a 503. Spring Cloud Function's web layer copies every request header it does
 * not know into the response, so a reply would otherwise echo the caller's {@code User-Agent}, {@code Host},
 * cookies or anything else it sent, and a Broker would pass those on.
 */
public class CloudEventReplyHeaders extends OncePerRequestFilter {

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        boolean cloudEvent = request.getHeader("ce-specversion") != null
                || String.valueOf(request.getContentType())
                        .toLowerCase(Locale.ROOT)
                        .startsWith("application/cloudevents");
        chain.doFilter(request, cloudEvent ? new ReplyOnly(response) : response);
    }

    static boolean allowed(String name) {
        String header = name.toLowerCase(Locale.ROOT);
        return header.startsWith("ce-")
                || header.equals("content-type")
                || header.equals("content-length")
                || header.equals("retry-after");
    }

    private static final class ReplyOnly extends HttpServletResponseWrapper {

        ReplyOnly(HttpServletResponse response) {
            super(response);
        }

        @Override
        public void setHeader(String name, String value) {
            if (allowed(name)) {
                super.setHeader(name, value);
            }
        }

        @Override
        public void addHeader(String name, String value) {
            if (allowed(name)) {
                super.addHeader(name, value);
            }
        }

        @Override
        public void setIntHeader(String name, int value) {
            if (allowed(name)) {
                super.setIntHeader(name, value);
            }
        }

        @Override
        public void addIntHeader(String name, int value) {
            if (allowed(name)) {
                super.addIntHeader(name, value);
            }
        }

        @Override
        public void setDateHeader(String name, long date) {
            if (allowed(name)) {
                super.setDateHeader(name, date);
            }
        }

        @Override
        public void addDateHeader(String name, long date) {
            if (allowed(name)) {
                super.addDateHeader(name, date);
            }
        }
    }
}
