package dev.imageflow.core.image;

/**
 * Bilinear enlargement by a whole factor, pixel centres aligned ({@code x_in = (x_out + 0.5) / factor - 0.5}),
 * edges repeated: the way back from a {@link BoxShrink} when the work in between (a wide blur) left nothing a
 * smarter filter could restore. Packed {@code 0xAARRGGBB}, two channels per multiply, 8-bit weights.
 */
public final class Upsample {

    private Upsample() {}

    /**
     * Enlarges {@code w x h} by {@code factor} into {@code out}, which is {@code ow x oh} with
     * {@code ow <= w * factor} and {@code oh <= h * factor} (a box shrink rounds up, so the original size fits).
     */
    public static void bilinear(int[] in, int w, int h, int factor, int[] out, int ow, int oh) {
        int[] x0 = new int[ow];
        int[] x1 = new int[ow];
        int[] wx = new int[ow];
        for (int x = 0; x < ow; x++) {
            double sx = (x + 0.5) / factor - 0.5;
            int left = (int) Math.floor(sx);
            wx[x] = (int) Math.round((sx - left) * 256);
            x0[x] = clamp(left, w);
            x1[x] = clamp(left + 1, w);
        }
        Parallel.rows(oh, (y0, y1) -> {
            int[] row = new int[w];
            for (int y = y0; y < y1; y++) {
                double sy = (y + 0.5) / factor - 0.5;
                int top = (int) Math.floor(sy);
                int wy = (int) Math.round((sy - top) * 256);
                int a = clamp(top, h) * w;
                int b = clamp(top + 1, h) * w;
                for (int x = 0; x < w; x++) {
                    row[x] = blend(in[a + x], in[b + x], wy);
                }
                int at = y * ow;
                for (int x = 0; x < ow; x++) {
                    out[at + x] = blend(row[x0[x]], row[x1[x]], wx[x]);
                }
            }
        });
    }

    /** {@code p * (256 - weight) + q * weight}, rounded, per channel: red/blue and alpha/green in one multiply each. */
    private static int blend(int p, int q, int weight) {
        int keep = 256 - weight;
        int rb = ((p & 0x00FF00FF) * keep + (q & 0x00FF00FF) * weight + 0x00800080) >>> 8 & 0x00FF00FF;
        int ag = ((p >>> 8 & 0x00FF00FF) * keep + (q >>> 8 & 0x00FF00FF) * weight + 0x00800080) & 0xFF00FF00;
        return ag | rb;
    }

    private static int clamp(int i, int n) {
        return i < 0 ? 0 : i >= n ? n - 1 : i;
    }
}
