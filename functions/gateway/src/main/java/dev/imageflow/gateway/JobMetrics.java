package dev.imageflow.gateway;

import org.springframework.stereotype.Component;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/** Jobs started, done and failed: {@code imageflow_jobs_total{event=...}} on /actuator/prometheus. */
@Component
public class JobMetrics {

    private final Counter started;
    private final Counter done;
    private final Counter failed;

    public JobMetrics(MeterRegistry registry) {
        started = counter(registry, "started");
        done = counter(registry, "done");
        failed = counter(registry, "failed");
    }

    private static Counter counter(MeterRegistry registry, String event) {
        return Counter.builder("imageflow.jobs").tag("event", event).description("jobs by what happened to them")
                .register(registry);
    }

    public void started() {
        started.increment();
    }

    /** Counts a job that this call ended (not one that had ended already). */
    public void ended(boolean endedNow, boolean success) {
        if (endedNow) {
            (success ? done : failed).increment();
        }
    }
}
