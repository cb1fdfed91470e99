package dev.imageflow.core.event;

/**
 * The CloudEvent vocabulary of the pipeline. Triggers in {@code eventing/} filter on exactly these strings, so a
 * change here is a change of the wire contract: the manifests and the README table must change with it.
 */
public final class EventTypes {

    /** One effect to apply to one image; the {@link #EFFECT} extension names which, so each Trigger can filter on it. */
    public static final String STEP = "dev.imageflow.step";

    /** The last step wrote the final image; the gateway marks the job done. */
    public static final String JOB_COMPLETED = "dev.imageflow.job.completed";

    /** A step rejected its input for good (retrying cannot help); the gateway marks the job failed with the reason. */
    public static final String JOB_FAILED = "dev.imageflow.job.failed";

    /** Starts a job on an object already in the bucket, for producers that speak CloudEvents instead of HTTP uploads. */
    public static final String JOB_REQUESTED = "dev.imageflow.job.requested";

    /** Answer to {@link #JOB_REQUESTED}: the job the gateway created. Nothing subscribes to it; callers read it as the reply. */
    public static final String JOB_ACCEPTED = "dev.imageflow.job.accepted";

    /** Extension attribute on step events: the effect this step applies. Lower-case letters only, as the spec requires. */
    public static final String EFFECT = "effect";

    /** Extension attribute on every pipeline event: the job id, so logs and filters need not parse the data. */
    public static final String JOB = "jobid";

    /** Extensions Knative adds to an event it dead-letters after its retries ran out. */
    public static final String KNATIVE_ERROR_CODE = "knativeerrorcode";

    public static final String KNATIVE_ERROR_DATA = "knativeerrordata";
    public static final String KNATIVE_ERROR_DEST = "knativeerrordest";

    private EventTypes() {}
}
