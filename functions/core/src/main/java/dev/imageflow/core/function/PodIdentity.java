package dev.imageflow.core.function;

/**
 * Who processed a step: the pod (Knative sets HOSTNAME to the pod name) and the Knative revision (K_REVISION).
 */
public record PodIdentity(String pod, String revision) {}
