package dev.imageflow.core.observe;

import static org.assertj.core.api.Assertions.assertThat;

import io.cloudevents.core.builder.CloudEventBuilder;
import java.net.URI;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

/** Traces follow the W3C trace-context rules, so a job's spans join whatever trace the caller started. */
class EventTracingTest {

    private final EventTracing tracing = new EventTracing("test");

    @Test
    void aSpanContinuesTheTraceOfTheTraceparentItWasGivenWithAnIdOfItsOwn() {
        String parent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
        try (EventTracing.Scope span = tracing.continueTrace(parent)) {
            TraceContext current = TraceContext.parse(tracing.currentTraceparent());
            assertThat(current.traceId()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
            assertThat(current.spanId()).isNotEqualTo("00f067aa0ba902b7").hasSize(16);
            assertThat(current.sampled()).isTrue();
            assertThat(MDC.get(EventTracing.TRACE_ID)).isEqualTo(current.traceId());
        }
        assertThat(tracing.currentTraceparent()).isNull();
        assertThat(MDC.get(EventTracing.TRACE_ID)).isNull();
    }

    @Test
    void missingOrMalformedTraceparentsStartANewTraceInsteadOfFailing() {
        for (String bad : new String[] {
            null,
            "",
            "garbage",
            "00-00000000000000000000000000000000-00f067aa0ba902b7-01",
            "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01",
            "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
        }) {
            assertThat(TraceContext.parse(bad)).as(bad).isNull();
            try (EventTracing.Scope span = tracing.continueTrace(bad)) {
                assertThat(tracing.currentTraceparent())
                        .as(bad)
                        .matches("00-[0-9a-f]{32}-[0-9a-f]{16}-01")
                        .doesNotContain("4bf92f3577b34da6a3ce929d0e0e4736");
            }
        }
    }

    @Test
    void anEventsTraceIsContinuedInsideTheRequestsAndTheRequestsIsCurrentAgainAfter() {
        try (EventTracing.Scope request = tracing.continueTrace((String) null)) {
            String outer = tracing.currentTraceparent();
            var event = CloudEventBuilder.v1()
                    .withId("1")
                    .withSource(URI.create("/t"))
                    .withType("t")
                    .withExtension(EventTracing.TRACEPARENT, "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00")
                    .withExtension("jobid", "j1")
                    .build();

            String inner = tracing.continueTrace(event, tracing::currentTraceparent);

            assertThat(inner).startsWith("00-4bf92f3577b34da6a3ce929d0e0e4736-").endsWith("-00");
            assertThat(tracing.currentTraceparent()).isEqualTo(outer);
        }
    }
}
