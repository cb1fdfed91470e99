package dev.imageflow.core.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BoxShrinkTest {

    @Test
    void averagesEachBlockAndRepeatsTheEdgeForTheLastPartialOne() {
        // 3 x 1: blocks {10, 20} and {30, 30 repeated}
        int[] row = {grey(10), grey(20), grey(30)};

        int[] out = BoxShrink.horizontal(row, 3, 1, 2);

        assertThat(out).containsExactly(grey(15), grey(30));
        assertThat(BoxShrink.vertical(row, 1, 3, 2)).containsExactly(grey(15), grey(30));
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 3, 4, 8})
    void bothAxesAtOnceIsBothAxesOneAfterTheOther(int factor) {
        int w = 37;
        int h = 23;
        int[] noise = new Random(7).ints(w * h).toArray();

        int[] once = BoxShrink.both(noise, w, h, factor);
        int[] twice =
                BoxShrink.horizontal(BoxShrink.vertical(noise, w, h, factor), w, BoxShrink.length(h, factor), factor);

        assertThat(once).hasSize(BoxShrink.length(w, factor) * BoxShrink.length(h, factor));
        // One rounding instead of two: at most one level apart per channel.
        for (int i = 0; i < once.length; i++) {
            for (int shift = 0; shift < 32; shift += 8) {
                assertThat(Math.abs((once[i] >>> shift & 0xFF) - (twice[i] >>> shift & 0xFF)))
                        .isLessThanOrEqualTo(1);
            }
        }
    }

    @Test
    void upsamplingAShrunkConstantGivesItBack() {
        int w = 41;
        int h = 29;
        int[] flat = new int[w * h];
        java.util.Arrays.fill(flat, 0xFF80C040);
        int[] small = BoxShrink.both(flat, w, h, 2);
        int[] out = new int[w * h];

        Upsample.bilinear(small, BoxShrink.length(w, 2), BoxShrink.length(h, 2), 2, out, w, h);

        assertThat(out).containsOnly(0xFF80C040);
    }

    private static int grey(int v) {
        return 0xFF000000 | v << 16 | v << 8 | v;
    }
}
