package dev.imageflow.core.function;

import dev.imageflow.core.effect.EffectSpec;
import dev.imageflow.core.effect.InvalidRequestException;
import dev.imageflow.core.event.CloudEventMessages;
import dev.imageflow.core.event.EventTypes;
import dev.imageflow.core.event.MalformedEventException;
import dev.imageflow.core.event.PipelineEvents;
import dev.imageflow.core.event.StepData;
import dev.imageflow.core.image.ImageRejectedException;
import dev.imageflow.core.job.JobRecord;
import dev.imageflow.core.job.JobStore;
import dev.imageflow.core.job.StepRecord;
import dev.imageflow.core.observe.EventTracing;
import dev.imageflow.core.storage.Blob;
import dev.imageflow.core.storage.BlobStore;
import io.cloudevents.CloudEvent;
import java.time.Clock;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.messaging.Message;

/**
 * The Spring Cloud Function of one effect, named after it: takes a step event, applies the effect to the
 * input object, writes the result under a new key, records the step, and answers with the next event (the
 * Knative reply): the next step, the job's completion, or its failure when the input cannot be processed.
 *
 * <p>Delivery is at least once, so a step already recorded is answered again from its record, without redoing
 * the work or recording it twice; copies arriving together are serialised by a claim on the step, so one does the
 * work and the others answer from its record. A step event must match the job's record (effects, parameters, the
 * input that step reads), so a forged event cannot make a job's result from another object.
 */
public class StepFunction implements Function<Message<byte[]>, Message<byte[]>> {

    private static final Logger log = LoggerFactory.getLogger(StepFunction.class);
    private static final long CLAIM_POLL_MILLIS = 100;

    private final EffectSpec<?> effect;
    private final EffectRunner runner;
    private final BlobStore blobs;
    private final JobStore jobs;
    private final PipelineEvents events;
    private final CloudEventMessages messages;
    private final EventTracing tracing;
    private final PodIdentity pod;
    private final StepProperties properties;
    private final Clock clock;

    public StepFunction(
            EffectSpec<?> effect,
            EffectRunner runner,
            BlobStore blobs,
            JobStore jobs,
            StepEvents events,
            PodIdentity pod,
            StepProperties properties,
            Clock clock) {
        this.effect = effect;
        this.runner = runner;
        this.blobs = blobs;
        this.jobs = jobs;
        this.events = events.events();
        this.messages = events.messages();
        this.tracing = events.tracing();
        this.pod = pod;
        this.properties = properties;
        this.clock = clock;
    }

    @Override
    public Message<byte[]> apply(Message<byte[]> request) {
        CloudEvent event = messages.read(request);
        CloudEvent reply = tracing.continueTrace(event, () -> handle(event));
        return reply == null ? messages.none() : messages.write(reply);
    }

    /** @return the reply event, or null when nothing follows */
    CloudEvent handle(CloudEvent event) {
        StepData step = readStep(event);
        try (MDC.MDCCloseable logged = MDC.putCloseable(EventTracing.STEP, step.step() + "-" + step.effect())) {
            return handle(step);
        }
    }

    private CloudEvent handle(StepData step) {
        JobRecord job = jobs.find(step.job()).orElseThrow(() -> new MalformedEventException("no job " + step.job()));
        if (!job.matches(step)) {
            log.warn(
                    "refused a step event that does not match job {}: step {} reading {}",
                    job.id(),
                    step.step(),
                    step.input());
            throw new MalformedEventException("step " + step.step() + " of job " + job.id()
                    + " does not match the job's record (effects, parameters or input)");
        }
        Optional<StepRecord> recorded = job.step(step.step());
        if (recorded.isPresent()) {
            return answerAgain(step, recorded.get());
        }
        String token = UUID.randomUUID().toString();
        long waitUntil = System.nanoTime() + properties.claimLease().toNanos();
        while (true) {
            switch (jobs.claimStep(step.job(), step.step(), token, properties.claimLease())) {
                case CLAIMED -> {
                    return work(step, token);
                }
                case ALREADY_RECORDED -> {
                    return answerAgain(
                            step, jobs.findStep(step.job(), step.step()).orElseThrow());
                }
                case NO_SUCH_JOB, JOB_FINISHED -> {
                    log.info(
                            "job {} has ended or expired; step {} ({}) dropped",
                            step.job(),
                            step.step(),
                            step.effect());
                    return null;
                }
                case HELD_ELSEWHERE -> {
                    // Another copy of this event is doing the work: wait for its record rather than redo it.
                    if (System.nanoTime() > waitUntil) {
                        throw new StepBusyException(step);
                    }
                    pause();
                }
            }
        }
    }

