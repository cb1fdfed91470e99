package dev.imageflow.core.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.imageflow.core.test.TestImages;
import java.awt.image.BufferedImage;
import java.util.Arrays;
import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

class ImageCodecTest {

    private final ImageCodec codec = codec(new ImageLimits(DataSize.ofMegabytes(2), 1, 85));
    private final ImageCodec roomy = codec(new ImageLimits(DataSize.ofMegabytes(10), 50, 85));

    /** ImageIO alone here; the native codec's module runs these same tests through its own. */
    ImageCodec codec(ImageLimits limits) {
        return new ImageCodec(limits, null);
    }

    /** Whether this codec decodes JPEG at DCT scales (ImageIO decodes in full). */
    boolean scalesJpeg() {
        return false;
    }

    private static DecodeHint atLeast(int width, int height) {
        return (w, h) -> new DecodeHint.Size(width, height);
    }

    @Test
    void picksTheLargestDctScaleThatKeepsTheSizeAskedFor() {
        byte[] jpeg = TestImages.jpeg(TestImages.photo(1600, 1200));

        // 1600 / 8 = 200 and 1200 / 8 = 150 exactly: 1/8. One more pixel wide and only 1/4 keeps it.
        assertThat(size(roomy.decode(jpeg, HeapBudget.UNLIMITED, atLeast(200, 150))
                        .image()))
                .isEqualTo(scalesJpeg() ? "200x150" : "1600x1200");
        assertThat(size(roomy.decode(jpeg, HeapBudget.UNLIMITED, atLeast(201, 150))
                        .image()))
                .isEqualTo(scalesJpeg() ? "400x300" : "1600x1200");
        assertThat(size(roomy.decode(jpeg, HeapBudget.UNLIMITED, atLeast(800, 601))
                        .image()))
                .isEqualTo("1600x1200");
        assertThat(size(roomy.decode(jpeg, HeapBudget.UNLIMITED, DecodeHint.FULL)
                        .image()))
                .isEqualTo("1600x1200");
        // A scaled size rounds up, as libjpeg's does.
        byte[] odd = TestImages.jpeg(TestImages.photo(1001, 667));
        assertThat(size(roomy.decode(odd, HeapBudget.UNLIMITED, atLeast(100, 80))
                        .image()))
                .isEqualTo(scalesJpeg() ? "126x84" : "1001x667");
    }

    @Test
    void theDctScaleIsChosenForTheUprightImage() {
        // Stored 1600 x 800, orientation 6: upright 800 x 1600. For at least 100 x 400 upright, 1/4 fits
        // (800 >= 4 * 100, 1600 >= 4 * 400); judged on the stored size it would be only 1/2.
        byte[] jpeg = TestImages.withExifOrientation(TestImages.jpeg(TestImages.photo(1600, 800)), 6);

        BufferedImage upright =
                roomy.decode(jpeg, HeapBudget.UNLIMITED, atLeast(100, 400)).image();

        assertThat(size(upright)).isEqualTo(scalesJpeg() ? "200x400" : "800x1600");
    }

    @Test
    void aScaledDecodeStillChecksLimitsFirstAndRefusesDamage() {
        BufferedImage big = new BufferedImage(1200, 1000, BufferedImage.TYPE_INT_RGB);
        assertThatThrownBy(() -> codec.decode(TestImages.jpeg(big), HeapBudget.UNLIMITED, atLeast(10, 10)))
                .isInstanceOfSatisfying(
                        ImageRejectedException.class,
                        e -> assertThat(e.reason()).isEqualTo(ImageRejectedException.Reason.TOO_LARGE));
        byte[] jpeg = TestImages.jpeg(TestImages.photo(800, 600));
        byte[] truncated = Arrays.copyOf(jpeg, jpeg.length / 2);
        assertThatThrownBy(() -> codec.decode(truncated, HeapBudget.UNLIMITED, atLeast(100, 75)))
                .isInstanceOfSatisfying(
                        ImageRejectedException.class,
                        e -> assertThat(e.reason()).isEqualTo(ImageRejectedException.Reason.DAMAGED))
                .hasMessageContaining("damaged");
    }

