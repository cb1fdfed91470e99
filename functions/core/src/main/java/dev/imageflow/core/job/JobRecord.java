package dev.imageflow.core.job;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A job as Redis holds it: what was asked, how far it got and how it ended.
 *
 * @param original    object key of the uploaded image
 * @param contentType content type of the original
 * @param output      object key of the final image, once done
 * @param error       why it failed, once failed
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record JobRecord(String id, JobStatus status, List<String> effects, Map<String, String> params,
        String original, String contentType, String output, String error, Instant createdAt, Instant updatedAt,
        List<StepRecord> steps) {

    public JobRecord {
        effects = List.copyOf(effects);
        params = params == null ? Map.of() : Map.copyOf(params);
        steps = steps == null ? List.of() : List.copyOf(steps);
    }

    public static JobRecord pending(String id, List<String> effects, Map<String, String> params, String original,
            String contentType, Instant now) {
        return new JobRecord(id, JobStatus.PENDING, effects, params, original, contentType, null, null, now, now,
                List.of());
    }
}
