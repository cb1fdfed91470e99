package dev.imageflow.gateway;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.stereotype.Component;

/** Jobs started, done, failed and re-driven: {@code imageflow_jobs_total{event=...}} on /actuator/prometheus. */
@Component
public class JobMetrics {

    private final Counter started;
    private final Counter done;
    private final Counter failed;
    private final Counter redriven;

    public JobMetrics(MeterRegistry registry) {
        started = counter(registry, "started");
        done = counter(registry, "done");
        failed = counter(registry, "failed");
        redriven = counter(registry, "redriven");
    }

    private static Counter counter(MeterRegistry registry, String event) {
        return Counter.builder("imageflow.jobs")
                .tag("event", event)
                .description("jobs by what happened to them")
                .register(registry);
    }

    public void started() {
        started.increment();
    }

    /** A job's next event sent again after it was lost (see {@link JobResumer}). */
    public void redriven() {
        redriven.increment();
    }

    /** Counts a job that this call ended (not one that had ended already). */
    public void ended(boolean endedNow, boolean success) {
        if (endedNow) {
            (success ? done : failed).increment();
        }
    }
}
