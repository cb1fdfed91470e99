package dev.imageflow.gateway;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.imageflow.core.web.ApiError;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;

/**
 * A refusal written by a servlet filter, in the same {@link ApiError} JSON as {@code ApiErrors} answers from a
 * controller: a filter runs before Spring MVC, whose exception handlers never see what it throws.
 */
final class FilterAnswers {

    private FilterAnswers() {}

    static void refuse(ObjectMapper json, HttpServletResponse response, HttpStatus status, String message)
            throws IOException {
        response.setStatus(status.value());
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        json.writeValue(response.getOutputStream(), new ApiError(status.value(), message));
    }
}
