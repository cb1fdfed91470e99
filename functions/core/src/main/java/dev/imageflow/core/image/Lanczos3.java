package dev.imageflow.core.image;

/**
 * Reduction by any factor of 1 or more along one axis with a Lanczos3 kernel, with the semantics of libvips'
 * {@code reduceh}/{@code reducev} (8.14), so that a thumbnail comes out as {@code vipsthumbnail}'s does:
 * <ul>
 * <li>the output is {@code round(n / factor)} long (rounded half up);</li>
 * <li>while the reduction leaves a gap of 2 or more, an integer {@link BoxShrink} by {@code floor(n / out / 2)}
 * goes first, and Lanczos3 does only the rest;</li>
 * <li>the kernel spans {@code 2 * rint(3 * factor) + 1} input pixels, sampled at 1/64 pixel phases, normalised to
 * sum 1, in 12-bit fixed point (made to sum exactly 4096, so flat areas stay flat);</li>
 * <li>output pixel {@code o} is centred on input {@code (o + 0.5) * factor - 0.5}, moved inwards by half of the input
 * the rounding of the size did not use, so both edges lose the same; edge pixels repeat beyond the image.</li>
 * </ul>
 * Packed {@code 0xAARRGGBB} pixels, all four channels, each result rounded and clipped to 0..255 (alpha images are
 * expected premultiplied).
 */
public final class Lanczos3 {

    /** libvips' {@code gap}: box-shrink by whole factors while at least this much reduction is left for Lanczos. */
    public static final double GAP = 2.0;

    private static final int LOBES = 3;
    private static final int PHASES = 64;
    private static final int SHIFT = 12;
    private static final int ONE = 1 << SHIFT;

    private Lanczos3() {}

    /** Pixels and their size. */
    public record Pixels(int[] data, int width, int height) {}

    /** libvips' output length for {@code n} pixels reduced by {@code factor}. */
    public static int length(int n, double factor) {
        return Math.max(1, (int) (n / factor + 0.5));
    }

    /** Reduces the height of {@code w x h} by {@code factor}. */
    public static Pixels vertical(int[] in, int w, int h, double factor) {
        Plan plan = new Plan(h, factor);
        if (plan.boxShrink > 1) {
            in = BoxShrink.vertical(in, w, h, plan.boxShrink);
            h = BoxShrink.length(h, plan.boxShrink);
        }
        if (plan.residual == 1.0) {
            return new Pixels(in, w, h);
        }
        int[] src = in;
        int n = h;
        int[] out = new int[w * plan.out];
        Parallel.rows(plan.out, (o0, o1) -> {
            int[] r = new int[w];
            int[] g = new int[w];
            int[] b = new int[w];
            int[] a = new int[w];
            for (int o = o0; o < o1; o++) {
                java.util.Arrays.fill(r, 0);
                java.util.Arrays.fill(g, 0);
                java.util.Arrays.fill(b, 0);
                java.util.Arrays.fill(a, 0);
                int first = plan.first(o);
                int[] weights = plan.weights(o);
                for (int i = 0; i < weights.length; i++) {
                    int row = clamp(first + i, n) * w;
                    int c = weights[i];
                    for (int x = 0; x < w; x++) {
                        int p = src[row + x];
                        a[x] += (p >>> 24) * c;
                        r[x] += (p >>> 16 & 0xFF) * c;
                        g[x] += (p >>> 8 & 0xFF) * c;
                        b[x] += (p & 0xFF) * c;
                    }
                }
                int row = o * w;
                for (int x = 0; x < w; x++) {
                    out[row + x] = pack(a[x], r[x], g[x], b[x]);
                }
            }
        });
        return new Pixels(out, w, plan.out);
    }

