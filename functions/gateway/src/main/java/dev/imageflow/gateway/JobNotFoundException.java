package dev.imageflow.gateway;

import org.springframework.http.HttpStatus;
import org.springframework.web.server.ResponseStatusException;

/** No job with this id: never created, or expired (see {@code imageflow.redis.job-ttl}). */
public class JobNotFoundException extends ResponseStatusException {

    public JobNotFoundException(String id) {
        super(HttpStatus.NOT_FOUND, "no job " + id);
    }
}
