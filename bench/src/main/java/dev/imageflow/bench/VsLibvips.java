package dev.imageflow.bench;

import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import javax.imageio.ImageIO;

import org.springframework.util.unit.DataSize;

import dev.imageflow.core.effect.EffectSpec;
import dev.imageflow.core.image.DecodeHint;
import dev.imageflow.core.image.DecodedImage;
import dev.imageflow.core.image.HeapBudget;
import dev.imageflow.core.image.ImageCodec;
import dev.imageflow.core.image.ImageLimits;

/**
 * One step of each effect against libvips doing the same operation, in one run, interleaved: per effect x photo,
 * each of {@code runs} rounds times libvips' whole command (a process, as {@code bench/run.sh} times it) and then
 * imageflow's step (decode + effect + encode at JPEG quality 85, in this warm JVM, as {@code StepFunction} does
 * it: a thumbnail's JPEG decoded at a DCT scale), and the medians are compared. Quality: both results are decoded
 * by the same decoder (ImageIO) and compared channel by channel at equal size, as a mean absolute difference in
 * levels of 255. Used by {@code bench/vs-libvips.sh}; prints a Markdown table.
 *
 * <pre>java -cp ... dev.imageflow.bench.VsLibvips PHOTOS_DIR OUT_DIR [RUNS] [IMAGES...]</pre>
 */
public final class VsLibvips {

    private static final List<String> EFFECTS = List.of("thumbnail", "bw", "blur");

    private VsLibvips() {
    }

    public static void main(String[] args) throws Exception {
        Path photos = Path.of(args[0]);
        Path out = Path.of(args[1]);
        int runs = args.length > 2 ? Integer.parseInt(args[2]) : 9;
        List<String> images = args.length > 3 ? Arrays.asList(args).subList(3, args.length) : List.of("12mp", "2mp");
        Files.createDirectories(out);
        ImageCodec codec = new ImageCodec(new ImageLimits(DataSize.ofMegabytes(100), 100, 85));
        System.err.println("imageflow JPEG codec: " + codec.jpegCodec() + ", " + Runtime.version() + ", "
                + Runtime.getRuntime().availableProcessors() + " cores");
        List<String> rows = new ArrayList<>();
        for (String effect : System.getProperty("vs.effects", String.join(",", EFFECTS)).split(",")) {
            for (String image : images) {
                rows.add(compare(codec, effect, image, photos.resolve("photo-" + image + ".jpg"), out, runs));
            }
        }
        System.out.println("| effect | photo | libvips, whole process | imageflow step | × libvips | MAD vs libvips |"
                + " size |");
        System.out.println("|---|---|---:|---:|---:|---:|---|");
        rows.forEach(System.out::println);
    }

    private static String compare(ImageCodec codec, String effect, String image, Path photo, Path out, int runs)
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
        DecodeHint hint = fx.decodeHint(0, raw);
        byte[] result = null;
        // Warm-up: the JIT compiles the step's code, as it has in a pod that has done some work.
        long warmUntil = System.nanoTime() + 4_000_000_000L;
        for (int i = 0; i < 5 || System.nanoTime() < warmUntil; i++) {
            result = step(codec, input, fx, raw, hint);
        }
        run(command);
        double[] vips = new double[runs];
        double[] ours = new double[runs];
        for (int i = 0; i < runs; i++) {
            long t0 = System.nanoTime();
            run(command);
            long t1 = System.nanoTime();
            result = step(codec, input, fx, raw, hint);
            long t2 = System.nanoTime();
            vips[i] = (t1 - t0) / 1e6;
            ours[i] = (t2 - t1) / 1e6;
        }
        Files.write(ourOut, result);
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
        double o = median(ours);
        String row = String.format("| %s | %s | %.0f ms | %.1f ms | %.2f | %s | %s |", effect, image, v, o, o / v, mad,
                size);
        System.err.println(row + "   libvips " + Arrays.toString(round(vips)) + " imageflow " + Arrays.toString(round(ours)));
        return row;
    }

    /** What a step does with the bytes it read: decode, apply, encode. */
    static byte[] step(ImageCodec codec, byte[] input, EffectSpec<?> fx, Map<String, String> params, DecodeHint hint) {
        try (DecodedImage decoded = codec.decode(input, HeapBudget.UNLIMITED, hint)) {
            BufferedImage result = fx.apply(decoded.image(), 0, params);
            return codec.encode(result, decoded.format().resultFormat());
        }
    }

    private static void run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.to(new File("/dev/null"))).start();
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
