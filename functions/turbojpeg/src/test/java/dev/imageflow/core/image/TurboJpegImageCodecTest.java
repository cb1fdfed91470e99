package dev.imageflow.core.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.api.Assertions.withinPercentage;

import dev.imageflow.core.test.TestImages;
import dev.imageflow.turbojpeg.TurboJpegCodec;
import java.awt.image.BufferedImage;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

/**
 * Every behaviour ImageCodec promises (limits before decoding, damaged files refused, EXIF orientation, grey kept
 * grey, quality) holds with libjpeg-turbo doing the JPEG work; and its pixels are ImageIO's, give or take rounding.
 */
class TurboJpegImageCodecTest extends ImageCodecTest {

    @Override
    ImageCodec codec(ImageLimits limits) {
        return new ImageCodec(limits, new TurboJpegCodec());
    }

    @Override
    boolean scalesJpeg() {
        return true;
    }

    @Test
    void aDctScaledDecodeLooksLikeAFullDecodeShrunk() {
        ImageLimits limits = new ImageLimits(DataSize.ofMegabytes(5), 50, 85);
        // Smooth content: the DCT's own reduction keeps the lowest frequencies of each block, which is a box mean
        // only where there is no fine detail.
        BufferedImage smooth = new BufferedImage(640, 480, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 480; y++) {
            for (int x = 0; x < 640; x++) {
                smooth.setRGB(x, y, (x * 255 / 639) << 16 | (y * 255 / 479) << 8 | (x + y) * 255 / 1118);
            }
        }
        byte[] jpeg = codec(limits).encode(smooth, ImageFormat.JPEG);
        BufferedImage full = codec(limits).decode(jpeg).image();
        BufferedImage quarter = codec(limits)
                .decode(jpeg, HeapBudget.UNLIMITED, (w, h) -> new DecodeHint.Size(160, 120))
                .image();

        assertThat(quarter.getWidth()).isEqualTo(160);
        // Each pixel of the 1/4 decode is about the mean of its 4 x 4 block at full size.
        double sum = 0;
        for (int y = 0; y < 120; y++) {
            for (int x = 0; x < 160; x++) {
                int r = 0;
                for (int j = 0; j < 4; j++) {
                    for (int i = 0; i < 4; i++) {
                        r += full.getRGB(4 * x + i, 4 * y + j) >> 16 & 0xFF;
                    }
                }
                sum += Math.abs((quarter.getRGB(x, y) >> 16 & 0xFF) - r / 16.0);
            }
        }
        assertThat(sum / (160 * 120)).isLessThan(1.5);
    }

    @Test
    void isTheCodecFoundAtRunTime() {
        assertThat(JpegCodec.findNative()).isInstanceOf(TurboJpegCodec.class);
        assertThat(new ImageCodec(new ImageLimits(DataSize.ofMegabytes(2), 1, 85)).jpegCodec())
                .startsWith("libjpeg-turbo");
    }

    @Test
    void decodesAndEncodesAsImageIoDoesWithinRounding() {
        ImageLimits limits = new ImageLimits(DataSize.ofMegabytes(5), 50, 85);
        ImageCodec turbo = codec(limits);
        ImageCodec imageIo = new ImageCodec(limits, null);
        byte[] jpeg = imageIo.encode(TestImages.photo(640, 480), ImageFormat.JPEG);

        BufferedImage pixels = imageIo.decode(jpeg).image();
        assertThat(meanAbsoluteDifference(turbo.decode(jpeg).image(), pixels)).isLessThan(1.0);

        // Same quality and subsampling: the same loss and about the same size as ImageIO's encoder.
        byte[] byTurbo = turbo.encode(pixels, ImageFormat.JPEG);
        byte[] byImageIo = imageIo.encode(pixels, ImageFormat.JPEG);
        assertThat(meanAbsoluteDifference(imageIo.decode(byTurbo).image(), pixels))
                .isCloseTo(meanAbsoluteDifference(imageIo.decode(byImageIo).image(), pixels), within(0.5));
        assertThat((double) byTurbo.length).isCloseTo(byImageIo.length, withinPercentage(10));
    }

    @Test
    void encodesGreyAsOneChannel() {
        BufferedImage grey = new BufferedImage(64, 48, BufferedImage.TYPE_BYTE_GRAY);
        grey.getRaster().setSample(10, 10, 0, 200);
        byte[] jpeg = codec(new ImageLimits(DataSize.ofMegabytes(2), 1, 85)).encode(grey, ImageFormat.JPEG);

        // SOF0's component count: 1 for grey, 3 for colour.
        int sof = indexOfMarker(jpeg, 0xC0);
        assertThat(jpeg[sof + 9]).isEqualTo((byte) 1);
    }

    private static int indexOfMarker(byte[] jpeg, int marker) {
        for (int i = 0; i + 1 < jpeg.length; i++) {
            if ((jpeg[i] & 0xFF) == 0xFF && (jpeg[i + 1] & 0xFF) == marker) {
                return i;
            }
        }
        throw new AssertionError("no marker " + Integer.toHexString(marker));
    }

    private static double meanAbsoluteDifference(BufferedImage a, BufferedImage b) {
        assertThat(a.getWidth()).isEqualTo(b.getWidth());
        assertThat(a.getHeight()).isEqualTo(b.getHeight());
        long sum = 0;
        for (int y = 0; y < a.getHeight(); y++) {
            for (int x = 0; x < a.getWidth(); x++) {
                int p = a.getRGB(x, y);
                int q = b.getRGB(x, y);
                for (int shift = 0; shift < 24; shift += 8) {
                    sum += Math.abs((p >> shift & 0xFF) - (q >> shift & 0xFF));
                }
            }
        }
        return sum / (3.0 * a.getWidth() * a.getHeight());
    }
}
