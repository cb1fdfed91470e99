package dev.imageflow.core.image;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.awt.image.SinglePixelPackedSampleModel;

/**
 * Direct access to the packed-int pixels effects work on, without the per-pixel colour-model calls of
 * {@link BufferedImage#getRGB}.
 */
public final class PackedPixels {

    private PackedPixels() {
    }

    /**
     * The image's pixels as {@code 0xAARRGGBB} (alpha 0xFF for RGB images), row by row: the image's own array when
     * it is a compact {@code TYPE_INT_RGB}/{@code TYPE_INT_ARGB}, otherwise a copy.
     */
    public static int[] of(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        if ((image.getType() == BufferedImage.TYPE_INT_RGB || image.getType() == BufferedImage.TYPE_INT_ARGB)
                && image.getRaster().getSampleModel() instanceof SinglePixelPackedSampleModel model
                && model.getScanlineStride() == w
                && image.getRaster().getSampleModelTranslateX() == 0
                && image.getRaster().getSampleModelTranslateY() == 0
                && image.getRaster().getDataBuffer().getOffset() == 0) {
            int[] data = ((DataBufferInt) image.getRaster().getDataBuffer()).getData();
            if (data.length == w * h) {
                return data;
            }
        }
        return image.getRGB(0, 0, w, h, null, 0, w);
    }

    /** Wraps {@code 0xAARRGGBB} pixels as an image without copying them. */
    public static BufferedImage image(int[] pixels, int width, int height, boolean alpha) {
        BufferedImage image = new BufferedImage(width, height,
                alpha ? BufferedImage.TYPE_INT_ARGB : BufferedImage.TYPE_INT_RGB);
        int[] target = ((DataBufferInt) image.getRaster().getDataBuffer()).getData();
        System.arraycopy(pixels, 0, target, 0, pixels.length);
        return image;
    }
}
