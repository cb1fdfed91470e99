package dev.imageflow.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.imageflow.core.effect.EffectSpec;
import dev.imageflow.core.embedded.EmbeddedRedis;
import dev.imageflow.core.embedded.EmbeddedS3;
import dev.imageflow.core.event.ObjectKeys;
import dev.imageflow.core.function.EffectRunner;
import dev.imageflow.core.image.HeapBudget;
import dev.imageflow.core.image.ImageCodec;
import dev.imageflow.core.image.ImageLimits;
import dev.imageflow.core.job.JobRecord;
import dev.imageflow.core.job.JobStore;
import dev.imageflow.core.job.RedisConnection;
import dev.imageflow.core.job.RedisProperties;
import dev.imageflow.core.job.StepRecord;
import dev.imageflow.core.observe.StepMetrics;
import dev.imageflow.core.storage.Blob;
import dev.imageflow.core.storage.BlobStore;
import dev.imageflow.core.storage.S3Api;
import dev.imageflow.core.storage.S3Properties;
import io.lettuce.core.RedisClient;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;
import javax.imageio.ImageIO;
import org.springframework.util.unit.DataSize;

/**
 * One step of each effect against libvips doing the same operation, in one run, interleaved: per effect x photo,
 * each of {@code runs} rounds times libvips' whole command (a process, as {@code bench/run.sh} times it) and then
 * imageflow's whole step as {@code StepFunction} does it, in this warm JVM, against a real redis-server and S3Proxy
 * started here: the job read and the step claimed (Redis), the input got (S3), decoded, the effect applied and
 * encoded at JPEG quality 85 ({@code EffectRunner}, a thumbnail's JPEG decoded at a DCT scale), the result put
 * (S3) and the step recorded (Redis). Each part is timed in every round; the medians are compared. Quality: both
 * results are decoded by the same decoder (ImageIO) and compared channel by channel at equal size, as a mean
 * absolute difference in levels of 255. Used by {@code bench/vs-libvips.sh}; prints two Markdown tables from the
 * same rounds: decode + effect + encode against libvips, and where the whole step's time goes.
 *
 * <pre>java -cp ... dev.imageflow.bench.VsLibvips PHOTOS_DIR OUT_DIR [RUNS] [IMAGES...]</pre>
 */
public final class VsLibvips {

    private static final List<String> EFFECTS = List.of("thumbnail", "bw", "blur");
    private static final String BUCKET = "vs-libvips";

    /** One round's parts of a step, in ms. */
    private record Round(double redis, double get, double decode, double effect, double encode, double put) {

        double image() {
            return decode + effect + encode;
        }

        double whole() {
            return redis + get + image() + put;
        }
    }

    /** A step's surroundings as a pod has them: its stores, its runner and the runner's phase timers. */
    private record Stores(BlobStore blobs, JobStore jobs, EffectRunner runner, SimpleMeterRegistry registry) {}

    private VsLibvips() {}

