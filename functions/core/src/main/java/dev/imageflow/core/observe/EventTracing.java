package dev.imageflow.core.observe;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

import org.slf4j.MDC;

import dev.imageflow.core.event.EventTypes;
import io.cloudevents.CloudEvent;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.TraceContext;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;

/**
 * One job, one trace: the W3C trace context travels in every event's {@code traceparent} extension (the
 * CloudEvents distributed-tracing extension), so each function continues the trace of the upload that started
 * the job whatever path the event took through the Broker. Log lines carry the trace id and the job id.
 */
public class EventTracing {

    /** The CloudEvents distributed-tracing extension. */
    public static final String TRACEPARENT = "traceparent";
    /** MDC key of the job id in log lines. */
    public static final String JOB = "job";
    /** MDC key of the step in log lines, e.g. {@code 1-blur}. */
    public static final String STEP = "step";
    /** MDC key of the function in log lines: on one machine every function shares one log. */
    public static final String SERVICE = "service";

    private final Tracer tracer;
    private final Propagator propagator;
    private final String service;

    /**
     * @param tracer     null (with {@code propagator}) turns tracing off; job ids still reach the logs
     * @param service    this function's name, for the logs
     */
    public EventTracing(Tracer tracer, Propagator propagator, String service) {
        this.tracer = tracer;
        this.propagator = propagator;
        this.service = service;
    }

    /** Runs {@code work} in a span that continues the event's trace, with the event's job in the logs' MDC. */
    public <T> T continueTrace(CloudEvent event, String spanName, Supplier<T> work) {
        Object job = event.getExtension(EventTypes.JOB);
        try (LogContext ignored = logJob(job == null ? null : job.toString())) {
            if (tracer == null) {
                return work.get();
            }
            Object traceparent = event.getExtension(TRACEPARENT);
            Span.Builder builder = traceparent == null ? tracer.spanBuilder()
                    : propagator.extract(Map.of(TRACEPARENT, traceparent.toString()), Map::get);
            Span span = builder.name(spanName).tag("imageflow.job", String.valueOf(job)).start();
            try (Tracer.SpanInScope scope = tracer.withSpan(span)) {
                return work.get();
            } catch (RuntimeException e) {
                span.error(e);
                throw e;
            } finally {
                span.end();
            }
        }
    }

    /** Puts {@code job} into the logs' MDC for the current request (where no event started the work). */
    public LogContext logJob(String job) {
        MDC.put(SERVICE, service);
        MDC.put(JOB, job);
        return () -> {
            MDC.remove(JOB);
            MDC.remove(SERVICE);
        };
    }

    /** Ends what {@link #logJob} put into the logs' context. */
    public interface LogContext extends AutoCloseable {
        @Override
        void close();
    }

    /** The current trace context as a traceparent value, or null when there is none. */
    public String currentTraceparent() {
        if (tracer == null) {
            return null;
        }
        TraceContext context = tracer.currentTraceContext().context();
        if (context == null) {
            return null;
        }
        Map<String, String> carrier = new HashMap<>();
        propagator.inject(context, carrier, Map::put);
        return carrier.get(TRACEPARENT);
    }
}
