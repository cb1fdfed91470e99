package dev.imageflow.core.error;

/** What a request names does not exist (or no longer: records and objects expire); answered with 404. */
public class NotFoundException extends RuntimeException {

    public NotFoundException(String message) {
        super(message);
    }
}
