package dev.imageflow.core.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.util.Arrays;
import java.util.List;

import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;
import org.springframework.util.unit.DataSize;

import dev.imageflow.core.test.TestImages;

class ImageCodecTest {

    private final ImageCodec codec = codec(new ImageLimits(DataSize.ofMegabytes(2), 1, 85));

    /** ImageIO alone here; the native codec's module runs these same tests through its own. */
    ImageCodec codec(ImageLimits limits) {
        return new ImageCodec(limits, null);
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
                    .isInstanceOfSatisfying(ImageRejectedException.class,
                            e -> assertThat(e.status()).isEqualTo(HttpStatus.PAYLOAD_TOO_LARGE))
                    .hasMessage("the image is 1200 x 1000 (1.2 MP); the limit is 1.0 MP");
        }
    }

    @Test
    void refusesATruncatedJpegRatherThanPadItWithGreyAsImageIoWould() {
        byte[] jpeg = TestImages.jpeg(TestImages.photo(400, 300));
        byte[] truncated = Arrays.copyOf(jpeg, jpeg.length / 2);

        for (ThrowingCallable use : List.<ThrowingCallable>of(() -> codec.verify(truncated), () -> codec.decode(truncated))) {
            assertThatThrownBy(use)
                    .isInstanceOfSatisfying(ImageRejectedException.class,
                            e -> assertThat(e.status()).isEqualTo(HttpStatus.UNPROCESSABLE_ENTITY))
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
