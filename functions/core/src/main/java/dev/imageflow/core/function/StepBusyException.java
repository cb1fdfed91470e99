package dev.imageflow.core.function;

import dev.imageflow.core.error.TryLaterException;
import dev.imageflow.core.event.StepData;

/**
 * Another delivery of the same step held it for the whole claim lease without finishing: transient, so the function
 * answers 503 and the Broker tries again, by when the claim has lapsed or the step is recorded.
 */
public class StepBusyException extends TryLaterException {

    public StepBusyException(StepData step) {
        super("step " + step.step() + " of job " + step.job() + " is being processed by another delivery", null);
    }
}
