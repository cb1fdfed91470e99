package dev.imageflow.core.image;

/**
 * A gaussian blur of packed pixels, separable (rows, then columns), with the edge pixels extended outwards so the
 * borders blur like the rest (ConvolveOp leaves them sharp). Small sigmas use the exact kernel; from
 * {@value #BOX_FROM_SIGMA} up, three box passes whose widths are chosen for the sigma (W. Jarosz / P. Kovesi, "boxes
 * for gauss") stand in for it, so the cost no longer grows with the radius. Rows and column strips are spread over
 * the available cores.
 */
public final class GaussianBlur {

    public static final double BOX_FROM_SIGMA = 2.0;
    private static final int BOXES = 3;
    private static final int STRIP = 128;
    private static final int KERNEL_ONE = 1 << 14;

    private GaussianBlur() {}

    /**
     * The blur at full size: {@code in} read, {@code out} written, one buffer between the row and column passes.
     *
     * @param alpha whether {@code in} is premultiplied ARGB whose alpha is blurred too (else opaque RGB)
     */
    public static void blur(int[] in, int[] out, int w, int h, double sigma, boolean alpha) {
        int[] rows = new int[in.length];
        if (sigma < BOX_FROM_SIGMA) {
            int[] kernel = kernel(sigma);
            Parallel.each(h, y -> convolveRow(in, rows, y * w, w, kernel));
            Parallel.each(
                    strips(w),
                    s -> convolveColumns(rows, out, w, h, s * STRIP, Math.min(w, s * STRIP + STRIP), kernel));
        } else {
            int[] radii = boxRadii(sigma);
            Parallel.each(h, y -> boxRow(in, rows, y * w, w, radii, alpha));
            Parallel.each(
                    strips(w), s -> boxStrip(rows, out, w, h, s * STRIP, Math.min(w, s * STRIP + STRIP), radii, alpha));
        }
    }

    /**
     * The three box passes down columns x0..x1, done on a copy of that strip small enough to stay in the core's
     * cache: the image is swept once for all three, not once per pass.
     */
    private static void boxStrip(int[] in, int[] out, int w, int h, int x0, int x1, int[] radii, boolean alpha) {
        int n = x1 - x0;
        int[] a = new int[n * h];
        int[] b = new int[n * h];
        for (int y = 0; y < h; y++) {
            System.arraycopy(in, y * w + x0, a, y * n, n);
        }
        boxColumns(a, b, n, h, 0, n, radii[0], alpha);
        boxColumns(b, a, n, h, 0, n, radii[1], alpha);
        boxColumns(a, b, n, h, 0, n, radii[2], alpha);
        for (int y = 0; y < h; y++) {
            System.arraycopy(b, y * n, out, y * w + x0, n);
        }
    }

    /** Box radii whose three passes have a variance of sigma squared. */
    static int[] boxRadii(double sigma) {
        double ideal = Math.sqrt(12 * sigma * sigma / BOXES + 1);
        int lower = (int) Math.floor(ideal);
        if (lower % 2 == 0) {
            lower--;
        }
        int upper = lower + 2;
        double m = (12 * sigma * sigma - BOXES * lower * lower - 4 * BOXES * lower - 3 * BOXES) / (-4.0 * lower - 4);
        long smaller = Math.round(m);
        int[] radii = new int[BOXES];
        for (int i = 0; i < BOXES; i++) {
            radii[i] = ((i < smaller ? lower : upper) - 1) / 2;
        }
        return radii;
    }

    /** The gaussian, sampled to three sigmas each side, in fixed point summing to exactly {@link #KERNEL_ONE}. */
    static int[] kernel(double sigma) {
        int radius = Math.max(1, (int) Math.ceil(3 * sigma));
        double[] weights = new double[2 * radius + 1];
        double sum = 0;
        for (int i = -radius; i <= radius; i++) {
            weights[i + radius] = Math.exp(-(i * i) / (2 * sigma * sigma));
            sum += weights[i + radius];
        }
        int[] kernel = new int[weights.length];
        int total = 0;
        for (int i = 0; i < weights.length; i++) {
            kernel[i] = (int) Math.round(weights[i] / sum * KERNEL_ONE);
            total += kernel[i];
        }
        kernel[radius] += KERNEL_ONE - total;
        return kernel;
    }

    private static void boxRow(int[] in, int[] out, int offset, int n, int[] radii, boolean alpha) {
        int[] x = new int[n];
        int[] y = new int[n];
        System.arraycopy(in, offset, x, 0, n);
        boxLine(x, y, n, radii[0], alpha);
        boxLine(y, x, n, radii[1], alpha);
        boxLine(x, y, n, radii[2], alpha);
        System.arraycopy(y, 0, out, offset, n);
    }

    /**
     * One box pass along a line, with the ends extended; divides by multiplying with a 16-bit reciprocal. Opaque
     * images skip the alpha channel (a quarter of the arithmetic), and only the ends pay for clamping.
     */
    private static void boxLine(int[] in, int[] out, int n, int r, boolean alpha) {
        int width = 2 * r + 1;
        int reciprocal = ((1 << 16) + width / 2) / width;
        int sa = 0;
        int sr = 0;
        int sg = 0;
        int sb = 0;
        for (int i = -r; i <= r; i++) {
            int p = in[clamp(i, n)];
            sa += p >>> 24;
            sr += p >>> 16 & 0xFF;
            sg += p >>> 8 & 0xFF;
            sb += p & 0xFF;
        }
        int interiorEnd = n - r - 1;
        for (int i = 0; i < n; i++) {
            out[i] = alpha ? pack(sa, sr, sg, sb, reciprocal) : packOpaque(sr, sg, sb, reciprocal);
            int add = in[i < interiorEnd ? i + r + 1 : n - 1];
            int sub = in[i >= r ? i - r : 0];
            if (alpha) {
                sa += (add >>> 24) - (sub >>> 24);
            }
            sr += (add >>> 16 & 0xFF) - (sub >>> 16 & 0xFF);
            sg += (add >>> 8 & 0xFF) - (sub >>> 8 & 0xFF);
            sb += (add & 0xFF) - (sub & 0xFF);
        }
    }