    @Test
    void dctShrinkIsExactNotRounded() {
        // 4095 / 8 = 511.9: short of 512, so 1/4 (libvips: 4095 / 256 < 16, jpegshrink 4).
        assertThat(DecodeHint.dctShrink(atLeast(512, 0), 4095, 2000)).isEqualTo(4);
        assertThat(DecodeHint.dctShrink(atLeast(512, 0), 4096, 2000)).isEqualTo(8);
        assertThat(DecodeHint.dctShrink(atLeast(512, 0), 1023, 2000)).isEqualTo(1);
        assertThat(DecodeHint.dctShrink(DecodeHint.FULL, 4096, 4096)).isEqualTo(1);
    }

    private static String size(BufferedImage image) {
        return image.getWidth() + "x" + image.getHeight();
    }

    @Test
    void probesFormatAndSizeFromTheHeader() {
        ImageInfo info = codec.probe(TestImages.png(TestImages.photo(300, 200)));

        assertThat(info).isEqualTo(new ImageInfo(ImageFormat.PNG, 300, 200));
    }

    @Test
    void recognisesFormatsByContentNotByName() {
        byte[] jpeg = TestImages.jpeg(TestImages.photo(10, 10));

        assertThat(ImageFormat.sniff(jpeg)).contains(ImageFormat.JPEG);
        assertThat(ImageFormat.sniff("GIF89a...".getBytes())).contains(ImageFormat.GIF);
        assertThat(ImageFormat.sniff("<html>".getBytes())).isEmpty();
    }

    @Test
    void refusesMorePixelsThanTheLimitFromTheHeaderBeforeDecoding() {
        // 1 MP limit; 1200 x 1000 is 1.2 MP.
        BufferedImage big = new BufferedImage(1200, 1000, BufferedImage.TYPE_INT_RGB);
        for (byte[] file : List.of(TestImages.png(big), TestImages.jpeg(big))) {
            assertThatThrownBy(() -> codec.decode(file))
                    .isInstanceOfSatisfying(
                            ImageRejectedException.class,
                            e -> assertThat(e.reason()).isEqualTo(ImageRejectedException.Reason.TOO_LARGE))
                    .hasMessage("the image is 1200 x 1000 (1.2 MP); the limit is 1.0 MP");
        }
    }

    @Test
    void refusesATruncatedJpegRatherThanPadItWithGreyAsImageIoWould() {
        byte[] jpeg = TestImages.jpeg(TestImages.photo(400, 300));
        byte[] truncated = Arrays.copyOf(jpeg, jpeg.length / 2);

        for (ThrowingCallable use :
                List.<ThrowingCallable>of(() -> codec.verify(truncated), () -> codec.decode(truncated))) {
            assertThatThrownBy(use)
                    .isInstanceOfSatisfying(
                            ImageRejectedException.class,
                            e -> assertThat(e.reason()).isEqualTo(ImageRejectedException.Reason.DAMAGED))
                    .hasMessageContaining("damaged");
        }
    }

    @Test
    void decodesGreyImagesWithoutDarkeningThem() {
        BufferedImage grey = new BufferedImage(2, 1, BufferedImage.TYPE_BYTE_GRAY);
        grey.getRaster().setSample(0, 0, 0, 128);
        grey.getRaster().setSample(1, 0, 0, 200);

        BufferedImage decoded = codec.decode(TestImages.png(grey)).image();

        assertThat(decoded.getRGB(0, 0) & 0xFFFFFF).isEqualTo(0x808080);
        assertThat(decoded.getRGB(1, 0) & 0xFFFFFF).isEqualTo(0xC8C8C8);
    }

    @Test
    void readsExifOrientationWhateverTheSegmentOrder() {
        byte[] jpeg = TestImages.withExifOrientation(TestImages.jpeg(TestImages.marker(40, 20)), 6);

        BufferedImage upright = codec.decode(jpeg).image();

        assertThat(upright.getWidth()).isEqualTo(20);
        assertThat(upright.getHeight()).isEqualTo(40);
    }

    @Test
    void writesJpegAtTheConfiguredQualityAndPngLosslessly() {
        BufferedImage photo = TestImages.photo(64, 64);

        byte[] png = codec.encode(photo, ImageFormat.PNG);
        byte[] low = codec(new ImageLimits(DataSize.ofMegabytes(2), 1, 30)).encode(photo, ImageFormat.JPEG);
        byte[] high = codec.encode(photo, ImageFormat.JPEG);

        assertThat(TestImages.read(png).getRGB(10, 10)).isEqualTo(photo.getRGB(10, 10));
        assertThat(low.length).isLessThan(high.length);
    }
}
