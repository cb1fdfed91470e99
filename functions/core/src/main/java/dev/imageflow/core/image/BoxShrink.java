package dev.imageflow.core.image;

/**
 * Integer shrink by a box filter along one axis, as libvips' {@code shrinkh}/{@code shrinkv} with {@code ceil}: the
 * output is {@code ceil(n / factor)} long, each pixel the rounded mean of {@code factor} inputs, the last block
 * filled out by repeating the edge pixel. Works on packed {@code 0xAARRGGBB} pixels, all four channels (alpha
 * images are expected premultiplied).
 */
public final class BoxShrink {

    private BoxShrink() {
    }

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
                    out[y * ow + o] = (a + half) / factor << 24 | (r + half) / factor << 16
                            | (g + half) / factor << 8 | (b + half) / factor;
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
                    out[row + x] = (a[x] + half) / factor << 24 | (r[x] + half) / factor << 16
                            | (g[x] + half) / factor << 8 | (b[x] + half) / factor;
                }
            }
        });
        return out;
    }
}
