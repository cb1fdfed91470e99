package dev.imageflow.gateway;

import dev.imageflow.core.job.JobStore;
import dev.imageflow.core.storage.StoreUnavailableException;
import java.time.Clock;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Ends jobs that outlived {@code imageflow.gateway.job-timeout}. The Broker retries and dead-letters what it can
 * deliver, but an event can still be lost with the process holding it (a node gone, the one-machine runner
 * killed); its job then fails here with the reason instead of staying pending or running forever. Several gateway
 * pods may reap at once: failing a job is a no-op once it is final.
 */
@Component
public class JobReaper {

    private static final Logger log = LoggerFactory.getLogger(JobReaper.class);
    private static final int BATCH = 100;

    private final JobStore jobs;
    private final GatewayProperties properties;
    private final Clock clock;
    private final JobMetrics metrics;

    public JobReaper(JobStore jobs, GatewayProperties properties, Clock clock, JobMetrics metrics) {
        this.jobs = jobs;
        this.properties = properties;
        this.clock = clock;
        this.metrics = metrics;
    }

    /** Every {@code reap-interval}, from {@link JobHousekeeping}. */
    public void reap() {
        try {
            List<String> overdue = jobs.overdue(clock.instant(), BATCH);
            for (String id : overdue) {
                if (jobs.fail(
                        id,
                        "timed out: not finished within "
                                + properties.jobTimeout().toSeconds() + " s")) {
                    metrics.ended(true, false);
                    log.warn("job {} timed out", id);
                } else if (jobs.find(id).isEmpty()) {
                    jobs.forgetOverdue(id);
                }
            }
        } catch (StoreUnavailableException e) {
            log.debug("reaping skipped: {}", e.getMessage());
        }
    }
}
