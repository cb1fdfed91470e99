package dev.imageflow.core.event;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.util.List;
import java.util.Map;

/**
 * The data of a {@link EventTypes#STEP} event: which job, which step of its effect list, and where the input image
 * is in the bucket. The image itself never travels in an event.
 *
 * @param job     the job id, created by the gateway
 * @param step    index into {@code effects} of the effect to apply now
 * @param input   object key of this step's input image
 * @param effects every effect of the job, in order; effects after {@code step} are still to come
 * @param params  effect parameters such as {@code blur.sigma}, already validated by the gateway
 */
public record StepData(String job, int step, String input, List<String> effects, Map<String, String> params) {

    public StepData {
        effects = List.copyOf(effects);
        params = params == null ? Map.of() : Map.copyOf(params);
    }

    public String effect() {
        return effects.get(step);
    }

    /** Not part of the event data: derived from {@code step} and {@code effects}. */
    @JsonIgnore
    public boolean isLast() {
        return step == effects.size() - 1;
    }

    /** The step that follows this one, reading what this one wrote. */
    public StepData next(String output) {
        return new StepData(job, step + 1, output, effects, params);
    }

    /** Where a step writes its result: derived from job and step alone, so a redelivered step rewrites the same object. */
    public String outputKey() {
        return ObjectKeys.result(job, step, effect());
    }
}
