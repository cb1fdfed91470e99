package dev.imageflow.thumbnail;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;

import org.springframework.stereotype.Component;

import dev.imageflow.core.effect.Effect;
import dev.imageflow.core.effect.EffectParams;
import net.coobird.thumbnailator.Thumbnails;

/**
 * Fits the image into a square box of {@code thumbnail.size} pixels, keeping its aspect ratio, as seed 001's
 * thumbnail generator did. Thumbnailator halves the image step by step before the last bilinear pass, which avoids
 * the aliasing of a single large bilinear reduction. Images that fit already are left as they are: a thumbnail is
 * never larger than its original. EXIF orientation was applied when the image was decoded.
 */
@Component
public class ThumbnailEffect implements Effect {

    @Override
    public String name() {
        return ThumbnailApplication.NAME;
    }

    @Override
    public BufferedImage apply(BufferedImage image, EffectParams params) {
        int size = (int) Math.round(params.number("size"));
        if (image.getWidth() <= size && image.getHeight() <= size) {
            return image;
        }
        try {
            return Thumbnails.of(image)
                    .size(size, size)
                    .keepAspectRatio(true)
                    .imageType(image.getType())
                    .asBufferedImage();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
