package dev.imageflow.core.event;

import java.util.List;
import java.util.Map;

/**
 * The data of a {@link EventTypes#JOB_REQUESTED} event: run {@code effects} on the object {@code key} that is
 * already in the bucket.
 */
public record JobRequest(String key, List<String> effects, Map<String, String> params) {

    public JobRequest {
        params = params == null ? Map.of() : params;
    }
}
