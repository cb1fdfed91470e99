package dev.imageflow.core.image;

import java.util.stream.IntStream;

/** Splits row ranges over the common pool: a few chunks per core, none smaller than a handful of rows. */
final class Parallel {

    interface Range {
        void run(int from, int to);
    }

    private Parallel() {}

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
