package dev.imageflow.gateway;

import dev.imageflow.core.error.TryLaterException;
import dev.imageflow.core.event.PipelineEvents;
import dev.imageflow.core.job.JobRecord;
import dev.imageflow.core.job.JobStore;
import dev.imageflow.core.observe.EventTracing;
import io.cloudevents.CloudEvent;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Sends a job's next event again when the event was lost: a Broker with an in-memory channel restarted, or the
 * one-machine runner was killed with deliveries queued. What to send is read from the job's record (the first step
 * not recorded, or the completion or failure that is due), so a re-drive never skips or repeats work; a step that
 * did run is answered from its record. Only quiet jobs are re-driven, at most {@code max-redrives} times each, and
 * one gateway pod wins each re-drive.
 */
@Component
public class JobResumer {

    private static final Logger log = LoggerFactory.getLogger(JobResumer.class);
    private static final int BATCH = 100;

    private final JobStore jobs;
    private final PipelineEvents events;
    private final EventSender sender;
    private final GatewayProperties properties;
    private final Clock clock;
    private final JobMetrics metrics;
    private final EventTracing tracing;

    public JobResumer(
            JobStore jobs,
            PipelineEvents events,
            EventSender sender,
            GatewayProperties properties,
            Clock clock,
            JobMetrics metrics,
            EventTracing tracing) {
        this.jobs = jobs;
        this.events = events;
        this.sender = sender;
        this.properties = properties;
        this.clock = clock;
        this.metrics = metrics;
        this.tracing = tracing;
    }

    /** Where nothing can still be in flight (see {@code resume-on-start}): every unfinished job, now. */
    @EventListener(ApplicationReadyEvent.class)
    public void resumeAfterRestart() {
        if (properties.resumeOnStart()) {
            int resumed = resume(clock.instant(), true);
            log.info("resumed {} unfinished job(s) after a restart", resumed);
        }
    }

    /** Every {@code reap-interval}, from {@link JobHousekeeping}. */
    public void resumeQuietJobs() {
        resume(clock.instant().minus(properties.redriveAfter()), false);
    }

    /** @return how many jobs were re-driven */
    int resume(Instant quietSince, boolean holdersDead) {
        int resumed = 0;
        try {
            List<String> quiet = jobs.quietSince(quietSince, BATCH);
            for (String id : quiet) {
                if (jobs.redrive(id, quietSince, properties.maxRedrives(), properties.jobTimeout(), holdersDead)
                        == JobStore.RedriveOutcome.REDRIVE) {
                    jobs.find(id).ifPresent(this::sendNext);
                    resumed++;
                }
            }
        } catch (TryLaterException e) {
            log.debug("re-driving skipped: {}", e.getMessage());
        }
        return resumed;
    }

    private void sendNext(JobRecord job) {
        try (var logged = tracing.logJob(job.id())) {
            CloudEvent next = job.stepError() != null
                    ? events.failed(job.id(), job.stepError())
                    : job.nextStep().map(events::step).orElseGet(() -> events.completed(job.id(), job.finalOutput()));
            sender.send(next);
            metrics.redriven();
            log.warn(
                    "job {} had no sign of life; re-driven ({} of at most {}) with {}",
                    job.id(),
                    job.redrives(),
                    properties.maxRedrives(),
                    next.getType());
        } catch (TryLaterException e) {
            // The job's quiet time started again with the re-drive: it is tried again after redrive-after.
            log.warn("job {} could not be re-driven: {}", job.id(), e.getMessage());
        }
    }
}
