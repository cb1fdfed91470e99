package dev.imageflow.core.image;

/**
 * Input the pipeline refuses for good: retrying cannot change the answer, so the gateway answers it with a 4xx (the
 * web layer, ApiErrors, maps each {@link Reason}) and a function ends the job as failed instead of letting the
 * Broker retry.
 */
public class ImageRejectedException extends RuntimeException {

    /** Why an image is refused. */
    public enum Reason {
        /** No bytes at all. */
        EMPTY,
        /** Over a size or pixel limit. */
        TOO_LARGE,
        /** Not a format the pipeline reads (judged by content). */
        UNSUPPORTED,
        /** Truncated, corrupt, or with nothing to decode. */
        DAMAGED,
        /** The object a request names is not in the bucket. */
        MISSING
    }

    private final Reason reason;

    public ImageRejectedException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public ImageRejectedException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
