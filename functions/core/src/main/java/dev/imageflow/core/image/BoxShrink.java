package dev.imageflow.core.image;

/**
 * Integer shrink by a box filter along one axis, as libvips' {@code shrinkh}/{@code shrinkv} with {@code ceil}: the
 * output is {@code ceil(n / factor)} long, each pixel the rounded mean of {@code factor} inputs, the last block
 * filled out by repeating the edge pixel. Works on packed {@code 0xAARRGGBB} pixels, all four channels (alpha
 * images are expected premultiplied).
 */
public final class BoxShrink {

    private BoxShrink() {}

    /** The output length for {@code n} inputs. */
    public static int length(int n, int factor) {
        return (n + factor - 1) / factor;
    }

    /** Shrinks rows: {@code w x h} to {@code ceil(w / factor) x h}. */
    public static int[] horizontal(int[] in, int w, int h, int factor) {
        int ow = length(w, factor);
        int[] out = new int[ow * h];
        int half = factor / 2;
        Parallel.rows(h, (y0, y1) -> {
            for (int y = y0; y < y1; y++) {
                int row = y * w;
                for (int o = 0; o < ow; o++) {
                    int a = 0;
                    int r = 0;
                    int g = 0;
                    int b = 0;
                    int start = o * factor;
                    for (int j = 0; j < factor; j++) {
                        int p = in[row + Math.min(start + j, w - 1)];
                        a += p >>> 24;
                        r += p >>> 16 & 0xFF;
                        g += p >>> 8 & 0xFF;
                        b += p & 0xFF;
                    }
                    out[y * ow + o] = (a + half) / factor << 24
                            | (r + half) / factor << 16
                            | (g + half) / factor << 8
                            | (b + half) / factor;
                }
            }
        });
        return out;
    }

    /** Shrinks columns: {@code w x h} to {@code w x ceil(h / factor)}, reading rows in order. */
    public static int[] vertical(int[] in, int w, int h, int factor) {
        int oh = length(h, factor);
        int[] out = new int[w * oh];
        int half = factor / 2;
        Parallel.rows(oh, (o0, o1) -> {
            int[] a = new int[w];
            int[] r = new int[w];
            int[] g = new int[w];
            int[] b = new int[w];
            for (int o = o0; o < o1; o++) {
                java.util.Arrays.fill(a, 0);
                java.util.Arrays.fill(r, 0);
                java.util.Arrays.fill(g, 0);
                java.util.Arrays.fill(b, 0);
                for (int j = 0; j < factor; j++) {
                    int row = Math.min(o * factor + j, h - 1) * w;
                    for (int x = 0; x < w; x++) {
                        int p = in[row + x];
                        a[x] += p >>> 24;
                        r[x] += p >>> 16 & 0xFF;
                        g[x] += p >>> 8 & 0xFF;
                        b[x] += p & 0xFF;
                    }
                }
                int row = o * w;
                for (int x = 0; x < w; x++) {
                    out[row + x] = (a[x] + half) / factor << 24
                            | (r[x] + half) / factor << 16
                            | (g[x] + half) / factor << 8
                            | (b[x] + half) / factor;
                }
            }
        });
        return out;
    }

    /**
     * Shrinks both axes by {@code factor} at once: {@code ceil(w / factor) x ceil(h / factor)}, each pixel the
     * rounded mean of a {@code factor x factor} block. A power of two up to 16 sums two channels per add in one int
     * (the sums fit in 16 bits) and divides by a shift; other factors take {@link #vertical} then
     * {@link #horizontal}.
     */
    public static int[] both(int[] in, int w, int h, int factor) {
        if (factor > 16 || Integer.bitCount(factor) != 1) {
            return horizontal(vertical(in, w, h, factor), w, length(h, factor), factor);
        }
        int ow = length(w, factor);
        int oh = length(h, factor);
        int[] out = new int[ow * oh];
        if (factor == 1) {
            System.arraycopy(in, 0, out, 0, in.length);
            return out;
        }
        int shift = 2 * Integer.numberOfTrailingZeros(factor);
        int round = (1 << (shift - 1)) * 0x00010001;
        int interior = w / factor;
        Parallel.rows(oh, (o0, o1) -> {
            int[] rows = new int[factor];
            for (int o = o0; o < o1; o++) {
                for (int j = 0; j < factor; j++) {
                    rows[j] = Math.min(o * factor + j, h - 1) * w;
                }
                int at = o * ow;
                for (int x = 0; x < ow; x++) {
                    int rb = 0;
                    int ag = 0;
                    int start = x * factor;
                    for (int j = 0; j < factor; j++) {
                        int row = rows[j];
                        for (int i = 0; i < factor; i++) {
                            int p = in[row + (x < interior ? start + i : Math.min(start + i, w - 1))];
                            rb += p & 0x00FF00FF;
                            ag += p >>> 8 & 0x00FF00FF;
                        }
                    }
                    out[at + x] = ((ag + round) >>> shift & 0x00FF00FF) << 8 | (rb + round) >>> shift & 0x00FF00FF;
                }
            }
        });
        return out;
    }
}
