package dev.imageflow.gateway;

import java.net.URI;
import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param sink          where the first step of every job is sent: the Broker (K_SINK from the SinkBinding)
 * @param waitTimeout   how long an upload waits for its job before answering 202 with the job's location
 * @param maxEffects    the most effects one job may chain
 * @param defaultEffects what an upload without {@code effects} gets: seed 001's uploads asked for nothing and got a
 *                       thumbnail
 * @param jobTimeout    how long a job may run; a job still unfinished then (its events lost to a crash) is failed
 * @param reapInterval  how often the gateway looks for such jobs
 * @param requestPrefix the only part of the bucket that {@code job.requested} events may name as input, so an
 *                      event cannot make the gateway read other jobs' images
 */
@ConfigurationProperties("imageflow.gateway")
public record GatewayProperties(
        URI sink,
        @DefaultValue("60s") Duration waitTimeout,
        @DefaultValue("8") int maxEffects,
        @DefaultValue("thumbnail") String defaultEffects,
        @DefaultValue("10m") Duration jobTimeout,
        @DefaultValue("5s") Duration reapInterval,
        @DefaultValue("uploads/") String requestPrefix) {
}