    /** Reduces the width of {@code w x h} by {@code factor}, into {@code target} when it is not null. */
    public static Pixels horizontal(int[] in, int w, int h, double factor, int[] target) {
        Plan plan = new Plan(w, factor);
        if (plan.boxShrink > 1) {
            in = BoxShrink.horizontal(in, w, h, plan.boxShrink);
            w = BoxShrink.length(w, plan.boxShrink);
        }
        if (plan.residual == 1.0) {
            if (target != null && target.length == in.length) {
                System.arraycopy(in, 0, target, 0, in.length);
                return new Pixels(target, w, h);
            }
            return new Pixels(in, w, h);
        }
        int[] src = in;
        int n = w;
        int ow = plan.out;
        int[] out = target != null && target.length == ow * h ? target : new int[ow * h];
        int[] firsts = new int[ow];
        int[][] weights = new int[ow][];
        for (int o = 0; o < ow; o++) {
            firsts[o] = plan.first(o);
            weights[o] = plan.weights(o);
        }
        Parallel.rows(h, (y0, y1) -> {
            for (int y = y0; y < y1; y++) {
                int row = y * n;
                for (int o = 0; o < ow; o++) {
                    int[] c = weights[o];
                    int first = firsts[o];
                    int a = 0;
                    int r = 0;
                    int g = 0;
                    int b = 0;
                    if (first >= 0 && first + c.length <= n) {
                        int at = row + first;
                        for (int i = 0; i < c.length; i++) {
                            int p = src[at + i];
                            a += (p >>> 24) * c[i];
                            r += (p >>> 16 & 0xFF) * c[i];
                            g += (p >>> 8 & 0xFF) * c[i];
                            b += (p & 0xFF) * c[i];
                        }
                    } else {
                        for (int i = 0; i < c.length; i++) {
                            int p = src[row + clamp(first + i, n)];
                            a += (p >>> 24) * c[i];
                            r += (p >>> 16 & 0xFF) * c[i];
                            g += (p >>> 8 & 0xFF) * c[i];
                            b += (p & 0xFF) * c[i];
                        }
                    }
                    out[y * ow + o] = pack(a, r, g, b);
                }
            }
        });
        return new Pixels(out, ow, h);
    }

    /** One axis's reduction: sizes, the integer pre-shrink, the centring and the kernel at each phase. */
    static final class Plan {

        final int out;
        final int boxShrink;
        final double residual;
        final double offset;
        final int points;
        final int pad;
        private final int[][] table = new int[PHASES + 1][];

        Plan(int n, double factor) {
            out = length(n, factor);
            double extra = out * factor - n;
            int shrink = Math.max(1, (int) Math.floor((double) n / out / GAP));
            double rest = factor;
            if (shrink > 1) {
                rest /= shrink;
                extra /= shrink;
            }
            boxShrink = shrink;
            residual = rest;
            offset = (1 + extra) / 2.0 - 1;
            points = 2 * (int) Math.rint(LOBES * rest) + 1;
            pad = (int) Math.ceil(points / 2.0) - 1;
            for (int phase = 0; phase <= PHASES; phase++) {
                table[phase] = mask(rest, phase / (double) PHASES, points);
            }
        }

        /** Where output {@code o} is centred, in input pixels of the (box-shrunk) axis. */
        double centre(int o) {
            return (o + 0.5) * residual - 0.5 - offset;
        }

        /** The first input pixel output {@code o} reads (may lie outside the image: edges repeat). */
        int first(int o) {
            return (int) centre(o) - pad;
        }

        int[] weights(int o) {
            double x = centre(o);
            int sx = (int) (x * PHASES * 2);
            int phase = ((sx & (PHASES * 2 - 1)) + 1) >> 1;
            return table[phase];
        }

        /** The Lanczos3 kernel for sub-pixel position {@code x}, normalised, in fixed point summing to {@link #ONE}. */
        static int[] mask(double shrink, double x, int points) {
            double half = x + points / 2.0 - 1;
            double[] c = new double[points];
            double sum = 0;
            for (int i = 0; i < points; i++) {
                double xp = (i - half) / shrink;
                double l;
                if (xp == 0.0) {
                    l = 1.0;
                } else if (xp < -LOBES || xp > LOBES) {
                    l = 0.0;
                } else {
                    l = LOBES * Math.sin(Math.PI * xp) * Math.sin(Math.PI * xp / LOBES) / (Math.PI * Math.PI * xp * xp);
                }
                c[i] = l;
                sum += l;
            }
            int[] fixed = new int[points];
            int total = 0;
            int largest = 0;
            for (int i = 0; i < points; i++) {
                fixed[i] = (int) (c[i] / sum * ONE);
                total += fixed[i];
                if (fixed[i] > fixed[largest]) {
                    largest = i;
                }
            }
            fixed[largest] += ONE - total;
            return fixed;
        }
    }

    private static int pack(int a, int r, int g, int b) {
        return channel(a) << 24 | channel(r) << 16 | channel(g) << 8 | channel(b);
    }

    private static int channel(int sum) {
        int v = (sum + (ONE >> 1)) >> SHIFT;
        return v < 0 ? 0 : v > 255 ? 255 : v;
    }

    private static int clamp(int i, int n) {
        return i < 0 ? 0 : i >= n ? n - 1 : i;
    }
}
