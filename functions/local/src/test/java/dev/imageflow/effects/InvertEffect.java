package dev.imageflow.effects;

import dev.imageflow.core.effect.Effect;
import dev.imageflow.core.effect.Param;
import dev.imageflow.core.image.PackedPixels;
import java.awt.image.BufferedImage;

/**
 * An effect that exists only in the tests, written as a new effect is: this class, plus its Trigger
 * (resources/eventing/trigger-invert.yaml). ExtraEffectTest shows that nothing else has to change for the gateway,
 * the page, the validation and the runner to take it.
 */
public class InvertEffect implements Effect<InvertEffect.Params> {

    public record Params(
            @Param(min = 0, max = 1, defaultValue = 1, description = "how far towards the negative")
            double strength) {}

    @Override
    public String description() {
        return "the negative, in part or whole";
    }

    @Override
    public BufferedImage apply(BufferedImage image, Params params) {
        int[] in = PackedPixels.of(image);
        int[] out = new int[in.length];
        for (int i = 0; i < in.length; i++) {
            int p = in[i];
            out[i] = p & 0xFF000000
                    | mix(p >>> 16 & 0xFF, params.strength()) << 16
                    | mix(p >>> 8 & 0xFF, params.strength()) << 8
                    | mix(p & 0xFF, params.strength());
        }
        return PackedPixels.image(
                out, image.getWidth(), image.getHeight(), image.getColorModel().hasAlpha());
    }

    private static int mix(int v, double strength) {
        return (int) Math.round(v + (255 - 2 * v) * strength);
    }
}
