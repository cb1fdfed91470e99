package dev.imageflow.core.job;

import java.time.Duration;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param url            e.g. {@code redis://redis.imageflow:6379/0}
 * @param commandTimeout how long a command may wait; short, so an outage turns into a 503 instead of a hung upload
 * @param jobTtl         how long a job record is kept after its last change
 */
public record RedisProperties(
        @DefaultValue("redis://localhost:6379") String url,
        @DefaultValue("5s") Duration commandTimeout,
        @DefaultValue("24h") Duration jobTtl) {}
