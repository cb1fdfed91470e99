package dev.imageflow.gateway;

import dev.imageflow.core.event.EventTypes;
import dev.imageflow.core.event.JobFinishedData;
import dev.imageflow.core.event.MalformedEventException;
import dev.imageflow.core.event.PipelineEvents;
import dev.imageflow.core.event.StepData;
import dev.imageflow.core.job.JobRecord;
import dev.imageflow.core.job.JobStore;
import io.cloudevents.CloudEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Ends jobs, and only as their records allow: a completion must name the final step's result with every step
 * recorded, a failure must carry the error a step recorded, and a dead-lettered event must be one this pipeline
 * made for the job. Anyone who can reach the Broker or the gateway could send the events; the record cannot be
 * forged by sending them.
 */
@Component
public class JobFinisher {

    private static final Logger log = LoggerFactory.getLogger(JobFinisher.class);

    private final JobStore jobs;
    private final PipelineEvents events;
    private final JobMetrics metrics;

    public JobFinisher(JobStore jobs, PipelineEvents events, JobMetrics metrics) {
        this.jobs = jobs;
        this.events = events;
        this.metrics = metrics;
    }

    /**
     * A {@code job.completed} or {@code job.failed} from the last step or a refusing step.
     *
     * @throws MalformedEventException when the event does not match the job's record; the Broker does not retry it
     */
    public void finished(CloudEvent event) {
        JobFinishedData data = events.read(event, JobFinishedData.class);
        if (data.job() == null) {
            throw new MalformedEventException("a job event needs the job id");
        }
        boolean completed = switch (event.getType()) {
            case EventTypes.JOB_COMPLETED -> true;
            case EventTypes.JOB_FAILED -> false;
            default ->
                throw new MalformedEventException("expected " + EventTypes.JOB_COMPLETED + " or "
                        + EventTypes.JOB_FAILED + ", got " + event.getType());
        };
        JobRecord job = jobs.find(data.job()).orElseThrow(() -> refused(event, data.job(), "there is no such job"));
        if (job.status().isFinal()) {
            log.info("job {} is {} already; {} ignored", job.id(), job.status().wire(), event.getType());
            return;
        }
        if (completed) {
            String output = require(data.output(), "output");
            if (!job.isCompletedBy(output)) {
                throw refused(event, job.id(), "its output " + output + " is not the recorded result of the last step");
            }
            end(job.id(), jobs.complete(job.id(), output), true, "done");
        } else {
            String error = require(data.error(), "error");
            if (!error.equals(job.stepError())) {
                throw refused(event, job.id(), "no step recorded that error");
            }
            end(job.id(), jobs.fail(job.id(), error), false, "failed: " + error);
        }
    }

    /**
     * An event the Broker could not deliver within its retries, with Knative's error extensions. A step of the job
     * that was never done fails the job with the subscriber's last answer; a completion or failure is applied as if
     * delivered; anything that does not match the record is only logged, since refusing a dead letter helps nobody.
     */
    public void deadLettered(CloudEvent event, String jobId, String reason) {
        JobRecord job = jobs.find(jobId).orElse(null);
        if (job == null || job.status().isFinal()) {
            log.warn(
                    "dead letter {} for job {} ignored: the job {}",
                    event.getType(),
                    jobId,
                    job == null ? "does not exist" : "is " + job.status().wire() + " already");
            return;
        }
        switch (event.getType()) {
            case EventTypes.STEP -> {
                StepData step = readStep(event);
                if (step == null || !job.matches(step) || job.step(step.step()).isPresent()) {
                    log.warn("dead-lettered step for job {} ignored: it does not match a step still to do", jobId);
                    return;
                }
                end(jobId, jobs.fail(jobId, reason), false, "dead-lettered: " + reason);
            }
            case EventTypes.JOB_COMPLETED, EventTypes.JOB_FAILED -> {
                try {
                    finished(event);
                } catch (MalformedEventException e) {
                    log.warn("dead-lettered {} for job {} ignored: {}", event.getType(), jobId, e.getMessage());
                }
            }
            default -> log.warn("dead letter {} for job {} ignored: not a pipeline event", event.getType(), jobId);
        }
    }

    private StepData readStep(CloudEvent event) {
        try {
            return events.read(event, StepData.class);
        } catch (MalformedEventException e) {
            return null;
        }
    }

    private void end(String id, boolean endedNow, boolean success, String how) {
        metrics.ended(endedNow, success);
        log.info("job {} {}{}", id, how, endedNow ? "" : " (already final; event ignored)");
    }

    private static MalformedEventException refused(CloudEvent event, String job, String why) {
        log.warn("refused {} {} for job {} from {}: {}", event.getType(), event.getId(), job, event.getSource(), why);
        return new MalformedEventException(event.getType() + " refused for job " + job + ": " + why);
    }

    private static String require(String value, String field) {
        if (value == null || value.isBlank()) {
            throw new MalformedEventException("the event data needs " + field);
        }
        return value;
    }
}
