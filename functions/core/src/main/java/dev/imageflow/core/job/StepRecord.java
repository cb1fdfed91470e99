package dev.imageflow.core.job;

import java.time.Instant;

/**
 * What one step did, written once by the function that did it.
 *
 * @param pod      the pod (HOSTNAME) that processed it, as seed 000's {@code processed_by_pod}
 * @param revision the Knative revision (K_REVISION), or null off Knative
 * @param millis   read + decode + effect + encode + write, in milliseconds
 */
public record StepRecord(
        int step,
        String effect,
        String pod,
        String revision,
        long millis,
        String output,
        int width,
        int height,
        Instant finishedAt) {}
