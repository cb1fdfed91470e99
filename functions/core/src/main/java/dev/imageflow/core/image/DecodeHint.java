package dev.imageflow.core.image;

/**
 * How small a decode may come out for the work that follows it: a thumbnail needs far fewer pixels than the
 * photo has, and JPEG can decode at 1/2, 1/4 or 1/8 of its size (the DCT's own scaling) for a fraction of the
 * cost. {@link ImageCodec#decode(byte[], HeapBudget, DecodeHint)} picks the largest of those scales that keeps the
 * upright image at least {@link #atLeast} in both directions; formats without such a scale decode in full.
 */
@FunctionalInterface
public interface DecodeHint {

    /** Every pixel: what effects other than a thumbnail need. */
    DecodeHint FULL = (width, height) -> new Size(width, height);

    /** JPEG's DCT scales, largest reduction first. */
    java.util.List<Integer> DCT_SHRINKS = java.util.List.of(8, 4, 2);

    /**
     * @param width  the upright image's width, from its header
     * @param height the upright image's height
     * @return the smallest upright size the work can start from; a decode at 1/k is used only when {@code width}
     *         and {@code height} are each at least k times this (exactly, not rounded)
     */
    Size atLeast(int width, int height);

    record Size(int width, int height) {}

    /**
     * Implemented by an effect that can work from a smaller decode than the full image.
     *
     * @param <P> the effect's parameters
     */
    interface Source<P> {

        /** What this effect needs of its input, with these parameters. */
        DecodeHint decodeHint(P params);
    }

    /** The largest DCT shrink k (8, 4, 2; else 1) with {@code k * atLeast} inside {@code width x height}. */
    static int dctShrink(DecodeHint hint, int width, int height) {
        Size needed = hint.atLeast(width, height);
        for (int k : DCT_SHRINKS) {
            if ((long) width >= (long) k * needed.width() && (long) height >= (long) k * needed.height()) {
                return k;
            }
        }
        return 1;
    }
}
