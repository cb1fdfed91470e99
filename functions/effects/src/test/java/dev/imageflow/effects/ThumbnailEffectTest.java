package dev.imageflow.effects;

import static org.assertj.core.api.Assertions.assertThat;

import dev.imageflow.core.effect.EffectSpec;
import dev.imageflow.core.image.ImageCodec;
import dev.imageflow.core.image.ImageLimits;
import dev.imageflow.core.test.TestImages;
import java.awt.image.BufferedImage;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

class ThumbnailEffectTest {

    private final ThumbnailEffect thumbnail = new ThumbnailEffect();
    private final ImageCodec codec = new ImageCodec(new ImageLimits(DataSize.ofMegabytes(10), 50, 85));

    private static ThumbnailEffect.Params size(int size) {
        return new ThumbnailEffect.Params(size);
    }

    @Test
    void fitsTheDefaultBoxOf256AndKeepsAspect() {
        BufferedImage result = thumbnail.apply(
                TestImages.photo(1200, 800), EffectSpec.of(thumbnail).parameters(0, Map.of()));

        assertThat(result.getWidth()).isEqualTo(256);
        assertThat(result.getHeight()).isEqualTo(171);
    }

    @Test
    void fitsAPortraitImageByItsHeight() {
        BufferedImage result = thumbnail.apply(TestImages.photo(300, 900), size(100));

        assertThat(result.getHeight()).isEqualTo(100);
        assertThat(result.getWidth()).isEqualTo(33);
    }

    @Test
    void neverEnlargesAnImageThatFitsAlready() {
        BufferedImage small = TestImages.photo(80, 60);

        BufferedImage result = thumbnail.apply(small, size(256));

        assertThat(result.getWidth()).isEqualTo(80);
        assertThat(result.getHeight()).isEqualTo(60);
    }

    @Test
    void turnsAnExifOrientation6JpegUpright() {
        // Stored landscape with the marker top-left; orientation 6 says "rotate 90 degrees clockwise to view".
        byte[] jpeg = TestImages.withExifOrientation(TestImages.jpeg(TestImages.marker(400, 200)), 6);

        BufferedImage result = thumbnail.apply(codec.decode(jpeg).image(), size(100));

        // Upright it is portrait, and the marker moved to the top-right corner.
        assertThat(result.getWidth()).isEqualTo(50);
        assertThat(result.getHeight()).isEqualTo(100);
        int topRight = result.getRGB(result.getWidth() - 3, 3);
        int topLeft = result.getRGB(2, 3);
        assertThat(topRight >> 16 & 0xFF).isGreaterThan(200);
        assertThat(topRight >> 8 & 0xFF).isLessThan(80);
        assertThat(topLeft & 0xFFFFFF).isGreaterThan(0xE0E0E0);
    }
}
