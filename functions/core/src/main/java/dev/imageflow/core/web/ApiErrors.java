package dev.imageflow.core.web;

import dev.imageflow.core.effect.InvalidRequestException;
import dev.imageflow.core.error.NotFoundException;
import dev.imageflow.core.error.TryLaterException;
import dev.imageflow.core.event.MalformedEventException;
import dev.imageflow.core.image.ImageRejectedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.messaging.converter.MessageConversionException;
import org.springframework.web.ErrorResponse;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.multipart.MaxUploadSizeExceededException;

/**
 * Maps the pipeline's exceptions to HTTP answers, the same in every function. The status classes matter to the
 * Broker: it retries 5xx (a store was down, try later) and dead-letters 4xx at once (the event itself is wrong).
 */
@RestControllerAdvice
public class ApiErrors {

    private static final Logger log = LoggerFactory.getLogger(ApiErrors.class);

    /** Seconds a client should wait after a 503 before trying again. */
    public static final String RETRY_AFTER_SECONDS = "5";

    @ExceptionHandler(ImageRejectedException.class)
    ResponseEntity<ApiError> rejected(ImageRejectedException e) {
        return answer(
                switch (e.reason()) {
                    case EMPTY -> HttpStatus.BAD_REQUEST;
                    case TOO_LARGE -> HttpStatus.PAYLOAD_TOO_LARGE;
                    case UNSUPPORTED -> HttpStatus.UNSUPPORTED_MEDIA_TYPE;
                    case DAMAGED -> HttpStatus.UNPROCESSABLE_ENTITY;
                    case MISSING -> HttpStatus.NOT_FOUND;
                },
                e.getMessage());
    }

    @ExceptionHandler(NotFoundException.class)
    ResponseEntity<ApiError> notFound(NotFoundException e) {
        return answer(HttpStatus.NOT_FOUND, e.getMessage());
    }

    @ExceptionHandler({InvalidRequestException.class, MalformedEventException.class})
    ResponseEntity<ApiError> invalid(RuntimeException e) {
        return answer(HttpStatus.BAD_REQUEST, e.getMessage());
    }

    @ExceptionHandler(TryLaterException.class)
    ResponseEntity<ApiError> unavailable(TryLaterException e) {
        log.warn("{}", e.getMessage());
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
                .header(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS)
                .body(new ApiError(503, e.getMessage()));
    }

    /**
     * Spring Cloud Function wraps what a function throws; the cause decides the answer.
     */
    @ExceptionHandler(Exception.class)
    ResponseEntity<ApiError> other(Exception e) {
        if (e instanceof MaxUploadSizeExceededException) {
            return answer(HttpStatus.PAYLOAD_TOO_LARGE, "the upload is larger than the limit");
        }
        if (e instanceof MethodArgumentTypeMismatchException mismatch) {
            String type = mismatch.getRequiredType() == null
                    ? "another type"
                    : mismatch.getRequiredType().getSimpleName();
            return answer(
                    HttpStatus.BAD_REQUEST,
                    "parameter '" + mismatch.getName() + "' must be "
                            + ("int".equals(type) || "Integer".equals(type) ? "a whole number" : "a " + type)
                            + ", not '"
                            + mismatch.getValue() + "'");
        }
        if (e instanceof ErrorResponse response) {
            // Spring MVC's own refusals (missing part, wrong method, unknown path) with their status and detail.
            String detail = response.getBody().getDetail();
            return answer(response.getStatusCode(), detail != null ? detail : e.getMessage());
        }
        if (e instanceof HttpMessageNotReadableException
                || e instanceof MessageConversionException
                || e instanceof IllegalArgumentException && isCloudEventError(e)) {
            return answer(HttpStatus.BAD_REQUEST, "malformed request: " + e.getMessage());
        }
        Throwable cause = e;
        while (cause.getCause() != null && cause != cause.getCause()) {
            cause = cause.getCause();
            if (cause instanceof ImageRejectedException rejected) {
                return rejected(rejected);
            }
            if (cause instanceof InvalidRequestException || cause instanceof MalformedEventException) {
                return invalid((RuntimeException) cause);
            }
            if (cause instanceof TryLaterException later) {
                return unavailable(later);
            }
        }
        log.error("request failed", e);
        return answer(
                HttpStatus.INTERNAL_SERVER_ERROR,
                "internal error: " + e.getClass().getSimpleName()
                        + (e.getMessage() == null ? "" : ": " + e.getMessage()));
    }

    private static boolean isCloudEventError(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t.getClass().getName().startsWith("io.cloudevents")) {
                return true;
            }
        }
        return false;
    }

    public static ResponseEntity<ApiError> answer(HttpStatusCode status, String message) {
        return ResponseEntity.status(status).body(new ApiError(status.value(), message));
    }
}
