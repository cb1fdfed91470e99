package dev.imageflow.effects;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.imageflow.core.effect.Effect;
import dev.imageflow.core.event.EventTypes;
import dev.imageflow.core.event.PipelineEvents;
import dev.imageflow.core.event.StepData;
import dev.imageflow.core.image.ImageLimits;
import dev.imageflow.core.job.JobRecord;
import dev.imageflow.core.job.JobStore;
import dev.imageflow.core.job.RedisConnection;
import dev.imageflow.core.job.StepRecord;
import dev.imageflow.core.observe.EventTracing;
import dev.imageflow.core.storage.BlobStore;
import dev.imageflow.core.test.CloudEventHttp;
import dev.imageflow.core.test.Kustomize;
import dev.imageflow.core.test.TestImages;
import dev.imageflow.core.test.TestStores;
import io.cloudevents.CloudEvent;
import io.lettuce.core.RedisClient;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/**
 * An effect pod stays under its memory limit at its busiest: as many steps at once as its Service's
 * {@code containerConcurrency} lets in, each of the largest image the limits accept. Each effect runs in a child JVM
 * started as the pod starts it (the Service's env, JAVA_TOOL_OPTIONS included; {@code -XX:MaxRAM} of the memory
 * limit standing in for the container's), and the peak of its whole resident set, native memory (codec buffers,
 * metaspace, threads, malloc arenas) included, must stay under the limit, or the kernel would have killed the pod.
 * Limits and concurrency come from the manifests a cluster gets ({@code kubectl kustomize knative}), so a change to
 * either is tested as deployed.
 */
class PodMemoryTest {

    private static final Path KNATIVE =
            Path.of("../../knative").toAbsolutePath().normalize();
    private static final Path LARGEST = Path.of("target/largest-allowed.jpg");
    /** The Broker's redeliveries of a 503 (eventing/broker.yaml retries 4 times), with room for a slow machine. */
    private static final int RETRIES = 8;

    private static final Duration STEP_TIMEOUT = Duration.ofMinutes(3);

    /** What the test reads from an effect's rendered Knative Service. */
    record EffectPod(String effect, long memoryLimit, int concurrency, Map<String, String> env) {}

    @TestFactory
    Stream<DynamicTest> everyEffectPodStaysUnderItsMemoryLimitAtFullConcurrencyWithTheLargestAllowedImage()
            throws Exception {
        List<EffectPod> pods = new ArrayList<>();
        for (JsonNode service : Kustomize.render(KNATIVE)) {
            if ("effect"
                    .equals(service.path("metadata")
                            .path("labels")
                            .path("app.kubernetes.io/component")
                            .asText())) {
                pods.add(read(service));
            }
        }
        // Every effect there is has its Service: the effects as the application finds them.
        assertThat(pods)
                .extracting(EffectPod::effect)
                .containsExactlyInAnyOrderElementsOf(EffectsAutoConfiguration.scan().stream()
                        .map(Effect::name)
                        .toList());
        return pods.stream().map(pod -> DynamicTest.dynamicTest(pod.effect(), () -> check(pod)));
    }

    private static EffectPod read(JsonNode service) {
        String name = service.path("metadata").path("name").asText();
        JsonNode spec = service.path("spec").path("template").path("spec");
        JsonNode container = spec.path("containers").path(0);
        Map<String, String> env = new LinkedHashMap<>();
        for (JsonNode variable : container.path("env")) {
            env.put(variable.path("name").asText(), variable.path("value").asText());
        }
        assertThat(env).as(name + "'s env").containsKey("JAVA_TOOL_OPTIONS");
        String memory =
                container.path("resources").path("limits").path("memory").asText();
        int concurrency = spec.path("containerConcurrency").asInt();
        assertThat(concurrency).as(name + "'s containerConcurrency").isPositive();
        return new EffectPod(name, quantity(memory), concurrency, env);
    }

    /** A Kubernetes memory quantity ({@code 2Gi}, {@code 1280Mi}, {@code 800M}, plain bytes), in bytes. */
    static long quantity(String value) {
        Matcher m = Pattern.compile("(\\d+)(Ki|Mi|Gi|k|M|G)?").matcher(value);
        assertThat(m.matches()).as("memory quantity " + value).isTrue();
        long number = Long.parseLong(m.group(1));
        return number
                * switch (m.group(2) == null ? "" : m.group(2)) {
                    case "Ki" -> 1L << 10;
                    case "Mi" -> 1L << 20;
                    case "Gi" -> 1L << 30;
                    case "k" -> 1_000L;
                    case "M" -> 1_000_000L;
                    case "G" -> 1_000_000_000L;
                    default -> 1L;
                };
    }

