package dev.imageflow.core.test;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Random;
import javax.imageio.ImageIO;

/** Images made by the tests themselves, so nothing is downloaded and every property checked is known. */
public final class TestImages {

    private TestImages() {}

    /** Colourful and full of detail: coloured gradients under a fine checkerboard plus noise. */
    public static BufferedImage photo(int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Random random = new Random(42);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int r = 255 * x / Math.max(1, width - 1);
                int g = 255 * y / Math.max(1, height - 1);
                int b = ((x / 4 + y / 4) % 2 == 0) ? 220 : 30;
                int noise = random.nextInt(31) - 15;
                image.setRGB(x, y, new Color(clamp(r + noise), clamp(g - noise), clamp(b + noise)).getRGB());
            }
        }
        return image;
    }

    /**
     * Smooth colour gradients and nothing else: every pixel still has to be decoded, but the JPEG is small (a 50 MP
     * one is a few MB), so the largest image the limits allow stays under the upload size limit.
     */
    public static BufferedImage gradient(int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        int[] row = new int[width];
        for (int y = 0; y < height; y++) {
            int g = 255 * y / Math.max(1, height - 1);
            for (int x = 0; x < width; x++) {
                int r = 255 * x / Math.max(1, width - 1);
                row[x] = r << 16 | g << 8 | (r + g) / 2;
            }
            image.getRaster().setDataElements(0, y, width, 1, row);
        }
        return image;
    }

    /** A picture whose upright orientation is visible: a red block in the top-left corner of a white field. */
    public static BufferedImage marker(int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
        g.setColor(Color.RED);
        g.fillRect(0, 0, width / 4, height / 4);
        g.dispose();
        return image;
    }

    public static byte[] jpeg(BufferedImage image) {
        return encode(image, "jpeg");
    }

    public static byte[] png(BufferedImage image) {
        return encode(image, "png");
    }

    public static BufferedImage read(byte[] bytes) {
        try {
            BufferedImage image = ImageIO.read(new ByteArrayInputStream(bytes));
            if (image == null) {
                throw new IllegalArgumentException("not an image");
            }
            return image;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A JPEG with an EXIF APP1 segment carrying {@code orientation}, inserted right after SOI, as cameras write it.
     */
    public static byte[] withExifOrientation(byte[] jpeg, int orientation) {
        byte[] tiff = {
            'M',
            'M',
            0,
            42,
            0,
            0,
            0,
            8, // big-endian TIFF header, first IFD at offset 8
            0,
            1, // one entry
            0x01,
            0x12,
            0,
            3,
            0,
            0,
            0,
            1,
            0,
            (byte) orientation,
            0,
            0, // Orientation, SHORT, count 1, value
            0,
            0,
            0,
            0 // no next IFD
        };
        byte[] exifHeader = {'E', 'x', 'i', 'f', 0, 0};
        int length = 2 + exifHeader.length + tiff.length;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(jpeg, 0, 2);
        out.write(0xFF);
        out.write(0xE1);
        out.write(length >> 8);
        out.write(length & 0xFF);
        out.writeBytes(exifHeader);
        out.writeBytes(tiff);
        out.write(jpeg, 2, jpeg.length - 2);
        return out.toByteArray();
    }

    /** Mean absolute difference between horizontally neighbouring pixels: high for sharp detail, low once blurred. */
    public static double highFrequencyEnergy(BufferedImage image) {
        long sum = 0;
        long count = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 1; x < image.getWidth(); x++) {
                int a = image.getRGB(x - 1, y);
                int b = image.getRGB(x, y);
                for (int shift = 0; shift <= 16; shift += 8) {
                    sum += Math.abs((a >> shift & 0xFF) - (b >> shift & 0xFF));
                }
                count += 3;
            }
        }
        return (double) sum / count;
    }

    /** The largest difference between the colour channels of any pixel: 0 for a grey image. */
    public static int maxChroma(BufferedImage image) {
        int max = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                int p = image.getRGB(x, y);
                int r = p >> 16 & 0xFF;
                int g = p >> 8 & 0xFF;
                int b = p & 0xFF;
                max = Math.max(max, Math.max(Math.abs(r - g), Math.max(Math.abs(g - b), Math.abs(r - b))));
            }
        }
        return max;
    }

    private static byte[] encode(BufferedImage image, String format) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(image, format, out)) {
                throw new IllegalStateException("no writer for " + format);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static int clamp(int v) {
        return Math.max(0, Math.min(255, v));
    }
}
