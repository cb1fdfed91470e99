package dev.imageflow.core.image;

import java.util.function.IntConsumer;
import java.util.stream.IntStream;

/** Splits work over the common pool: row ranges in a few chunks per core, or one task per index. */
final class Parallel {

    interface Range {
        void run(int from, int to);
    }

    private Parallel() {}

    /** Each of {@code 0..n-1} as a task of its own, for work whose items are already large (rows, column strips). */
    static void each(int n, IntConsumer work) {
        IntStream.range(0, n).parallel().forEach(work);
    }

    static void rows(int n, Range work) {
        int chunks = Math.min(n / 8, 4 * Runtime.getRuntime().availableProcessors());
        if (chunks <= 1) {
            work.run(0, n);
            return;
        }
        IntStream.range(0, chunks)
                .parallel()
                .forEach(c -> work.run((int) ((long) n * c / chunks), (int) ((long) n * (c + 1) / chunks)));
    }
}
