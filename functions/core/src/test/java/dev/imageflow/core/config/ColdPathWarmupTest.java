package dev.imageflow.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.imageflow.core.effect.Effect;
import dev.imageflow.core.effect.EffectSpec;
import dev.imageflow.core.effect.NoParameters;
import dev.imageflow.core.embedded.FreePort;
import dev.imageflow.core.event.CloudEventMessages;
import dev.imageflow.core.event.PipelineEvents;
import dev.imageflow.core.image.ImageCodec;
import dev.imageflow.core.image.ImageLimits;
import dev.imageflow.core.job.JobStore;
import dev.imageflow.core.job.RedisConnection;
import dev.imageflow.core.job.RedisProperties;
import dev.imageflow.core.observe.EventTracing;
import dev.imageflow.core.storage.BlobStore;
import dev.imageflow.core.storage.S3Api;
import dev.imageflow.core.storage.S3Properties;
import io.lettuce.core.RedisClient;
import java.awt.image.BufferedImage;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.health.Status;
import org.springframework.util.unit.DataSize;

/** Readiness waits for a function's own cold paths, and only for them: stores that are down do not hold it. */
class ColdPathWarmupTest {

    private final ObjectMapper json = new ObjectMapper().registerModule(new JavaTimeModule());
    private final ImageCodec codec = new ImageCodec(new ImageLimits(DataSize.ofMegabytes(2), 1, 85));
    private final PipelineEvents events = new PipelineEvents(json, URI.create("/test"), new EventTracing("test"));
    // Nothing listens on these ports: the stores are "not up yet", as on a fresh cluster.
    private final RedisClient redis = RedisClient.create("redis://127.0.0.1:" + FreePort.find());
    private final S3Api s3 = S3Api.create(new S3Properties(
            URI.create("http://127.0.0.1:" + FreePort.find()),
            "us-east-1",
            "imageflow-test",
            true,
            "key",
            "secret",
            false));
    private final JobStore jobs = new JobStore(
            new RedisConnection(redis),
            json,
            new RedisProperties("redis://unused", Duration.ofSeconds(1), Duration.ofHours(1)),
            Clock.systemUTC());
    private final BlobStore blobs = new BlobStore(s3, "imageflow-test", false);

    @AfterEach
    void closeClients() {
        redis.shutdown();
        s3.close();
    }

    @Test
    void isOutOfServiceUntilTheEffectHasRunThenUpThoughNeitherStoreAnswers() throws Exception {
        GatedEffect effect = new GatedEffect();
        ColdPathWarmup warmup = new ColdPathWarmup(
                        codec, EffectSpec.of(effect), events, new CloudEventMessages(json), jobs, blobs)
                .start();

        assertThat(effect.entered.await(30, TimeUnit.SECONDS)).isTrue();
        assertThat(warmup.health().getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
        assertThat(warmup.isWarm()).isFalse();

        effect.gate.countDown();
        await().atMost(Duration.ofSeconds(30)).until(warmup::isWarm);
        assertThat(warmup.health().getStatus()).isEqualTo(Status.UP);
        assertThat(effect.runs.get())
                .as("the effect ran on a JPEG and on a PNG")
                .isEqualTo(2);
    }

    @Test
    void aGatewayWithoutAnEffectWarmsItsCodecAndEvents() {
        ColdPathWarmup warmup =
                new ColdPathWarmup(codec, null, events, new CloudEventMessages(json), jobs, blobs).start();

        await().atMost(Duration.ofSeconds(30)).until(warmup::isWarm);
        assertThat(warmup.health().getStatus()).isEqualTo(Status.UP);
    }

    /** Blocks on its first image until the test lets it go. */
    private static final class GatedEffect implements Effect<NoParameters> {
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch gate = new CountDownLatch(1);
        final AtomicInteger runs = new AtomicInteger();

        @Override
        public String name() {
            return "bw";
        }

        @Override
        public String description() {
            return "waits for the test";
        }

        @Override
        public Class<NoParameters> parameters() {
            return NoParameters.class;
        }

        @Override
        public BufferedImage apply(BufferedImage image, NoParameters params) {
            entered.countDown();
            try {
                gate.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            runs.incrementAndGet();
            return image;
        }
    }
}
