package dev.imageflow.effects;

import dev.imageflow.core.effect.Effect;
import dev.imageflow.core.effect.Param;
import dev.imageflow.core.image.DecodeHint;
import dev.imageflow.core.image.Lanczos3;
import dev.imageflow.core.image.PackedPixels;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;

/**
 * Fits the image into a square box of {@code size} pixels, keeping its aspect ratio, as seed 001's thumbnail
 * generator did, and the way libvips' {@code vipsthumbnail} does it so nothing aliases: a JPEG is decoded at the
 * largest DCT scale that keeps twice the box (shrink-on-load, {@link #decodeHint}), then box-shrunk and reduced by
 * Lanczos3. Images that fit already are left as they are: a thumbnail is never larger than its original. EXIF
 * orientation was applied when the image was decoded.
 */
public class ThumbnailEffect implements Effect<ThumbnailEffect.Params>, DecodeHint.Source<ThumbnailEffect.Params> {

    public record Params(
            @Param(min = 16, max = 2048, defaultValue = 256, description = "the box's side, in pixels")
            int size) {}

    /**
     * libvips' shrink-on-load: a JPEG may decode at 1/k (k = 2, 4, 8) while the fitting still shrinks it by 2k or
     * more, that is while its long side stays at least twice the box.
     */
    @Override
    public DecodeHint decodeHint(Params params) {
        int size = params.size();
        return (width, height) -> width <= size && height <= size
                ? new DecodeHint.Size(width, height)
                : width >= height ? new DecodeHint.Size(2 * size, 0) : new DecodeHint.Size(0, 2 * size);
    }

    @Override
    public String description() {
        return "fit into a square box, keeping aspect";
    }

    /**
     * As {@code vipsthumbnail -s size} (libvips 8.14) for images larger than the box: one shrink factor for both
     * axes, {@code max(width, height) / size}, computed on the image as decoded (after any DCT scaling, as libvips
     * does); each axis {@code round(n / shrink)}; heights then widths reduced by {@link Lanczos3}, which box-shrinks
     * first while a gap of 2 remains. Images that fit already are returned as they are.
     */
    @Override
    public BufferedImage apply(BufferedImage image, Params params) {
        int size = params.size();
        int w = image.getWidth();
        int h = image.getHeight();
        if (w <= size && h <= size) {
            return image;
        }
        double shrink = Math.max((double) w / size, (double) h / size);
        double hshrink = Math.min(shrink, w);
        double vshrink = Math.min(shrink, h);
        boolean alpha = image.getColorModel().hasAlpha();
        int[] pixels = PackedPixels.of(image);
        if (alpha) {
            pixels = PackedPixels.premultiplied(pixels);
        }
        Lanczos3.Pixels columns = Lanczos3.vertical(pixels, w, h, vshrink);
        BufferedImage out = new BufferedImage(
                Lanczos3.length(w, hshrink),
                columns.height(),
                alpha ? BufferedImage.TYPE_INT_ARGB : BufferedImage.TYPE_INT_RGB);
        int[] target = ((DataBufferInt) out.getRaster().getDataBuffer()).getData();
        Lanczos3.Pixels rows = Lanczos3.horizontal(columns.data(), columns.width(), columns.height(), hshrink, target);
        if (rows.data() != target) {
            System.arraycopy(rows.data(), 0, target, 0, target.length);
        }
        if (alpha) {
            PackedPixels.unpremultiply(target);
        } else {
            for (int i = 0; i < target.length; i++) {
                target[i] |= 0xFF000000;
            }
        }
        return out;
    }
}
