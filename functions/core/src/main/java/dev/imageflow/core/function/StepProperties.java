package dev.imageflow.core.function;

import java.time.Duration;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param demoDelay  extra time each step takes, off by default. Seed 000 slept 2 s in every blur to make scaling
 *                   visible; real work does that here, but a fixed delay can still help a demo on tiny images.
 * @param claimLease how long a delivery holds its step against concurrent copies of the same event: the longest a
 *                   step may take, as the Knative Services' {@code timeoutSeconds} (120 s). A copy waits that long
 *                   at most before it takes over a step whose worker died.
 */
public record StepProperties(
        @DefaultValue("0s") Duration demoDelay,
        @DefaultValue("120s") Duration claimLease) {}
