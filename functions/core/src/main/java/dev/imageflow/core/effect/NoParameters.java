package dev.imageflow.core.effect;

/** The parameters of an effect that takes none. */
public record NoParameters() {}
