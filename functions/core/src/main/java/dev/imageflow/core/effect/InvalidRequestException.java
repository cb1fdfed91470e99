package dev.imageflow.core.effect;

/** A request naming effects or parameters the catalog does not accept; answered with 400. */
public class InvalidRequestException extends RuntimeException {

    public InvalidRequestException(String message) {
        super(message);
    }
}
