package dev.imageflow.core.event;

/**
 * The data of {@link EventTypes#JOB_COMPLETED} (with {@code output}) and {@link EventTypes#JOB_FAILED} (with
 * {@code error}).
 */
public record JobFinishedData(String job, String output, String error) {

    public static JobFinishedData completed(String job, String output) {
        return new JobFinishedData(job, output, null);
    }

    public static JobFinishedData failed(String job, String error) {
        return new JobFinishedData(job, null, error);
    }
}
