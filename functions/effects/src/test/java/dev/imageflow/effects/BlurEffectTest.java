package dev.imageflow.effects;

import static org.assertj.core.api.Assertions.assertThat;

import dev.imageflow.core.test.TestImages;
import java.awt.image.BufferedImage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BlurEffectTest {

    private final BlurEffect blur = new BlurEffect();

    private static BlurEffect.Params sigma(double sigma) {
        return new BlurEffect.Params(sigma);
    }

    @ParameterizedTest
    @ValueSource(doubles = {0.8, 1.5, 2.0, 4, 12})
    void lowersHighFrequencyEnergyAndKeepsTheSize(double sigma) {
        BufferedImage photo = TestImages.photo(200, 150);

        BufferedImage result = blur.apply(photo, sigma(sigma));

        assertThat(result.getWidth()).isEqualTo(200);
        assertThat(result.getHeight()).isEqualTo(150);
        assertThat(TestImages.highFrequencyEnergy(result)).isLessThan(TestImages.highFrequencyEnergy(photo) * 0.6);
    }

    @Test
    void aLargerSigmaBlursMore() {
        BufferedImage photo = TestImages.photo(200, 150);

        double small = TestImages.highFrequencyEnergy(blur.apply(photo, sigma(1)));
        double large = TestImages.highFrequencyEnergy(blur.apply(photo, sigma(6)));

        assertThat(large).isLessThan(small);
    }

    @Test
    void keepsFlatColourExactlyAndBlursTheEdgesToo() {
        BufferedImage image = new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 64; y++) {
            for (int x = 0; x < 64; x++) {
                image.setRGB(x, y, x < 1 ? 0x000000 : 0x80C040);
            }
        }

        BufferedImage result = blur.apply(image, sigma(3));

        // Far from the dark column the colour is untouched: the kernel sums to one.
        assertThat(result.getRGB(40, 32) & 0xFFFFFF).isEqualTo(0x80C040);
        // The dark column on the very edge is blurred as well (ConvolveOp would leave it black).
        assertThat(result.getRGB(0, 32) & 0xFF0000).isGreaterThan(0x100000);
        // Edge pixels are extended, not treated as black: the top row keeps its brightness.
        assertThat(result.getRGB(40, 0) & 0xFFFFFF).isEqualTo(0x80C040);
    }

    @ParameterizedTest
    @ValueSource(doubles = {6, 8, 20})
    void aWideBlurDoneSmallerStillKeepsFlatColourAndBlursTheEdges(double s) {
        // From sigma 5 the blur works at half size (from 8 at a quarter) and is enlarged back.
        int w = 203;
        int h = 151;
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                image.setRGB(x, y, x < 2 ? 0x000000 : 0x80C040);
            }
        }

        BufferedImage result = blur.apply(image, sigma(s));

        assertThat(result.getWidth()).isEqualTo(w);
        assertThat(result.getHeight()).isEqualTo(h);
        assertThat(result.getRGB(w - 1, h / 2) & 0xFFFFFF).isEqualTo(0x80C040);
        assertThat(result.getRGB(w - 40, 0) & 0xFFFFFF).isEqualTo(0x80C040);
        // The dark columns on the edge are lifted, and they darken their neighbours a little.
        assertThat(result.getRGB(0, h / 2) >> 16 & 0xFF).isGreaterThan(0x20);
        assertThat(result.getRGB(0, h / 2) >> 16 & 0xFF).isLessThan(0x80);
        assertThat(result.getRGB((int) s, h / 2) >> 16 & 0xFF).isLessThan(0x80);
    }

    @Test
    void approximatesTheGaussianItIsNamedFor() {
        // A single white dot on black spreads into the point-spread function; its variance must be sigma squared.
        for (double s : new double[] {1.5, 3, 8, 12, 20}) {
            int size = 161;
            BufferedImage dot = new BufferedImage(size, 1, BufferedImage.TYPE_INT_RGB);
            dot.setRGB(size / 2, 0, 0xFFFFFF);
            // Blur a brighter dot: a 1-pixel dot at 255 would round away in 8 bits, so sum many rows instead.
            BufferedImage tall = new BufferedImage(size, 1, BufferedImage.TYPE_INT_RGB);
            tall.setRGB(size / 2, 0, 0xFFFFFF);
            BufferedImage result = blur.apply(tall, sigma(s));
            double sum = 0;
            double moment = 0;
            for (int x = 0; x < size; x++) {
                int v = result.getRGB(x, 0) & 0xFF;
                sum += v;
                moment += v * Math.pow(x - size / 2, 2);
            }
            assertThat(Math.sqrt(moment / sum))
                    .as("measured sigma for %s", s)
                    .isCloseTo(s, org.assertj.core.data.Offset.offset(s * 0.15 + 0.3));
        }
    }

    @Test
    void transparentPixelsDoNotBleedTheirHiddenColour() {
        BufferedImage image = new BufferedImage(32, 32, BufferedImage.TYPE_INT_ARGB);
        for (int y = 0; y < 32; y++) {
            for (int x = 0; x < 32; x++) {
                // Left half opaque green; right half fully transparent but "red" underneath.
                image.setRGB(x, y, x < 16 ? 0xFF00FF00 : 0x00FF0000);
            }
        }

        BufferedImage result = blur.apply(image, sigma(3));

        int edge = result.getRGB(16, 16);
        assertThat(edge >>> 24).isBetween(1, 254);
        assertThat(edge >> 16 & 0xFF).as("red leaking from transparent pixels").isLessThan(8);
        assertThat(edge >> 8 & 0xFF).isGreaterThan(240);
    }
}
