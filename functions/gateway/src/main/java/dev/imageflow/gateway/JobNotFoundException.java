package dev.imageflow.gateway;

import dev.imageflow.core.error.NotFoundException;

/** No job with this id: never created, or expired (see {@code imageflow.redis.job-ttl}). */
public class JobNotFoundException extends NotFoundException {

    public JobNotFoundException(String id) {
        super("no job " + id);
    }
}
