package dev.imageflow.core.observe;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.function.Supplier;

/**
 * What a step costs, per effect: decode, effect and encode times, and the bytes and pixels it took in. With the
 * service and revision tags every function carries (imageflow-defaults.yaml), this is what a dashboard of
 * Knative's scaling wants next to its pod counts.
 */
public class StepMetrics {

    private final MeterRegistry registry;

    public StepMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Times {@code work} as phase {@code phase} (decode, effect, encode) of {@code effect}. */
    public <T> T time(String effect, String phase, Supplier<T> work) {
        return Timer.builder("imageflow.step." + phase)
                .description("time to " + phase + " one image in a step")
                .tag("effect", effect)
                .publishPercentileHistogram()
                .register(registry)
                .record(work);
    }

    public void input(String effect, long bytes, long pixels) {
        DistributionSummary.builder("imageflow.image.bytes")
                .baseUnit("bytes")
                .tag("effect", effect)
                .description("size of the images steps read")
                .register(registry)
                .record(bytes);
        DistributionSummary.builder("imageflow.image.pixels")
                .baseUnit("pixels")
                .tag("effect", effect)
                .description("pixels of the images steps processed")
                .register(registry)
                .record(pixels);
    }
}