    /** One box pass down the columns x0..x1, walking rows in order so memory is read sequentially. */
    private static void boxColumns(int[] in, int[] out, int w, int h, int x0, int x1, int r, boolean alpha) {
        int n = x1 - x0;
        int width = 2 * r + 1;
        int reciprocal = ((1 << 16) + width / 2) / width;
        int[] sa = new int[n];
        int[] sr = new int[n];
        int[] sg = new int[n];
        int[] sb = new int[n];
        for (int i = -r; i <= r; i++) {
            int row = clamp(i, h) * w + x0;
            for (int x = 0; x < n; x++) {
                int p = in[row + x];
                sa[x] += p >>> 24;
                sr[x] += p >>> 16 & 0xFF;
                sg[x] += p >>> 8 & 0xFF;
                sb[x] += p & 0xFF;
            }
        }
        for (int y = 0; y < h; y++) {
            int row = y * w + x0;
            int add = clamp(y + r + 1, h) * w + x0;
            int sub = clamp(y - r, h) * w + x0;
            if (alpha) {
                for (int x = 0; x < n; x++) {
                    out[row + x] = pack(sa[x], sr[x], sg[x], sb[x], reciprocal);
                    int pa = in[add + x];
                    int ps = in[sub + x];
                    sa[x] += (pa >>> 24) - (ps >>> 24);
                    sr[x] += (pa >>> 16 & 0xFF) - (ps >>> 16 & 0xFF);
                    sg[x] += (pa >>> 8 & 0xFF) - (ps >>> 8 & 0xFF);
                    sb[x] += (pa & 0xFF) - (ps & 0xFF);
                }
            } else {
                for (int x = 0; x < n; x++) {
                    out[row + x] = packOpaque(sr[x], sg[x], sb[x], reciprocal);
                    int pa = in[add + x];
                    int ps = in[sub + x];
                    sr[x] += (pa >>> 16 & 0xFF) - (ps >>> 16 & 0xFF);
                    sg[x] += (pa >>> 8 & 0xFF) - (ps >>> 8 & 0xFF);
                    sb[x] += (pa & 0xFF) - (ps & 0xFF);
                }
            }
        }
    }

    private static void convolveRow(int[] in, int[] out, int offset, int n, int[] kernel) {
        int radius = kernel.length / 2;
        for (int x = 0; x < n; x++) {
            int a = 0;
            int r = 0;
            int g = 0;
            int b = 0;
            for (int k = 0; k < kernel.length; k++) {
                int p = in[offset + clamp(x + k - radius, n)];
                int weight = kernel[k];
                a += (p >>> 24) * weight;
                r += (p >>> 16 & 0xFF) * weight;
                g += (p >>> 8 & 0xFF) * weight;
                b += (p & 0xFF) * weight;
            }
            out[offset + x] = packKernel(a, r, g, b);
        }
    }

    private static void convolveColumns(int[] in, int[] out, int w, int h, int x0, int x1, int[] kernel) {
        int n = x1 - x0;
        int radius = kernel.length / 2;
        int[] sa = new int[n];
        int[] sr = new int[n];
        int[] sg = new int[n];
        int[] sb = new int[n];
        for (int y = 0; y < h; y++) {
            java.util.Arrays.fill(sa, 0);
            java.util.Arrays.fill(sr, 0);
            java.util.Arrays.fill(sg, 0);
            java.util.Arrays.fill(sb, 0);
            for (int k = 0; k < kernel.length; k++) {
                int row = clamp(y + k - radius, h) * w + x0;
                int weight = kernel[k];
                for (int x = 0; x < n; x++) {
                    int p = in[row + x];
                    sa[x] += (p >>> 24) * weight;
                    sr[x] += (p >>> 16 & 0xFF) * weight;
                    sg[x] += (p >>> 8 & 0xFF) * weight;
                    sb[x] += (p & 0xFF) * weight;
                }
            }
            int row = y * w + x0;
            for (int x = 0; x < n; x++) {
                out[row + x] = packKernel(sa[x], sr[x], sg[x], sb[x]);
            }
        }
    }

    private static int pack(int a, int r, int g, int b, int reciprocal) {
        return (a * reciprocal + 0x8000) >>> 16 << 24
                | (r * reciprocal + 0x8000) >>> 16 << 16
                | (g * reciprocal + 0x8000) >>> 16 << 8
                | (b * reciprocal + 0x8000) >>> 16;
    }

    private static int packOpaque(int r, int g, int b, int reciprocal) {
        return 0xFF000000
                | (r * reciprocal + 0x8000) >>> 16 << 16
                | (g * reciprocal + 0x8000) >>> 16 << 8
                | (b * reciprocal + 0x8000) >>> 16;
    }

    private static int packKernel(int a, int r, int g, int b) {
        int half = KERNEL_ONE / 2;
        return (a + half) >>> 14 << 24 | (r + half) >>> 14 << 16 | (g + half) >>> 14 << 8 | (b + half) >>> 14;
    }

    private static int clamp(int i, int n) {
        return i < 0 ? 0 : i >= n ? n - 1 : i;
    }

    private static int strips(int width) {
        return (width + STRIP - 1) / STRIP;
    }
}
