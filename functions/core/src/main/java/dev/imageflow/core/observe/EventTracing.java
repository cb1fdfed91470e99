package dev.imageflow.core.observe;

import dev.imageflow.core.event.EventTypes;
import io.cloudevents.CloudEvent;
import java.util.function.Supplier;
import org.slf4j.MDC;

/**
 * One job, one trace: the W3C trace context travels in every event's {@code traceparent} extension (the
 * CloudEvents distributed-tracing extension) and in HTTP's {@code traceparent} header, so each function continues the
 * trace of the upload that started the job whatever path the event took through the Broker. Each piece of work is a
 * span of its own; log lines carry the trace and span ids and the job id.
 *
 * <p>Propagation and log correlation only, by design: a tracing SDK (Micrometer Tracing with OpenTelemetry) cost every
 * function about 400 classes and 0.2 s of its cold start to make spans that nothing exported. Spans can still be
 * exported without code: the OpenTelemetry Java agent reads the same {@code traceparent} headers.
 */
public class EventTracing {

    /** The CloudEvents distributed-tracing extension, and the W3C header of the same name. */
    public static final String TRACEPARENT = "traceparent";
    /** MDC keys of the trace and span ids in log lines (the names Spring Boot's log correlation pattern uses). */
    public static final String TRACE_ID = "traceId";

    public static final String SPAN_ID = "spanId";
    /** MDC key of the job id in log lines. */
    public static final String JOB = "job";
    /** MDC key of the step in log lines, e.g. {@code 1-blur}. */
    public static final String STEP = "step";
    /** MDC key of the function in log lines: on one machine every function shares one log. */
    public static final String SERVICE = "service";

    private final ThreadLocal<TraceContext> current = new ThreadLocal<>();
    private final String service;

    /** @param service this function's name, for the logs */
    public EventTracing(String service) {
        this.service = service;
    }

    /** Runs {@code work} in a span that continues the event's trace, with the event's job in the logs' MDC. */
    public <T> T continueTrace(CloudEvent event, Supplier<T> work) {
        Object job = event.getExtension(EventTypes.JOB);
        Object traceparent = event.getExtension(TRACEPARENT);
        try (LogContext logged = logJob(job == null ? null : job.toString());
                Scope span = continueTrace(traceparent == null ? null : traceparent.toString())) {
            return work.get();
        }
    }

    /**
     * Opens a span that continues the trace a {@code traceparent} value names, or a new trace when it names none,
     * until the returned scope is closed; the span that was current before is current again then.
     */
    public Scope continueTrace(String traceparent) {
        TraceContext parent = TraceContext.parse(traceparent);
        TraceContext span = parent == null ? TraceContext.newTrace() : parent.child();
        TraceContext before = current.get();
        current.set(span);
        MDC.put(TRACE_ID, span.traceId());
        MDC.put(SPAN_ID, span.spanId());
        return () -> {
            if (before == null) {
                current.remove();
                MDC.remove(TRACE_ID);
                MDC.remove(SPAN_ID);
            } else {
                current.set(before);
                MDC.put(TRACE_ID, before.traceId());
                MDC.put(SPAN_ID, before.spanId());
            }
        };
    }

    /** Puts {@code job} into the logs' MDC for the current request (where no event started the work). */
    public LogContext logJob(String job) {
        LogContext named = logService();
        MDC.put(JOB, job);
        return () -> {
            MDC.remove(JOB);
            named.close();
        };
    }

    /**
     * Names this function in the logs' MDC until closed: on one machine every function writes to one log, and the
     * application name Spring Boot puts in each line is one for the whole JVM.
     */
    public LogContext logService() {
        String before = MDC.get(SERVICE);
        MDC.put(SERVICE, service);
        return () -> {
            if (before == null) {
                MDC.remove(SERVICE);
            } else {
                MDC.put(SERVICE, before);
            }
        };
    }

    /** Ends what {@link #logJob} put into the logs' context. */
    public interface LogContext extends AutoCloseable {
        @Override
        void close();
    }

    /** Ends a span opened by {@link #continueTrace(String)}. */
    public interface Scope extends AutoCloseable {
        @Override
        void close();
    }

    /** The current span as a traceparent value, or null outside any. */
    public String currentTraceparent() {
        TraceContext span = current.get();
        return span == null ? null : span.traceparent();
    }
}
