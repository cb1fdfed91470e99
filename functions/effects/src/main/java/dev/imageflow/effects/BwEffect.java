package dev.imageflow.effects;

import dev.imageflow.core.effect.Effect;
import dev.imageflow.core.effect.NoParameters;
import dev.imageflow.core.image.PackedPixels;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;

/**
 * Black and white as libvips' {@code colourspace b-w} makes it: the luminance Y (Rec. 709 weights) computed in
 * linear light, then encoded back to sRGB. Weighting the gamma-encoded values directly is a little off for saturated
 * colours, and a linear grey without the re-encoding ({@code ColorConvertOp} to {@code CS_GRAY}) is far too dark.
 */
public class BwEffect implements Effect<NoParameters> {

    private static final int LINEAR_STEPS = 4096;

    /** sRGB 8-bit → linear light, scaled to 0..LINEAR_STEPS-1 and pre-multiplied by each channel's weight. */
    private final int[] red = new int[256];

    private final int[] green = new int[256];
    private final int[] blue = new int[256];
    /** linear light 0..LINEAR_STEPS-1 → sRGB 8-bit. */
    private final byte[] encode = new byte[LINEAR_STEPS];

    public BwEffect() {
        for (int v = 0; v < 256; v++) {
            double linear = toLinear(v / 255.0) * (LINEAR_STEPS - 1);
            // Weights in 1/1024ths; they sum to 1024, so white stays white.
            red[v] = (int) Math.round(linear * 218);
            green[v] = (int) Math.round(linear * 732);
            blue[v] = (int) Math.round(linear * 74);
        }
        for (int i = 0; i < LINEAR_STEPS; i++) {
            encode[i] = (byte) Math.round(toSrgb(i / (double) (LINEAR_STEPS - 1)) * 255);
        }
    }

    @Override
    public String description() {
        return "black and white (sRGB luma)";
    }

    @Override
    public BufferedImage apply(BufferedImage image, NoParameters params) {
        int w = image.getWidth();
        int h = image.getHeight();
        int[] pixels = PackedPixels.of(image);
        boolean alpha = image.getColorModel().hasAlpha();
        if (alpha) {
            // Transparency is kept, so the result stays ARGB with equal channels.
            int[] out = new int[pixels.length];
            for (int i = 0; i < pixels.length; i++) {
                int g = luma(pixels[i]) & 0xFF;
                out[i] = pixels[i] & 0xFF000000 | g << 16 | g << 8 | g;
            }
            return PackedPixels.image(out, w, h, true);
        }
        // One channel: the encoder then writes a grey JPEG or PNG, a third of the data.
        BufferedImage grey = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
        byte[] out = ((DataBufferByte) grey.getRaster().getDataBuffer()).getData();
        for (int i = 0; i < pixels.length; i++) {
            out[i] = luma(pixels[i]);
        }
        return grey;
    }

    private byte luma(int argb) {
        int y = red[argb >>> 16 & 0xFF] + green[argb >>> 8 & 0xFF] + blue[argb & 0xFF];
        return encode[(y + 512) >> 10];
    }

    private static double toLinear(double c) {
        return c <= 0.04045 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
    }

    private static double toSrgb(double l) {
        return l <= 0.0031308 ? l * 12.92 : 1.055 * Math.pow(l, 1 / 2.4) - 0.055;
    }
}
