package dev.imageflow.effects;

import dev.imageflow.core.effect.Effect;
import dev.imageflow.core.effect.Param;
import dev.imageflow.core.image.BoxShrink;
import dev.imageflow.core.image.GaussianBlur;
import dev.imageflow.core.image.PackedPixels;
import dev.imageflow.core.image.Upsample;
import java.awt.image.BufferedImage;

/**
 * Gaussian blur of standard deviation {@code sigma} ({@link GaussianBlur}: separable, edges extended). Transparent
 * images are blurred premultiplied, so transparent pixels do not bleed their hidden colour into their neighbours.
 * From sigma {@value #DOWNSAMPLE_FROM_SIGMA} the blur is done at half size, from {@value #QUARTER_FROM_SIGMA} at a
 * quarter (box shrink, blur, bilinear back): a wide gaussian keeps no fine detail to lose.
 */
public class BlurEffect implements Effect<BlurEffect.Params> {

    static final double DOWNSAMPLE_FROM_SIGMA = 5.0;
    static final double QUARTER_FROM_SIGMA = 8.0;

    public record Params(
            @Param(min = 0.3, max = 50, defaultValue = 4, description = "standard deviation of the gaussian, in pixels")
            double sigma) {}

    @Override
    public String description() {
        return "gaussian blur";
    }

    @Override
    public BufferedImage apply(BufferedImage image, Params params) {
        double sigma = params.sigma();
        int w = image.getWidth();
        int h = image.getHeight();
        boolean alpha = image.getColorModel().hasAlpha();
        // The decoded pixels are read, not written (unless premultiplied, which needs its own copy); the result is
        // written straight into its image's array: one intermediate buffer, between the row and column passes.
        int[] source = PackedPixels.of(image);
        if (alpha) {
            source = PackedPixels.premultiplied(source);
        }
        BufferedImage result =
                new BufferedImage(w, h, alpha ? BufferedImage.TYPE_INT_ARGB : BufferedImage.TYPE_INT_RGB);
        int[] out = ((java.awt.image.DataBufferInt) result.getRaster().getDataBuffer()).getData();
        double variance = sigma * sigma;
        int factor = sigma >= QUARTER_FROM_SIGMA ? 4 : sigma >= DOWNSAMPLE_FROM_SIGMA ? 2 : 1;
        if (factor == 1) {
            GaussianBlur.blur(source, out, w, h, sigma, alpha);
        } else {
            // A wide gaussian keeps nothing of the finest detail, so it is done on an image 1/factor the size:
            // box-shrunk (variance (f^2 - 1) / 12), blurred, and enlarged bilinearly (about f^2 / 6), the blur's own
            // variance making up the rest. Same result within rounding, a quarter (or a sixteenth) of the work.
            int[] small = BoxShrink.both(source, w, h, factor);
            int sw = BoxShrink.length(w, factor);
            int sh = BoxShrink.length(h, factor);
            double rest = variance - (factor * factor - 1) / 12.0 - factor * factor / 6.0;
            int[] blurred = new int[small.length];
            GaussianBlur.blur(small, blurred, sw, sh, Math.sqrt(rest) / factor, alpha);
            Upsample.bilinear(blurred, sw, sh, factor, out, w, h);
        }
        if (alpha) {
            PackedPixels.unpremultiply(out);
        }
        return result;
    }
}