    /** A redelivered step, or one another copy finished meanwhile: answered from its record, not done again. */
    private CloudEvent answerAgain(StepData step, StepRecord earlier) {
        log.info(
                "job {} step {} ({}) was done already by {}; answering again",
                step.job(),
                step.step(),
                step.effect(),
                earlier.pod());
        return next(step, earlier.output());
    }

    private CloudEvent work(StepData step, String token) {
        long started = System.nanoTime();
        StepRecord record;
        try {
            record = process(step);
        } catch (ImageRejectedException | InvalidRequestException e) {
            String error = step.effect() + ": " + e.getMessage();
            log.info("job {} step {} ({}) failed: {}", step.job(), step.step(), step.effect(), e.getMessage());
            return jobs.recordStepError(step.job(), step.step(), error) ? events.failed(step.job(), error) : null;
        } catch (RuntimeException e) {
            releaseQuietly(step, token);
            throw e;
        }
        JobStore.StepOutcome outcome = jobs.recordStep(step.job(), record);
        log.info(
                "job {} step {} ({}) {} in {} ms -> {}",
                step.job(),
                step.step(),
                step.effect(),
                outcome.name().toLowerCase(),
                (System.nanoTime() - started) / 1_000_000,
                record.output());
        if (outcome == JobStore.StepOutcome.JOB_FINISHED || outcome == JobStore.StepOutcome.NO_SUCH_JOB) {
            return null;
        }
        return next(step, record.output());
    }

    private StepRecord process(StepData step) {
        long started = System.nanoTime();
        Blob input = blobs.get(step.input())
                .orElseThrow(() -> new ImageRejectedException(
                        ImageRejectedException.Reason.MISSING, "no such object " + step.input()));
        EffectRunner.Result result = runner.run(effect, step.step(), step.params(), input.bytes());
        String output = step.outputKey();
        blobs.put(output, result.bytes(), result.format().contentType());
        demoDelay();
        long millis = (System.nanoTime() - started) / 1_000_000;
        return new StepRecord(
                step.step(),
                step.effect(),
                pod.pod(),
                pod.revision(),
                millis,
                output,
                result.width(),
                result.height(),
                clock.instant());
    }

    private void releaseQuietly(StepData step, String token) {
        try {
            jobs.releaseStep(step.job(), step.step(), token);
        } catch (RuntimeException e) {
            log.debug(
                    "claim of job {} step {} not released ({}); it lapses by itself",
                    step.job(),
                    step.step(),
                    e.getMessage());
        }
    }

    private static void pause() {
        try {
            Thread.sleep(CLAIM_POLL_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while another delivery held the step", e);
        }
    }

    private CloudEvent next(StepData step, String output) {
        return step.isLast() ? events.completed(step.job(), output) : events.step(step.next(output));
    }

    private StepData readStep(CloudEvent event) {
        if (!EventTypes.STEP.equals(event.getType())) {
            throw new MalformedEventException(
                    "expected an event of type " + EventTypes.STEP + ", got " + event.getType());
        }
        StepData step = events.read(event, StepData.class);
        if (step.job() == null
                || step.input() == null
                || step.effects().isEmpty()
                || step.step() < 0
                || step.step() >= step.effects().size()) {
            throw new MalformedEventException("step data needs job, input, effects and a step within effects");
        }
        if (!effect.name().equals(step.effect())) {
            throw new MalformedEventException("this function applies " + effect.name() + ", but step " + step.step()
                    + " of job " + step.job() + " is " + step.effect());
        }
        return step;
    }

    private void demoDelay() {
        if (!properties.demoDelay().isZero()) {
            try {
                Thread.sleep(properties.demoDelay().toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
