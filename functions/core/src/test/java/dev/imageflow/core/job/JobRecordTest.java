package dev.imageflow.core.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.imageflow.core.event.ObjectKeys;
import dev.imageflow.core.event.StepData;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The record is what events are checked against: these say which events a job accepts. */
class JobRecordTest {

    private final JobRecord pending = JobRecord.pending(
            "j1",
            List.of("bw", "blur"),
            Map.of("blur.sigma", "3"),
            ObjectKeys.original("j1"),
            "image/jpeg",
            Instant.now());

    private JobRecord withSteps(int done) {
        List<StepRecord> steps = new java.util.ArrayList<>();
        for (int i = 0; i < done; i++) {
            steps.add(new StepRecord(
                    i,
                    pending.effects().get(i),
                    "pod",
                    null,
                    5,
                    ObjectKeys.result("j1", i, pending.effects().get(i)),
                    10,
                    10,
                    Instant.now()));
        }
        return new JobRecord(
                "j1",
                JobStatus.RUNNING,
                pending.effects(),
                pending.params(),
                pending.original(),
                "image/jpeg",
                null,
                null,
                Instant.now(),
                Instant.now(),
                steps,
                null,
                0);
    }

    @Test
    void aStepMatchesWhenItReadsWhatThePreviousStepWroteWithTheJobsEffectsAndParameters() {
        assertThat(pending.matches(new StepData("j1", 0, "originals/j1", pending.effects(), pending.params())))
                .isTrue();
        assertThat(pending.matches(new StepData("j1", 1, "results/j1/0-bw", pending.effects(), pending.params())))
                .isTrue();
    }

    @Test
    void aStepReadingAnyOtherObjectDoesNotMatch() {
        assertThat(pending.matches(
                        new StepData("j1", 0, "originals/someone-else", pending.effects(), pending.params())))
                .isFalse();
        assertThat(pending.matches(new StepData("j1", 1, "originals/j1", pending.effects(), pending.params())))
                .isFalse();
    }

    @Test
    void aStepWithOtherEffectsOrParametersDoesNotMatch() {
        assertThat(pending.matches(new StepData("j1", 0, "originals/j1", List.of("bw"), pending.params())))
                .isFalse();
        assertThat(pending.matches(
                        new StepData("j1", 0, "originals/j1", pending.effects(), Map.of("blur.sigma", "40"))))
                .isFalse();
    }

    @Test
    void onlyTheLastStepsRecordedResultCompletesTheJob() {
        String last = ObjectKeys.result("j1", 1, "blur");

        assertThat(withSteps(1).isCompletedBy(last)).as("a step is missing").isFalse();
        assertThat(withSteps(2).isCompletedBy(last)).isTrue();
        assertThat(withSteps(2).isCompletedBy("originals/other-job")).isFalse();
        assertThat(withSteps(2).isCompletedBy(ObjectKeys.result("j1", 0, "bw"))).isFalse();
    }

    @Test
    void theNextStepIsTheFirstOneNotRecorded() {
        assertThat(pending.nextStep())
                .contains(new StepData("j1", 0, "originals/j1", pending.effects(), pending.params()));
        assertThat(withSteps(1).nextStep())
                .contains(new StepData("j1", 1, "results/j1/0-bw", pending.effects(), pending.params()));
        assertThat(withSteps(2).nextStep())
                .as("all done: the completion is due")
                .isEmpty();
    }
}
