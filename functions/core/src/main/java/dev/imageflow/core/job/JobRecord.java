package dev.imageflow.core.job;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.imageflow.core.event.ObjectKeys;
import dev.imageflow.core.event.StepData;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A job as Redis holds it: what was asked, how far it got and how it ended. It is the authority events are checked
 * against: a step, completion or failure that does not match the record was not made by this pipeline.
 *
 * @param original    object key of the uploaded image
 * @param contentType content type of the original
 * @param output      object key of the final image, once done
 * @param error       why it failed, once failed
 * @param stepError   why a step refused its input, recorded by that step before it announced the failure
 * @param redrives    how often the job's next event was sent again after its events were lost
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record JobRecord(
        String id,
        JobStatus status,
        List<String> effects,
        Map<String, String> params,
        String original,
        String contentType,
        String output,
        String error,
        Instant createdAt,
        Instant updatedAt,
        List<StepRecord> steps,
        String stepError,
        int redrives) {

    public JobRecord {
        effects = List.copyOf(effects);
        params = params == null ? Map.of() : Map.copyOf(params);
        steps = steps == null ? List.of() : List.copyOf(steps);
    }

    public static JobRecord pending(
            String id,
            List<String> effects,
            Map<String, String> params,
            String original,
            String contentType,
            Instant now) {
        return new JobRecord(
                id,
                JobStatus.PENDING,
                effects,
                params,
                original,
                contentType,
                null,
                null,
                now,
                now,
                List.of(),
                null,
                0);
    }

    /** The record of step {@code index}, if that step is done. */
    public Optional<StepRecord> step(int index) {
        return steps.stream().filter(s -> s.step() == index).findFirst();
    }

    /** Where step {@code index} must read from: the original, or what the step before it wrote. */
    public String inputOf(int index) {
        return index == 0 ? original : ObjectKeys.result(id, index - 1, effects.get(index - 1));
    }

    /** Where the job's last step writes the final image. */
    public String finalOutput() {
        return ObjectKeys.result(id, effects.size() - 1, effects.get(effects.size() - 1));
    }

    /**
     * Whether a step event is one this pipeline made for this job: same effects and parameters, and the input that
     * step must read. Anything else would make the job's result from someone else's object.
     */
    public boolean matches(StepData step) {
        return step.job().equals(id)
                && step.step() >= 0
                && step.step() < effects.size()
                && step.effects().equals(effects)
                && step.params().equals(params)
                && step.input().equals(inputOf(step.step()));
    }

    /** Whether every step is recorded and {@code output} is what the last one wrote: only then is the job done. */
    public boolean isCompletedBy(String output) {
        return steps.size() == effects.size()
                && finalOutput().equals(output)
                && step(effects.size() - 1).map(s -> output.equals(s.output())).orElse(false);
    }

    /**
     * The event that moves the job on from what is recorded: the first step not yet done, or, when all are, empty
     * (the completion is due).
     */
    public Optional<StepData> nextStep() {
        int next = 0;
        while (next < effects.size() && step(next).isPresent()) {
            next++;
        }
        return next == effects.size()
                ? Optional.empty()
                : Optional.of(new StepData(id, next, inputOf(next), effects, params));
    }
}
