package dev.imageflow.core.config;

import dev.imageflow.core.effect.EffectSpec;
import dev.imageflow.core.event.CloudEventMessages;
import dev.imageflow.core.event.PipelineEvents;
import dev.imageflow.core.event.StepData;
import dev.imageflow.core.image.DecodedImage;
import dev.imageflow.core.image.ImageCodec;
import dev.imageflow.core.image.ImageFormat;
import dev.imageflow.core.job.JobStore;
import dev.imageflow.core.storage.BlobStore;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.messaging.Message;

/**
 * A cold function's first request used to pay for every first time on its path after Spring had started: the image
 * codecs' own start (ImageIO's registry, the native JPEG library, colour management), the effect's classes, the
 * CloudEvent and JSON mapping of a step and its reply, the Redis connection and the S3 client's first signed request:
 * 0.7 s of bw's 3.4 s cold start, on one core while the other idled. This walks that path on threads of its own
 * from the moment the beans exist, so it overlaps the rest of Spring's and Tomcat's start.
 *
 * <p>As a health indicator in the readiness group it is DOWN until the function's own paths (codec, effect, events)
 * are warm, so Knative routes the first request to a pod that answers it at full speed. The stores are warmed on a
 * thread of their own from the same moment and never hold readiness back: Redis or S3 may start after the function,
 * which then answers 503 until they are up.
 */
public class ColdPathWarmup implements HealthIndicator {

    private static final Logger log = LoggerFactory.getLogger(ColdPathWarmup.class);
    private static final String WARMUP_JOB = "warm-up";

    private final ImageCodec codec;
    private final EffectSpec<?> effect;
    private final PipelineEvents events;
    private final CloudEventMessages messages;
    private final JobStore jobs;
    private final BlobStore blobs;
    private volatile boolean warm;

    /** @param effect the function's effect, or null on the gateway */
    public ColdPathWarmup(
            ImageCodec codec,
            EffectSpec<?> effect,
            PipelineEvents events,
            CloudEventMessages messages,
            JobStore jobs,
            BlobStore blobs) {
        this.codec = codec;
        this.effect = effect;
        this.events = events;
        this.messages = messages;
        this.jobs = jobs;
        this.blobs = blobs;
    }

    /**
     * Starts the walk on two daemon threads and returns at once. The stores' warm-up (Lettuce's connection, the S3
     * client's first signed request: 0.2 s on a cold JVM, mostly waiting) used to follow the function's own paths, so
     * the first request, sent the moment readiness said UP, found it half done and waited for it: most of the 0.3 s
     * between a cold bw's readiness and its first answer.
     */
    public ColdPathWarmup start() {
        daemon(this::run, "cold-path-warmup");
        daemon(this::warmStores, "store-warmup");
        return this;
    }

    private static void daemon(Runnable work, String name) {
        Thread thread = new Thread(work, name);
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public Health health() {
        return warm
                ? Health.up().build()
                : Health.outOfService()
                        .withDetail("warming", "codec, effect, events")
                        .build();
    }

    /** True once the function's own paths are warm (the stores may still be on their way). */
    public boolean isWarm() {
        return warm;
    }

    void run() {
        long started = System.nanoTime();
        attempt("image codecs and effect", this::image);
        attempt("step events", this::stepEvents);
        warm = true;
        log.debug("own cold paths warm after {} ms", (System.nanoTime() - started) / 1_000_000);
    }

    void warmStores() {
        attempt("Redis", () -> jobs.find(WARMUP_JOB));
        attempt("S3", () -> blobs.size("warm-up/none"));
    }

    private void image() {
        // Large enough for the effect's parallel path and for its loops to be compiled: with a 64x48 image a cold
        // blur's first 2 MP step still took 0.6 s (0.05 s warm); with this one 0.35-0.4 s, and readiness came no later.
        BufferedImage small = new BufferedImage(320, 240, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < small.getHeight(); y++) {
            for (int x = 0; x < small.getWidth(); x++) {
                small.setRGB(x, y, (x & 0xff) << 16 | (y & 0xff) << 8 | ((x + y) & 0xff));
            }
        }
        for (ImageFormat format : List.of(ImageFormat.PNG, ImageFormat.JPEG)) {
            byte[] encoded = codec.encode(small, format);
            codec.verify(encoded);
            try (DecodedImage decoded = codec.decode(encoded)) {
                BufferedImage result = effect == null
                        ? decoded.image()
                        : effect.forStep(0, Map.of()).apply(decoded.image());
                codec.encode(result, decoded.format().resultFormat());
            }
        }
    }

    private void stepEvents() {
        String name = effect == null ? WARMUP_JOB : effect.name();
        StepData step = new StepData(WARMUP_JOB, 0, "originals/" + WARMUP_JOB, List.of(name, name), Map.of());
        Message<byte[]> written = messages.write(events.step(step));
        events.read(messages.read(written), StepData.class);
        messages.write(events.step(step.next("results/" + WARMUP_JOB)));
        messages.write(events.completed(WARMUP_JOB, "results/" + WARMUP_JOB));
    }

    private static void attempt(String path, Runnable work) {
        try {
            work.run();
        } catch (RuntimeException e) {
            log.debug("warm-up of {} failed; the first request pays for it instead: {}", path, e.toString());
        }
    }
}
