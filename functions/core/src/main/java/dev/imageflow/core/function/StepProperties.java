package dev.imageflow.core.function;

import java.time.Duration;

import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param demoDelay extra time each step takes, off by default. Seed 000 slept 2 s in every blur to make scaling
 *                  visible; real work does that here, but a fixed delay can still help a demo on tiny images.
 */
public record StepProperties(@DefaultValue("0s") Duration demoDelay) {
}
