package dev.imageflow.effects;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.stream.IntStream;

import dev.imageflow.core.effect.Effect;
import dev.imageflow.core.effect.Param;
import dev.imageflow.core.image.PackedPixels;
import net.coobird.thumbnailator.Thumbnails;

/**
 * Fits the image into a square box of {@code size} pixels, keeping its aspect ratio, as seed 001's
 * thumbnail generator did. Large reductions are done in steps so that nothing aliases: the image is first halved
 * by exact 2 x 2 averaging (a box filter, cheap on packed pixels) while it stays at least twice the box, then
 * Thumbnailator makes the last, smaller reduction with its progressive bilinear scaling. Images that fit already
 * are left as they are: a thumbnail is never larger than its original. EXIF orientation was applied when the
 * image was decoded.
 */
public class ThumbnailEffect implements Effect<ThumbnailEffect.Params> {

    public record Params(@Param(min = 16, max = 2048, defaultValue = 256, description = "the box's side, in pixels") int size) {
    }

    @Override
    public String name() {
        return "thumbnail";
    }

    @Override
    public String description() {
        return "fit into a square box, keeping aspect";
    }

    @Override
    public Class<Params> parameters() {
        return Params.class;
    }

    @Override
    public BufferedImage apply(BufferedImage image, Params params) {
        int size = params.size();
        if (image.getWidth() <= size && image.getHeight() <= size) {
            return image;
        }
        BufferedImage source = image;
        while (Math.max(source.getWidth(), source.getHeight()) / 2 >= 2 * size) {
            source = halve(source);
        }
        try {
            return Thumbnails.of(source)
                    .size(size, size)
                    .keepAspectRatio(true)
                    .imageType(image.getColorModel().hasAlpha() ? BufferedImage.TYPE_INT_ARGB : BufferedImage.TYPE_INT_RGB)
                    .asBufferedImage();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Half the width and height, each pixel the mean of a 2 x 2 block (weighted by alpha where there is one). */
    static BufferedImage halve(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        int hw = w / 2;
        int hh = h / 2;
        boolean alpha = image.getColorModel().hasAlpha();
        int[] in = PackedPixels.of(image);
        int[] out = new int[hw * hh];
        IntStream.range(0, hh).parallel().forEach(y -> {
            int top = 2 * y * w;
            int bottom = top + w;
            for (int x = 0; x < hw; x++) {
                int p00 = in[top + 2 * x];
                int p01 = in[top + 2 * x + 1];
                int p10 = in[bottom + 2 * x];
                int p11 = in[bottom + 2 * x + 1];
                out[y * hw + x] = alpha ? meanWeighted(p00, p01, p10, p11) : mean(p00, p01, p10, p11);
            }
        });
        return PackedPixels.image(out, hw, hh, alpha);
    }

    private static int mean(int a, int b, int c, int d) {
        int r = ((a >>> 16 & 0xFF) + (b >>> 16 & 0xFF) + (c >>> 16 & 0xFF) + (d >>> 16 & 0xFF) + 2) >> 2;
        int g = ((a >>> 8 & 0xFF) + (b >>> 8 & 0xFF) + (c >>> 8 & 0xFF) + (d >>> 8 & 0xFF) + 2) >> 2;
        int bl = ((a & 0xFF) + (b & 0xFF) + (c & 0xFF) + (d & 0xFF) + 2) >> 2;
        return 0xFF000000 | r << 16 | g << 8 | bl;
    }

    /** Colours weighted by their alpha, so that transparent pixels do not tint their neighbours. */
    private static int meanWeighted(int... pixels) {
        int alphaSum = 0;
        int r = 0;
        int g = 0;
        int b = 0;
        for (int p : pixels) {
            int a = p >>> 24;
            alphaSum += a;
            r += (p >>> 16 & 0xFF) * a;
            g += (p >>> 8 & 0xFF) * a;
            b += (p & 0xFF) * a;
        }
        if (alphaSum == 0) {
            return 0;
        }
        int half = alphaSum / 2;
        return (alphaSum + 2) / 4 << 24 | (r + half) / alphaSum << 16 | (g + half) / alphaSum << 8 | (b + half) / alphaSum;
    }
}
