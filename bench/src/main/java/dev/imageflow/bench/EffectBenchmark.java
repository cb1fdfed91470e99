package dev.imageflow.bench;

import dev.imageflow.core.effect.EffectSpec;
import dev.imageflow.core.image.DecodedImage;
import dev.imageflow.core.image.HeapBudget;
import dev.imageflow.core.image.ImageCodec;
import dev.imageflow.core.image.ImageLimits;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.springframework.util.unit.DataSize;

/**
 * What one step costs in steady state: decode + effect + encode (JPEG quality 85) of a real photograph, the same
 * work the peers (vips, ImageMagick, Pillow) are timed on by bench/run.sh. Photos come from -Dbench.photos.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(value = 1, jvmArgsAppend = "-Xmx2g")
public class EffectBenchmark {

    @Param({"12mp", "2mp"})
    public String image;

    @Param({"thumbnail", "blur", "bw"})
    public String effect;

    private byte[] input;
    private EffectSpec.Configured<?> fx;
    private ImageCodec codec;

    @Setup
    public void setUp() throws IOException {
        input = Files.readAllBytes(
                Path.of(System.getProperty("bench.photos", "bench/photos"), "photo-" + image + ".jpg"));
        codec = new ImageCodec(new ImageLimits(DataSize.ofMegabytes(100), 100, 85));
        // -p effect=NAME picks any effect there is.
        fx = BenchEffects.find(effect).forStep(0, BenchEffects.YARDSTICK_PARAMS);
    }

    @Benchmark
    public byte[] decodeEffectEncode() {
        DecodedImage decoded = codec.decode(input, HeapBudget.UNLIMITED, fx.decodeHint());
        BufferedImage result = fx.apply(decoded.image());
        return codec.encode(result, decoded.format().resultFormat());
    }
}
