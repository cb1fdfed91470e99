package dev.imageflow.core.function;

import dev.imageflow.core.effect.EffectSpec;
import dev.imageflow.core.image.DecodeHint;
import dev.imageflow.core.image.DecodedImage;
import dev.imageflow.core.image.HeapBudget;
import dev.imageflow.core.image.ImageCodec;
import dev.imageflow.core.image.ImageFormat;
import dev.imageflow.core.observe.StepMetrics;
import java.awt.image.BufferedImage;
import java.util.Map;

/**
 * The image part of a step: decode within the JVM's heap budget (no larger than the effect needs), apply the effect
 * with the step's parameters, encode in the format the input calls for; each phase timed.
 */
public class EffectRunner {

    /** A step's encoded result. */
    public record Result(byte[] bytes, ImageFormat format, int width, int height) {}

    private final ImageCodec codec;
    private final HeapBudget budget;
    private final StepMetrics metrics;

    public EffectRunner(ImageCodec codec, HeapBudget budget, StepMetrics metrics) {
        this.codec = codec;
        this.budget = budget;
        this.metrics = metrics;
    }

    public Result run(EffectSpec<?> effect, int step, Map<String, String> params, byte[] input) {
        String name = effect.name();
        EffectSpec.Configured<?> configured = effect.forStep(step, params);
        // A thumbnail needs fewer pixels than the photo has: a JPEG then decodes at a DCT scale (1/2, 1/4, 1/8).
        DecodeHint hint = configured.decodeHint();
        try (DecodedImage decoded = metrics.time(name, "decode", () -> codec.decode(input, budget, hint))) {
            metrics.input(
                    name,
                    input.length,
                    (long) decoded.image().getWidth() * decoded.image().getHeight());
            BufferedImage result = metrics.time(name, "effect", () -> configured.apply(decoded.image()));
            ImageFormat format = decoded.format().resultFormat();
            byte[] encoded = metrics.time(name, "encode", () -> codec.encode(result, format));
            return new Result(encoded, format, result.getWidth(), result.getHeight());
        }
    }
}
