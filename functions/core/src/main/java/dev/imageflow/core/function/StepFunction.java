package dev.imageflow.core.function;

import java.awt.image.BufferedImage;
import java.time.Clock;
import java.util.Optional;
import java.util.function.Function;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.messaging.Message;

import dev.imageflow.core.effect.Effect;
import dev.imageflow.core.effect.EffectParams;
import dev.imageflow.core.effect.InvalidRequestException;
import dev.imageflow.core.event.CloudEventMessages;
import dev.imageflow.core.event.EventTypes;
import dev.imageflow.core.event.MalformedEventException;
import dev.imageflow.core.event.PipelineEvents;
import dev.imageflow.core.event.StepData;
import dev.imageflow.core.image.DecodedImage;
import dev.imageflow.core.image.ImageCodec;
import dev.imageflow.core.image.ImageRejectedException;
import dev.imageflow.core.job.JobRecord;
import dev.imageflow.core.job.JobStore;
import dev.imageflow.core.job.StepRecord;
import dev.imageflow.core.observe.EventTracing;
import dev.imageflow.core.observe.StepMetrics;
import dev.imageflow.core.storage.Blob;
import dev.imageflow.core.storage.BlobStore;
import io.cloudevents.CloudEvent;

/**
 * The Spring Cloud Function every effect service exposes: takes a step event, applies its {@link Effect} to the
 * input object, writes the result under a new key, records the step, and answers with the next event (the
 * Knative reply): the next step, the job's completion, or its failure when the input cannot be processed.
 *
 * <p>Delivery is at least once, so a step already recorded is answered again from its record, without redoing
 * the work or recording it twice.
 */
public class StepFunction implements Function<Message<byte[]>, Message<byte[]>> {

    private static final Logger log = LoggerFactory.getLogger(StepFunction.class);

    private final Effect effect;
    private final ImageCodec codec;
    private final BlobStore blobs;
    private final JobStore jobs;
    private final PipelineEvents events;
    private final CloudEventMessages messages;
    private final PodIdentity pod;
    private final StepProperties properties;
    private final Clock clock;
    private final EventTracing tracing;
    private final StepMetrics metrics;

    public StepFunction(Effect effect, ImageCodec codec, BlobStore blobs, JobStore jobs, PipelineEvents events,
            CloudEventMessages messages, PodIdentity pod, StepProperties properties, Clock clock, EventTracing tracing,
            StepMetrics metrics) {
        this.effect = effect;
        this.codec = codec;
        this.blobs = blobs;
        this.jobs = jobs;
        this.events = events;
        this.messages = messages;
        this.pod = pod;
        this.properties = properties;
        this.clock = clock;
        this.tracing = tracing;
        this.metrics = metrics;
    }

    @Override
    public Message<byte[]> apply(Message<byte[]> request) {
        CloudEvent event = messages.read(request);
        CloudEvent reply = tracing.continueTrace(event, "step " + effect.name(), () -> handle(event));
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
        Optional<StepRecord> earlier = jobs.findStep(step.job(), step.step());
        if (earlier.isPresent()) {
            log.info("job {} step {} ({}) was done already by {}; answering again", step.job(), step.step(),
                    step.effect(), earlier.get().pod());
            return next(step, earlier.get().output());
        }
        JobRecord job = jobs.find(step.job())
                .orElseThrow(() -> new MalformedEventException("no job " + step.job()));
        if (job.status().isFinal()) {
            log.info("job {} is {} already; step {} ({}) dropped", job.id(), job.status().wire(), step.step(),
                    step.effect());
            return null;
        }
        long started = System.nanoTime();
        StepRecord record;
        try {
            record = process(step);
        } catch (ImageRejectedException | InvalidRequestException e) {
            log.info("job {} step {} ({}) failed: {}", step.job(), step.step(), step.effect(), e.getMessage());
            return events.failed(step.job(), step.effect() + ": " + e.getMessage());
        }
        JobStore.StepOutcome outcome = jobs.recordStep(step.job(), record);
        log.info("job {} step {} ({}) {} in {} ms -> {}", step.job(), step.step(), step.effect(),
                outcome.name().toLowerCase(), (System.nanoTime() - started) / 1_000_000, record.output());
        if (outcome == JobStore.StepOutcome.JOB_FINISHED || outcome == JobStore.StepOutcome.NO_SUCH_JOB) {
            return null;
        }
        return next(step, record.output());
    }

    private StepRecord process(StepData step) {
        long started = System.nanoTime();
        Blob input = blobs.get(step.input()).orElseThrow(() -> new ImageRejectedException(
                org.springframework.http.HttpStatus.NOT_FOUND, "input object " + step.input() + " is missing"));
        String name = effect.name();
        DecodedImage decoded = metrics.time(name, "decode", () -> codec.decode(input.bytes()));
        metrics.input(name, input.bytes().length, (long) decoded.image().getWidth() * decoded.image().getHeight());
        EffectParams params = new EffectParams(name, step.params());
        BufferedImage result = metrics.time(name, "effect", () -> effect.apply(decoded.image(), params));
        var format = decoded.format().resultFormat();
        byte[] encoded = metrics.time(name, "encode", () -> codec.encode(result, format));
        String output = step.outputKey();
        blobs.put(output, encoded, format.contentType());
        demoDelay();
        long millis = (System.nanoTime() - started) / 1_000_000;
        return new StepRecord(step.step(), step.effect(), pod.pod(), pod.revision(), millis, output,
                result.getWidth(), result.getHeight(), clock.instant());
    }

    private CloudEvent next(StepData step, String output) {
        return step.isLast() ? events.completed(step.job(), output) : events.step(step.next(output));
    }

    private StepData readStep(CloudEvent event) {
        if (!EventTypes.STEP.equals(event.getType())) {
            throw new MalformedEventException("expected an event of type " + EventTypes.STEP + ", got " + event.getType());
        }
        StepData step = events.read(event, StepData.class);
        if (step.job() == null || step.input() == null || step.effects().isEmpty()
                || step.step() < 0 || step.step() >= step.effects().size()) {
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
