package dev.imageflow.core.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class Lanczos3Test {

    @ParameterizedTest
    @ValueSource(doubles = {1.3, 2.0, 2.25, 3.5, 4.6875, 7.0, 18.0})
    void aConstantImageStaysConstant(double factor) {
        int w = 301;
        int h = 97;
        int[] flat = new int[w * h];
        Arrays.fill(flat, 0xFF80C040);

        Lanczos3.Pixels columns = Lanczos3.vertical(flat, w, h, factor);
        Lanczos3.Pixels both = Lanczos3.horizontal(columns.data(), columns.width(), columns.height(), factor, null);

        assertThat(both.width()).isEqualTo(Lanczos3.length(w, factor));
        assertThat(both.height()).isEqualTo(Lanczos3.length(h, factor));
        assertThat(both.data()).containsOnly(0xFF80C040);
    }

    @Test
    void sizesRoundHalfUpAsLibvipsDoes() {
        assertThat(Lanczos3.length(576, 2.25)).isEqualTo(256);
        assertThat(Lanczos3.length(324, 2.25)).isEqualTo(144);
        // 667 / (1001 / 256) = 170.58
        assertThat(Lanczos3.length(667, 1001 / 256.0)).isEqualTo(171);
        // 2.5 exactly rounds up, and nothing shrinks to zero
        assertThat(Lanczos3.length(5, 2.0)).isEqualTo(3);
        assertThat(Lanczos3.length(3, 100.0)).isEqualTo(1);
    }

    @Test
    void kernelsSumToOneAtEveryPhaseAndHaveLibvipsWidth() {
        Lanczos3.Plan plan = new Lanczos3.Plan(576, 2.25);
        assertThat(plan.points).isEqualTo(15);
        assertThat(plan.boxShrink).isEqualTo(1);
        for (int o = 0; o < plan.out; o++) {
            assertThat(Arrays.stream(plan.weights(o)).sum()).isEqualTo(4096);
        }
        // 4608 / 18 = 256: box-shrink by 9 first (a gap of 2 is left), Lanczos3 reduces by 2 on 13 points.
        Lanczos3.Plan large = new Lanczos3.Plan(4608, 18);
        assertThat(large.boxShrink).isEqualTo(9);
        assertThat(large.residual).isEqualTo(2.0);
        assertThat(large.points).isEqualTo(13);
    }

    @Test
    void outputPixelsAreCentredOnTheirInputSpan() {
        // A ramp 0..255 halved: output o covers inputs 2o and 2o + 1, so it is 2o + 0.5 (give or take rounding);
        // half a pixel off either way would be a whole level.
        int w = 256;
        int[] ramp = new int[w];
        for (int x = 0; x < w; x++) {
            ramp[x] = 0xFF000000 | x << 16 | x << 8 | x;
        }
        Lanczos3.Pixels out = Lanczos3.horizontal(ramp, w, 1, 2.0, null);

        assertThat(out.width()).isEqualTo(128);
        for (int o = 4; o < 124; o++) {
            assertThat((double) (out.data()[o] & 0xFF)).as("pixel %d", o).isCloseTo(2 * o + 0.5, within(0.6));
        }
    }
}
