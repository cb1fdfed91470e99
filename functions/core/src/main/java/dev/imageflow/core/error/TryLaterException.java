package dev.imageflow.core.error;

/**
 * A failure that goes away by itself: a store down, memory full, the step busy elsewhere. Every function answers it
 * with 503 and Retry-After, which the Broker retries and a client is told to retry, instead of ending the job.
 */
public abstract class TryLaterException extends RuntimeException {

    protected TryLaterException(String message, Throwable cause) {
        super(message, cause);
    }
}
