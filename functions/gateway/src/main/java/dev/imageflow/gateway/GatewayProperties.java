package dev.imageflow.gateway;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param sink           where the first step of every job is sent: the Broker (K_SINK from the SinkBinding)
 * @param waitTimeout    how long an upload waits for its job before answering 202 with the job's location
 * @param maxEffects     the most effects one job may chain
 * @param defaultEffects what an upload without {@code effects} gets: seed 001's uploads asked for nothing and got a
 *                       thumbnail
 * @param redriveAfter   how long a job may show no sign of life (no step claimed or recorded) before its next event
 *                       is sent again, as when a Broker lost it with its in-memory channel. Longer than the worst
 *                       case of one delivery in {@code eventing/broker.yaml} (5 tries of up to 2 min plus 7.5 s of
 *                       backoff), so nothing still being retried is sent twice
 * @param maxRedrives    how often one job is re-driven at most; after that only its timeout ends it
 * @param resumeOnStart  re-drive every unfinished job at once when the gateway starts: right where the gateway
 *                       starts together with an in-memory Broker that lost everything it held (the one-machine
 *                       runner), wrong on a cluster whose Broker outlives gateway pods
 * @param jobTimeout     how long a job may run, counted from its creation or its last re-drive; a job unfinished then
 *                       is failed. More than {@code redriveAfter}, so a lost event is re-driven before it times out
 * @param reapInterval   how often the gateway looks for quiet and overdue jobs
 * @param requestPrefix  the only part of the bucket that {@code job.requested} events may name as input, so an
 *                       event cannot make the gateway read other jobs' images
 * @param eventHosts     the hosts under which the CloudEvent endpoints answer ({@code *.} matches any prefix): the
 *                       cluster-local names the Broker delivers to, and loopback for one machine; the public
 *                       route's domain is not among them
 */
@ConfigurationProperties("imageflow.gateway")
public record GatewayProperties(
        URI sink,
        @DefaultValue("60s") Duration waitTimeout,
        @DefaultValue("8") int maxEffects,
        @DefaultValue("thumbnail") String defaultEffects,
        @DefaultValue("11m") Duration redriveAfter,
        @DefaultValue("3") int maxRedrives,
        @DefaultValue("false") boolean resumeOnStart,
        @DefaultValue("30m") Duration jobTimeout,
        @DefaultValue("5s") Duration reapInterval,
        @DefaultValue("uploads/") String requestPrefix,

        @DefaultValue({"*.svc.cluster.local", "*.svc", "localhost", "127.0.0.1", "[::1]"})
        List<String> eventHosts) {}
