package dev.imageflow.core.image;

import java.time.Duration;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The JVM-wide {@link HeapBudget}, under {@code imageflow.memory.*}.
 *
 * @param heapShare share of the maximum heap that images (decoded, or uploads in flight) may take together; the
 *                  rest is for the framework and everything else
 * @param maxWait   how long a step waits for room before it answers 503, so that the Broker retries it later
 */
public record MemoryProperties(
        @DefaultValue("0.5") double heapShare,
        @DefaultValue("60s") Duration maxWait) {}
