package dev.imageflow.gateway;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.imageflow.core.job.JobRecord;
import dev.imageflow.core.job.StepRecord;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A job as users see it, in the upload answer and at {@code /jobs/<id>}. The first fields are seed 000's answer
 * ({@code id}, {@code applied_effects}, {@code processed_by_pod}, {@code view_url}), so its clients keep working.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record JobView(
        String id,
        @JsonProperty("applied_effects") List<String> appliedEffects,
        @JsonProperty("processed_by_pod") String processedByPod,
        @JsonProperty("view_url") String viewUrl,
        String status,
        List<String> effects,
        Map<String, String> params,
        List<Step> steps,
        String error,
        @JsonProperty("job_url") String jobUrl,
        @JsonProperty("original_url") String originalUrl,
        @JsonProperty("created_at") Instant createdAt,
        @JsonProperty("updated_at") Instant updatedAt) {

    /** One step: which effect, where it ran, how long it took and what it made. */
    public record Step(String effect, String pod, String revision, long ms, int width, int height) {

        static Step of(StepRecord step) {
            return new Step(step.effect(), step.pod(), step.revision(), step.millis(), step.width(), step.height());
        }
    }

    public static JobView of(JobRecord job) {
        List<StepRecord> steps = job.steps();
        return new JobView(
                job.id(),
                steps.stream().map(StepRecord::effect).toList(),
                steps.isEmpty() ? null : steps.get(steps.size() - 1).pod(),
                "/image/" + job.id(),
                job.status().wire(),
                job.effects(),
                job.params(),
                steps.stream().map(Step::of).toList(),
                job.error(),
                "/jobs/" + job.id(),
                "/image/" + job.id() + "/original",
                job.createdAt(),
                job.updatedAt());
    }
}
