package dev.imageflow.gateway;

import dev.imageflow.core.effect.EffectCatalog;
import dev.imageflow.core.effect.InvalidRequestException;
import dev.imageflow.core.event.JobRequest;
import dev.imageflow.core.event.ObjectKeys;
import dev.imageflow.core.event.PipelineEvents;
import dev.imageflow.core.event.StepData;
import dev.imageflow.core.image.HeapBudget;
import dev.imageflow.core.image.ImageCodec;
import dev.imageflow.core.image.ImageInfo;
import dev.imageflow.core.image.ImageRejectedException;
import dev.imageflow.core.image.ImageRejectedException.Reason;
import dev.imageflow.core.job.JobRecord;
import dev.imageflow.core.job.JobStore;
import dev.imageflow.core.observe.EventTracing;
import dev.imageflow.core.storage.Blob;
import dev.imageflow.core.storage.BlobStore;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Starts jobs: checks the request and the image completely before writing anything, then stores the original,
 * creates the job and emits its first step. If a later part fails, the earlier parts are undone, so a refused or
 * failed start leaves neither an object nor a job behind.
 */
@Component
public class JobStarter {

    private static final Logger log = LoggerFactory.getLogger(JobStarter.class);

    private final EffectCatalog catalog;
    private final ImageCodec codec;
    private final BlobStore blobs;
    private final JobStore jobs;
    private final PipelineEvents events;
    private final EventSender sender;
    private final GatewayProperties properties;
    private final Clock clock;
    private final EventTracing tracing;
    private final JobMetrics metrics;
    private final ServiceWaker waker;
    private final HeapBudget budget;

    public JobStarter(
            EffectCatalog catalog,
            ImageCodec codec,
            BlobStore blobs,
            JobStore jobs,
            PipelineEvents events,
            EventSender sender,
            GatewayProperties properties,
            Clock clock,
            EventTracing tracing,
            JobMetrics metrics,
            ServiceWaker waker,
            HeapBudget budget) {
        this.catalog = catalog;
        this.budget = budget;
        this.codec = codec;
        this.blobs = blobs;
        this.jobs = jobs;
        this.events = events;
        this.sender = sender;
        this.properties = properties;
        this.clock = clock;
        this.tracing = tracing;
        this.metrics = metrics;
        this.waker = waker;
    }

    /** @return the new job's id */
    public String upload(byte[] image, List<String> effects, Map<String, String> params) {
        Map<String, String> accepted = catalog.validate(effects, params, properties.maxEffects());
        ImageInfo info = codec.verify(image);
        String id = UUID.randomUUID().toString();
        String key = ObjectKeys.original(id);
        blobs.put(key, image, info.format().contentType());
        try {
            start(id, key, info.format().contentType(), effects, accepted);
        } catch (RuntimeException e) {
            deleteQuietly(key);
            throw e;
        }
        return id;
    }

    /**
     * Starts a job on an object already in the bucket. The job id is derived from the request event's source and
     * id, so a redelivered request finds its job instead of starting a second one.
     *
     * @return the job's id
     */
    public String request(JobRequest request, String eventSource, String eventId) {
        if (request.key() == null || request.effects() == null) {
            throw new InvalidRequestException("a job request needs key and effects");
        }
        Map<String, String> accepted = catalog.validate(request.effects(), request.params(), properties.maxEffects());
        String key = request.key();
        if (!key.startsWith(properties.requestPrefix()) || key.contains("..") || key.contains("//")) {
            throw new InvalidRequestException("key must be an object under " + properties.requestPrefix());
        }
        String id = UUID.nameUUIDFromBytes((eventSource + "\n" + eventId).getBytes(StandardCharsets.UTF_8))
                .toString();
        if (jobs.find(id).isPresent()) {
            return id;
        }
        long size = blobs.size(key).orElseThrow(() -> noSuchObject(key));
        if (size > codec.limits().maxBytes().toBytes()) {
            throw new ImageRejectedException(
                    Reason.TOO_LARGE,
                    "the object is " + size + " bytes; the limit is "
                            + codec.limits().maxBytes().toBytes());
        }
        try (HeapBudget.Lease room = budget.forUpload(size)) {
            Blob blob = blobs.get(key).orElseThrow(() -> noSuchObject(key));
            ImageInfo info = codec.verify(blob.bytes());
            start(id, key, info.format().contentType(), request.effects(), accepted);
        }
        return id;
    }

    private void start(String id, String key, String contentType, List<String> effects, Map<String, String> params) {
        if (!jobs.create(
                JobRecord.pending(id, effects, params, key, contentType, clock.instant()), properties.jobTimeout())) {
            return;
        }
        try (var logged = tracing.logJob(id)) {
            sender.send(events.step(new StepData(id, 0, key, effects, params)));
            metrics.started();
            waker.wake(effects);
            log.info("job {} started: {} on {}", id, effects, key);
        } catch (RuntimeException e) {
            try {
                jobs.delete(id);
            } catch (RuntimeException cleanup) {
                log.warn("job {} could not be removed after its start failed: {}", id, cleanup.getMessage());
            }
            throw e;
        }
    }

    private static InvalidRequestException noSuchObject(String key) {
        return new InvalidRequestException("no such object " + key);
    }

    private void deleteQuietly(String key) {
        try {
            blobs.delete(key);
        } catch (RuntimeException e) {
            log.warn("{} could not be removed after its job failed to start: {}", key, e.getMessage());
        }
    }
}
