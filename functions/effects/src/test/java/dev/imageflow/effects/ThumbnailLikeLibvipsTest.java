package dev.imageflow.effects;

import static org.assertj.core.api.Assertions.assertThat;

import dev.imageflow.core.image.DecodeHint;
import dev.imageflow.core.image.HeapBudget;
import dev.imageflow.core.image.ImageCodec;
import dev.imageflow.core.image.ImageLimits;
import dev.imageflow.core.test.TestImages;
import java.awt.image.BufferedImage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.util.unit.DataSize;

/**
 * The thumbnail as a step makes it (the JPEG decoded as the effect's hint allows, then the effect) against what
 * {@code vipsthumbnail -s 256} (libvips 8.14) made of JPEGs of the same odd sizes: the sizes must be identical.
 */
class ThumbnailLikeLibvipsTest {

    private static final ThumbnailEffect.Params SIZE_256 = new ThumbnailEffect.Params(256);

    private final ThumbnailEffect thumbnail = new ThumbnailEffect();
    private final ImageCodec codec = new ImageCodec(new ImageLimits(DataSize.ofMegabytes(20), 50, 85));

    @ParameterizedTest(name = "{0} x {1} -> {2} x {3}")
    @CsvSource({
        // width, height, what vipsthumbnail -s 256 made of a JPEG that size
        "1001, 667, 256, 171",
        "667, 1001, 171, 256",
        "4099, 2053, 256, 128",
        "4100, 2053, 256, 128",
        "1025, 1023, 256, 256",
        "513, 300, 256, 150",
        "2047, 31, 256, 4",
        "300, 257, 256, 219",
        "2560, 1441, 256, 144",
        "1537, 1023, 256, 170",
    })
    void hasTheSizeVipsthumbnailGives(int width, int height, int expectedWidth, int expectedHeight) {
        byte[] jpeg = TestImages.jpeg(TestImages.photo(width, height));

        BufferedImage result = step(jpeg);

        assertThat(result.getWidth() + "x" + result.getHeight()).isEqualTo(expectedWidth + "x" + expectedHeight);
    }

    @Test
    void asksForADecodeAtLeastTwiceTheBoxOnTheLongSide() {
        DecodeHint hint = thumbnail.decodeHint(SIZE_256);

        // libvips' jpegshrink: 8 from a shrink of 16 up, 4 from 8, 2 from 4.
        assertThat(DecodeHint.dctShrink(hint, 4096, 2000)).isEqualTo(8);
        assertThat(DecodeHint.dctShrink(hint, 4095, 2000)).isEqualTo(4);
        assertThat(DecodeHint.dctShrink(hint, 2000, 4096)).isEqualTo(8);
        assertThat(DecodeHint.dctShrink(hint, 1792, 1120)).isEqualTo(2);
        assertThat(DecodeHint.dctShrink(hint, 1023, 1023)).isEqualTo(1);
        assertThat(DecodeHint.dctShrink(hint, 200, 100)).isEqualTo(1);
    }

    @Test
    void aThumbnailFromAScaledDecodeLooksLikeOneFromTheFullImage() {
        byte[] jpeg = TestImages.jpeg(TestImages.photo(2100, 1400));
        ThumbnailEffect.Params params = SIZE_256;

        BufferedImage scaled = step(jpeg);
        BufferedImage full = thumbnail.apply(codec.decode(jpeg).image(), params);

        assertThat(scaled.getWidth()).isEqualTo(full.getWidth());
        assertThat(scaled.getHeight()).isEqualTo(full.getHeight());
        double sum = 0;
        for (int y = 0; y < full.getHeight(); y++) {
            for (int x = 0; x < full.getWidth(); x++) {
                for (int shift = 0; shift < 24; shift += 8) {
                    sum += Math.abs((scaled.getRGB(x, y) >> shift & 0xFF) - (full.getRGB(x, y) >> shift & 0xFF));
                }
            }
        }
        assertThat(sum / (3.0 * full.getWidth() * full.getHeight())).isLessThan(3.0);
    }

    private BufferedImage step(byte[] jpeg) {
        BufferedImage decoded = codec.decode(jpeg, HeapBudget.UNLIMITED, thumbnail.decodeHint(SIZE_256))
                .image();
        return thumbnail.apply(decoded, SIZE_256);
    }
}
