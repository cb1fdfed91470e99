package dev.imageflow.core.event;

/** An event that does not follow the contract in {@link EventTypes}: answered with 400, since a retry cannot fix it. */
public class MalformedEventException extends RuntimeException {

    public MalformedEventException(String message) {
        super(message);
    }

    public MalformedEventException(String message, Throwable cause) {
        super(message, cause);
    }
}
