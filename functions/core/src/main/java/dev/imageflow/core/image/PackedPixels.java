package dev.imageflow.core.image;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.awt.image.SinglePixelPackedSampleModel;

/**
 * Direct access to the packed-int pixels effects work on, without the per-pixel colour-model calls of
 * {@link BufferedImage#getRGB}.
 */
public final class PackedPixels {

    private PackedPixels() {}

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
        BufferedImage image =
                new BufferedImage(width, height, alpha ? BufferedImage.TYPE_INT_ARGB : BufferedImage.TYPE_INT_RGB);
        int[] target = ((DataBufferInt) image.getRaster().getDataBuffer()).getData();
        System.arraycopy(pixels, 0, target, 0, pixels.length);
        return image;
    }

    /**
     * A premultiplied copy of ARGB pixels (colour scaled by alpha), so that resampling and blurring do not let
     * transparent pixels tint their neighbours with their hidden colour (libvips does the same).
     */
    public static int[] premultiplied(int[] pixels) {
        int[] out = new int[pixels.length];
        for (int i = 0; i < pixels.length; i++) {
            int p = pixels[i];
            int a = p >>> 24;
            out[i] = a == 0xFF
                    ? p
                    : a << 24
                            | ((p >>> 16 & 0xFF) * a + 127) / 255 << 16
                            | ((p >>> 8 & 0xFF) * a + 127) / 255 << 8
                            | ((p & 0xFF) * a + 127) / 255;
        }
        return out;
    }

    /** Back from {@link #premultiplied}, in place; fully transparent pixels become 0. */
    public static void unpremultiply(int[] pixels) {
        for (int i = 0; i < pixels.length; i++) {
            int p = pixels[i];
            int a = p >>> 24;
            if (a == 0) {
                pixels[i] = 0;
            } else if (a != 0xFF) {
                int r = Math.min(255, ((p >>> 16 & 0xFF) * 255 + a / 2) / a);
                int g = Math.min(255, ((p >>> 8 & 0xFF) * 255 + a / 2) / a);
                int b = Math.min(255, ((p & 0xFF) * 255 + a / 2) / a);
                pixels[i] = a << 24 | r << 16 | g << 8 | b;
            }
        }
    }
}