    public static void main(String[] args) throws Exception {
        Path photos = Path.of(args[0]);
        Path out = Path.of(args[1]);
        int runs = args.length > 2 ? Integer.parseInt(args[2]) : 9;
        List<String> images = args.length > 3 ? Arrays.asList(args).subList(3, args.length) : List.of("12mp", "2.5mp");
        Files.createDirectories(out);
        ImageCodec codec = new ImageCodec(new ImageLimits(DataSize.ofMegabytes(100), 100, 85));
        System.err.println("imageflow JPEG codec: " + codec.jpegCodec() + ", " + Runtime.version() + ", "
                + Runtime.getRuntime().availableProcessors() + " cores");
        List<String> rows = new ArrayList<>();
        List<String> parts = new ArrayList<>();
        // The stores a pod talks to, on this machine: no network between them, so S3 and Redis cost what the
        // clients and servers themselves take (a cluster adds its round trips to these).
        try (EmbeddedRedis redis = EmbeddedRedis.start(0);
                EmbeddedS3 s3 = EmbeddedS3.start(0, null);
                RedisConnection connection = new RedisConnection(RedisClient.create(redis.url()))) {
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            Stores stores = new Stores(
                    new BlobStore(
                            S3Api.create(new S3Properties(
                                    s3.endpoint(),
                                    "us-east-1",
                                    BUCKET,
                                    true,
                                    EmbeddedS3.ACCESS_KEY,
                                    EmbeddedS3.SECRET_KEY,
                                    true)),
                            BUCKET,
                            true),
                    new JobStore(
                            connection,
                            new ObjectMapper().registerModule(new JavaTimeModule()),
                            new RedisProperties(redis.url(), Duration.ofSeconds(5), Duration.ofHours(1)),
                            Clock.systemUTC()),
                    new EffectRunner(codec, HeapBudget.UNLIMITED, new StepMetrics(registry)),
                    registry);
            stores.blobs().ensureBucket();
            for (String effect :
                    System.getProperty("vs.effects", String.join(",", EFFECTS)).split(",")) {
                for (String image : images) {
                    String[] row = compare(stores, effect, image, photos.resolve("photo-" + image + ".jpg"), out, runs);
                    rows.add(row[0]);
                    parts.add(row[1]);
                }
            }
        }
        System.out.println("| effect | photo | libvips, whole process | imageflow decode + effect + encode | × libvips"
                + " | MAD vs libvips | size |");
        System.out.println("|---|---|---:|---:|---:|---:|---|");
        rows.forEach(System.out::println);
        System.out.println();
        System.out.println("| effect | photo | libvips, whole process | imageflow whole step | × libvips | decode"
                + " | effect | encode | S3 get | S3 put | Redis |");
        System.out.println("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        parts.forEach(System.out::println);
    }

    /** @return the row of the first table and the row of the second */
    private static String[] compare(Stores stores, String effect, String image, Path photo, Path out, int runs)
            throws Exception {
        byte[] input = Files.readAllBytes(photo);
        EffectSpec<?> fx = BenchEffects.find(effect);
        Map<String, String> raw = BenchEffects.YARDSTICK_PARAMS;
        Path vipsOut = out.resolve("vips-" + effect + "-" + image + ".jpg");
        Path ourOut = out.resolve("imageflow-" + effect + "-" + image + ".jpg");
        List<String> command = switch (effect) {
            case "thumbnail" -> List.of("vipsthumbnail", photo.toString(), "-s", "256", "-o", vipsOut + "[Q=85]");
            case "blur" -> List.of("vips", "gaussblur", photo.toString(), vipsOut + "[Q=85]", "8");
            default -> List.of("vips", "colourspace", photo.toString(), vipsOut + "[Q=85]", "b-w");
        };
        String original = "originals/vs-libvips-" + image;
        stores.blobs().put(original, input, "image/jpeg");
        byte[][] result = new byte[1][];
        // Warm-up: the JIT compiles the step's code, as it has in a pod that has done some work.
        long warmUntil = System.nanoTime() + 4_000_000_000L;
        for (int i = 0; i < 5 || System.nanoTime() < warmUntil; i++) {
            step(stores, fx, raw, original, result);
        }
        run(command);
        double[] vips = new double[runs];
        Round[] ours = new Round[runs];
        for (int i = 0; i < runs; i++) {
            long t0 = System.nanoTime();
            run(command);
            vips[i] = (System.nanoTime() - t0) / 1e6;
            ours[i] = step(stores, fx, raw, original, result);
        }
        Files.write(ourOut, result[0]);
        BufferedImage theirs = ImageIO.read(vipsOut.toFile());
        BufferedImage mine = ImageIO.read(ourOut.toFile());
        String size = mine.getWidth() + "x" + mine.getHeight();
        String mad;
        if (theirs.getWidth() != mine.getWidth() || theirs.getHeight() != mine.getHeight()) {
            mad = "sizes differ";
            size += " (libvips " + theirs.getWidth() + "x" + theirs.getHeight() + ")";
        } else {
            mad = String.format("%.2f", meanAbsoluteDifference(mine, theirs));
        }
        double v = median(vips);
        double o = median(ours, Round::image);
        double whole = median(ours, Round::whole);
        String row = String.format(
                "| %s | %s | %.0f ms | %.1f ms | %.2f | %s | %s |", effect, image, v, o, o / v, mad, size);
        String parts = String.format(
                "| %s | %s | %.0f ms | %.1f ms | %.2f | %.1f | %.1f | %.1f | %.1f | %.1f | %.1f |",
                effect,
                image,
                v,
                whole,
                whole / v,
                median(ours, Round::decode),
                median(ours, Round::effect),
                median(ours, Round::encode),
                median(ours, Round::get),
                median(ours, Round::put),
                median(ours, Round::redis));
        System.err.println(row + "   libvips " + Arrays.toString(round(vips)) + " imageflow "
                + Arrays.toString(
                        round(Arrays.stream(ours).mapToDouble(Round::image).toArray())));
        System.err.println(parts + "   whole step "
                + Arrays.toString(
                        round(Arrays.stream(ours).mapToDouble(Round::whole).toArray())));
        return new String[] {row, parts};
    }

    /**
     * One step of a fresh job, as {@code StepFunction} does it: job read and step claimed (Redis), input got (S3),
     * decode, effect and encode ({@code EffectRunner}, timed by its own phase timers), result put (S3), step recorded
     * (Redis). The job is created before the clock starts: the gateway made it, not the step.
     */
    private static Round step(
            Stores stores, EffectSpec<?> fx, Map<String, String> params, String original, byte[][] result) {
        String job = UUID.randomUUID().toString();
        List<String> effects = List.of(fx.name());
        stores.jobs()
                .create(
                        JobRecord.pending(job, effects, params, original, "image/jpeg", Instant.now()),
                        Duration.ofMinutes(5));
        double[] before = phases(stores.registry(), fx.name());
        long t0 = System.nanoTime();
        stores.jobs().find(job).orElseThrow();
        if (stores.jobs().claimStep(job, 0, UUID.randomUUID().toString(), Duration.ofMinutes(1))
                != JobStore.ClaimOutcome.CLAIMED) {
            throw new IllegalStateException("step of a fresh job not claimed");
        }
        long t1 = System.nanoTime();
        Blob input = stores.blobs().get(original).orElseThrow();
        long t2 = System.nanoTime();
        EffectRunner.Result out = stores.runner().run(fx, 0, params, input.bytes());
        long t3 = System.nanoTime();
        String output = ObjectKeys.result(job, 0, fx.name());
        stores.blobs().put(output, out.bytes(), out.format().contentType());
        long t4 = System.nanoTime();
        stores.jobs()
                .recordStep(
                        job,
                        new StepRecord(
                                0,
                                fx.name(),
                                "bench",
                                null,
                                (t4 - t0) / 1_000_000,
                                output,
                                out.width(),
                                out.height(),
                                Instant.now()));
        long t5 = System.nanoTime();
        double[] after = phases(stores.registry(), fx.name());
        result[0] = out.bytes();
        // Out of the timing: the in-memory S3Proxy would otherwise hold every round's result.
        stores.blobs().delete(output);
        stores.jobs().delete(job);
        return new Round(
                ((t1 - t0) + (t5 - t4)) / 1e6,
                (t2 - t1) / 1e6,
                after[0] - before[0],
                after[1] - before[1],
                after[2] - before[2],
                (t4 - t3) / 1e6);
    }

    /** EffectRunner's decode, effect and encode timers of {@code effect} so far, in ms. */
    private static double[] phases(SimpleMeterRegistry registry, String effect) {
        return Arrays.stream(new String[] {"decode", "effect", "encode"})
                .mapToDouble(phase -> {
                    Timer timer = registry.find("imageflow.step." + phase)
                            .tag("effect", effect)
                            .timer();
                    return timer == null ? 0 : timer.totalTime(TimeUnit.NANOSECONDS) / 1e6;
                })
                .toArray();
    }

    private static void run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.to(new File("/dev/null")))
                .start();
        if (process.waitFor() != 0) {
            throw new IllegalStateException("failed: " + String.join(" ", command));
        }
    }

    /**
     * Mean over pixels and channels of |a - b|; a grey image is compared with each channel of a colour one.
     */
    static double meanAbsoluteDifference(BufferedImage a, BufferedImage b) {
        Raster ra = a.getRaster();
        Raster rb = b.getRaster();
        int bands = Math.max(ra.getNumBands(), rb.getNumBands());
        int w = a.getWidth();
        int[] pa = new int[w * ra.getNumBands()];
        int[] pb = new int[w * rb.getNumBands()];
        long sum = 0;
        for (int y = 0; y < a.getHeight(); y++) {
            ra.getPixels(0, y, w, 1, pa);
            rb.getPixels(0, y, w, 1, pb);
            for (int x = 0; x < w; x++) {
                for (int c = 0; c < bands; c++) {
                    int va = pa[x * ra.getNumBands() + Math.min(c, ra.getNumBands() - 1)];
                    int vb = pb[x * rb.getNumBands() + Math.min(c, rb.getNumBands() - 1)];
                    sum += Math.abs(va - vb);
                }
            }
        }
        return sum / ((double) w * a.getHeight() * bands);
    }

    private static double median(Round[] rounds, ToDoubleFunction<Round> part) {
        return median(Arrays.stream(rounds).mapToDouble(part).toArray());
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private static long[] round(double[] values) {
        return Arrays.stream(values).mapToLong(Math::round).toArray();
    }
}