    private static void check(EffectPod pod) throws Exception {
        long started = System.nanoTime();
        TestStores stores = TestStores.get();
        ObjectMapper json = new ObjectMapper().registerModule(new JavaTimeModule());
        RedisClient redisClient = RedisClient.create(stores.redis().url());
        JobStore jobs =
                new JobStore(new RedisConnection(redisClient), json, stores.redisProperties(), Clock.systemUTC());
        BlobStore blobs = new BlobStore(stores.s3Api(), TestStores.BUCKET, true);
        // One object read by every job: the jobs are apart (their own records and results), the input need not be.
        String input = "originals/largest-allowed-" + UUID.randomUUID();
        blobs.put(input, largestAllowedJpeg(), "image/jpeg");
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < pod.concurrency(); i++) {
            String id = UUID.randomUUID().toString();
            jobs.create(
                    JobRecord.pending(id, List.of(pod.effect()), Map.of(), input, "image/jpeg", Instant.now()),
                    Duration.ofMinutes(10));
            ids.add(id);
        }
        PipelineEvents events = new PipelineEvents(json, URI.create("/test"), new EventTracing("test"));
        List<String> jvm = List.of("-XX:MaxRAM=" + pod.memoryLimit(), "--enable-native-access=ALL-UNNAMED");
        AtomicInteger busy = new AtomicInteger();
        ExecutorService senders = Executors.newFixedThreadPool(pod.concurrency());
        try (EffectsProcess process = EffectsProcess.start(pod.effect(), stores, jvm, pod.env(), List.of())) {
            long ready = System.nanoTime();
            List<Future<CloudEventHttp.Reply>> replies = new ArrayList<>();
            for (String id : ids) {
                CloudEvent step = events.step(new StepData(id, 0, input, List.of(pod.effect()), Map.of()));
                replies.add(senders.submit(() -> deliver(process.uri(), step, busy)));
            }
            String size = "";
            for (int i = 0; i < replies.size(); i++) {
                CloudEventHttp.Reply reply = replies.get(i).get();
                assertThat(reply.status())
                        .as("%s step %d: %s; see %s", pod.effect(), i, reply.body(), process.log())
                        .isEqualTo(200);
                assertThat(reply.event().getType()).isEqualTo(EventTypes.JOB_COMPLETED);
                StepRecord record = jobs.findStep(ids.get(i), 0).orElseThrow();
                size = record.width() + "x" + record.height();
            }
            long peak = peakRss(process.process().pid());
            System.out.printf(
                    "%s: limit %d MiB, containerConcurrency %d, %d steps of %s at once (results %s; %d"
                            + " answered 503 and retried): peak RSS %d MiB (%.0f %% of the limit); steps %.1f s, %.1f s with start%n",
                    pod.effect(),
                    pod.memoryLimit() >> 20,
                    pod.concurrency(),
                    ids.size(),
                    LARGEST.getFileName(),
                    size,
                    busy.get(),
                    peak >> 20,
                    100.0 * peak / pod.memoryLimit(),
                    (System.nanoTime() - ready) / 1e9,
                    (System.nanoTime() - started) / 1e9);
            assertThat(peak)
                    .as(
                            "%s: peak RSS %d MiB against its limit of %d MiB (containerConcurrency %d)",
                            pod.effect(), peak >> 20, pod.memoryLimit() >> 20, pod.concurrency())
                    .isLessThan(pod.memoryLimit());
        } finally {
            senders.shutdownNow();
            redisClient.shutdown();
        }
    }

    /**
     * A step's delivery as the Broker makes it: a 503 (the pod's heap budget had no room within its wait) is sent
     * again after a pause, as the Broker's retry policy would; anything else is the answer.
     */
    private static CloudEventHttp.Reply deliver(URI target, CloudEvent step, AtomicInteger busy) throws Exception {
        CloudEventHttp http = new CloudEventHttp();
        for (int attempt = 0; ; attempt++) {
            CloudEventHttp.Reply reply = http.sendBinary(target, step, STEP_TIMEOUT);
            if (reply.status() != 503 || attempt == RETRIES) {
                return reply;
            }
            busy.incrementAndGet();
            Thread.sleep(1000);
        }
    }

    /**
     * The largest image {@code imageflow.image.max-megapixels} accepts (at its default), 3:2, as a JPEG of smooth
     * gradients (small, so it is under the upload size limit too); made once per build directory, since encoding
     * 50 MP takes seconds.
     */
    private static byte[] largestAllowedJpeg() throws Exception {
        ImageLimits limits = new Binder(new MapConfigurationPropertySource(Map.of()))
                .bindOrCreate("imageflow.image", ImageLimits.class);
        int width = (int) Math.sqrt(limits.maxPixels() * 1.5);
        int height = (int) (limits.maxPixels() / width);
        if (!Files.exists(LARGEST)) {
            Path partial = Path.of(LARGEST + ".part");
            Files.write(partial, TestImages.jpeg(TestImages.gradient(width, height)));
            Files.move(partial, LARGEST);
        }
        byte[] jpeg = Files.readAllBytes(LARGEST);
        assertThat((long) jpeg.length)
                .as("bytes of the largest image")
                .isLessThanOrEqualTo(limits.maxBytes().toBytes());
        return jpeg;
    }

    /** The process's peak resident set (VmHWM): heap, native memory and everything else it ever had in RAM. */
    private static long peakRss(long pid) throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmHWM:")) {
                return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
            }
        }
        throw new IllegalStateException("no VmHWM in /proc/" + pid + "/status");
    }
}
