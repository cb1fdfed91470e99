package dev.imageflow.core.job;

import com.fasterxml.jackson.annotation.JsonValue;

/** pending (created, no step done yet) → running (a step done) → done or failed, which are final. */
public enum JobStatus {
    PENDING,
    RUNNING,
    DONE,
    FAILED;

    @JsonValue
    public String wire() {
        return name().toLowerCase();
    }

    public boolean isFinal() {
        return this == DONE || this == FAILED;
    }

    public static JobStatus fromWire(String value) {
        return valueOf(value.toUpperCase());
    }
}
