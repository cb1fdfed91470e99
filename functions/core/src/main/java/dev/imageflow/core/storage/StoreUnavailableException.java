package dev.imageflow.core.storage;

import dev.imageflow.core.error.TryLaterException;

/**
 * Redis or S3 did not answer. Transient by nature: the gateway answers 503 with Retry-After, and a function
 * answers 5xx so that the Broker retries the step later.
 */
public class StoreUnavailableException extends TryLaterException {

    public StoreUnavailableException(String store, Throwable cause) {
        super(store + " is unavailable: " + cause.getMessage(), cause);
    }
}
