package dev.imageflow.core.image;

import org.springframework.http.HttpStatus;

/**
 * Input the pipeline refuses for good: retrying cannot change the answer, so the gateway answers it with a 4xx and
 * a function ends the job as failed instead of letting the Broker retry.
 */
public class ImageRejectedException extends RuntimeException {

    private final HttpStatus status;

    public ImageRejectedException(HttpStatus status, String message) {
        super(message);
        this.status = status;
    }

    public ImageRejectedException(HttpStatus status, String message, Throwable cause) {
        super(message, cause);
        this.status = status;
    }

    public HttpStatus status() {
        return status;
    }
}
