package dev.imageflow.effects;

import static org.assertj.core.api.Assertions.assertThat;

import dev.imageflow.core.effect.NoParameters;
import dev.imageflow.core.image.ImageCodec;
import dev.imageflow.core.image.ImageFormat;
import dev.imageflow.core.image.ImageLimits;
import dev.imageflow.core.test.TestImages;
import java.awt.image.BufferedImage;
import org.junit.jupiter.api.Test;

class BwEffectTest {

    private final BwEffect bw = new BwEffect();
    private final NoParameters none = new NoParameters();

    @Test
    void leavesNoColourAndKeepsTheSize() {
        BufferedImage result = bw.apply(TestImages.photo(120, 80), none);

        assertThat(result.getWidth()).isEqualTo(120);
        assertThat(result.getHeight()).isEqualTo(80);
        assertThat(TestImages.maxChroma(result)).isZero();
    }

    @Test
    void greyIsSrgbEncodedLuminanceNotLinearLight() {
        BufferedImage image = new BufferedImage(4, 1, BufferedImage.TYPE_INT_RGB);
        image.setRGB(0, 0, 0xFFFFFF);
        image.setRGB(1, 0, 0x808080);
        image.setRGB(2, 0, 0xFF0000);
        image.setRGB(3, 0, 0x00FF00);

        BufferedImage result = bw.apply(image, none);

        assertThat(result.getRaster().getSample(0, 0, 0)).isEqualTo(255);
        // A mid grey stays mid grey; linear-light grey (ColorConvertOp to CS_GRAY) would give about 55.
        assertThat(result.getRaster().getSample(1, 0, 0)).isBetween(127, 129);
        // Pure red and green as libvips' b-w gives them: sRGB of 0.2126 and 0.7152 luminance.
        assertThat(result.getRaster().getSample(2, 0, 0)).isBetween(126, 128);
        assertThat(result.getRaster().getSample(3, 0, 0)).isBetween(219, 221);
    }

    @Test
    void encodesAsAOneChannelImage() {
        ImageCodec codec =
                new ImageCodec(new ImageLimits(org.springframework.util.unit.DataSize.ofMegabytes(5), 50, 85));

        byte[] jpeg = codec.encode(bw.apply(TestImages.photo(64, 64), none), ImageFormat.JPEG);

        assertThat(TestImages.read(jpeg).getColorModel().getNumComponents()).isEqualTo(1);
    }

    @Test
    void keepsTransparency() {
        BufferedImage image = new BufferedImage(2, 1, BufferedImage.TYPE_INT_ARGB);
        image.setRGB(0, 0, 0x80FF0000);
        image.setRGB(1, 0, 0x00000000);

        BufferedImage result = bw.apply(image, none);

        assertThat(result.getRGB(0, 0) >>> 24).isEqualTo(0x80);
        assertThat(result.getRGB(1, 0) >>> 24).isZero();
        assertThat(TestImages.maxChroma(result)).isZero();
    }
}
