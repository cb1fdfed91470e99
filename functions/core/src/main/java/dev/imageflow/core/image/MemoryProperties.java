package dev.imageflow.core.image;

import java.time.Duration;

import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The JVM-wide {@link PixelBudget}, under {@code imageflow.memory.*}.
 *
 * @param heapShare share of the maximum heap that decoded images may take together; the rest is for the
 *                  framework, request bodies and the encoded files
 * @param maxWait   how long a step waits for room before it answers 503, so that the Broker retries it later
 */
public record MemoryProperties(
        @DefaultValue("0.5") double heapShare,
        @DefaultValue("60s") Duration maxWait) {
}
