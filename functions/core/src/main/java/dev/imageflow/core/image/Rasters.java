package dev.imageflow.core.image;

import java.awt.Graphics2D;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import net.coobird.thumbnailator.util.exif.ExifFilterUtils;
import net.coobird.thumbnailator.util.exif.Orientation;

/** The conversions between what decoders give and what effects and encoders take, each done once. */
final class Rasters {

    private Rasters() {}

    /** Orientations 5 to 8 turn the image a quarter: its upright width is the stored height. */
    static boolean transposes(Orientation orientation) {
        return orientation == Orientation.LEFT_TOP
                || orientation == Orientation.RIGHT_TOP
                || orientation == Orientation.RIGHT_BOTTOM
                || orientation == Orientation.LEFT_BOTTOM;
    }

    static BufferedImage upright(BufferedImage image, Orientation orientation) {
        if (orientation == null || orientation == Orientation.TOP_LEFT) {
            return image;
        }
        return ExifFilterUtils.getFilterForOrientation(orientation).apply(image);
    }

    /**
     * Effects work on packed ints; everything else is converted once here. Grey rasters are widened by hand because
     * Java2D treats {@code CS_GRAY} as linear light and would brighten them on the way to sRGB.
     */
    static BufferedImage toPackedInt(BufferedImage image) {
        int type = image.getType();
        if (type == BufferedImage.TYPE_INT_RGB || type == BufferedImage.TYPE_INT_ARGB) {
            return image;
        }
        int w = image.getWidth();
        int h = image.getHeight();
        boolean alpha = image.getColorModel().hasAlpha();
        BufferedImage out = new BufferedImage(w, h, alpha ? BufferedImage.TYPE_INT_ARGB : BufferedImage.TYPE_INT_RGB);
        if (image.getColorModel().getColorSpace().getType() == ColorSpace.TYPE_GRAY) {
            widenGrey(image.getRaster(), image.getColorModel().getComponentSize(0), alpha, out);
            return out;
        }
        Graphics2D g = out.createGraphics();
        try {
            g.drawImage(image, 0, 0, null);
        } finally {
            g.dispose();
        }
        return out;
    }

    private static void widenGrey(Raster raster, int bits, boolean alpha, BufferedImage out) {
        int w = raster.getWidth();
        int shift = Math.max(0, bits - 8);
        int[] grey = new int[w];
        int[] a = new int[w];
        int[] row = new int[w];
        for (int y = 0; y < raster.getHeight(); y++) {
            raster.getSamples(0, y, w, 1, 0, grey);
            if (alpha) {
                raster.getSamples(0, y, w, 1, 1, a);
            }
            for (int x = 0; x < w; x++) {
                int v = grey[x] >>> shift;
                int av = alpha ? a[x] >>> shift : 0xFF;
                row[x] = av << 24 | v << 16 | v << 8 | v;
            }
            out.setRGB(0, y, w, 1, row, 0, w);
        }
    }

    /** Flattened onto white, for formats without alpha (JPEG). */
    static BufferedImage withoutAlpha(BufferedImage image) {
        if (!image.getColorModel().hasAlpha()) {
            return image;
        }
        BufferedImage rgb = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = rgb.createGraphics();
        try {
            g.setColor(java.awt.Color.WHITE);
            g.fillRect(0, 0, image.getWidth(), image.getHeight());
            g.drawImage(image, 0, 0, null);
        } finally {
            g.dispose();
        }
        return rgb;
    }
}
