package dev.imageflow.gateway;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

import dev.imageflow.core.job.JobRecord;
import dev.imageflow.core.job.JobStore;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisException;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;

/**
 * Lets an upload wait for its job. The job may be finished by another gateway pod (whichever one the Broker
 * delivers the completion to), so waiting goes through Redis: the job store publishes every change and this
 * wakes the waiters of that job, which then read the record. A slow poll covers messages lost while the
 * subscription reconnects.
 */
@Component
public class JobWaiter implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(JobWaiter.class);
    private static final Duration POLL = Duration.ofSeconds(1);

    private final JobStore jobs;
    private final Map<String, Set<CompletableFuture<Void>>> waiting = new ConcurrentHashMap<>();
    private final RedisClient redisClient;
    private volatile StatefulRedisPubSubConnection<String, String> subscription;

    public JobWaiter(JobStore jobs, RedisClient redisClient) {
        this.jobs = jobs;
        this.redisClient = redisClient;
    }

    /**
     * @return the job once final, or as it is when {@code timeout} passes; empty when there is no such job
     */
    public Optional<JobRecord> awaitFinal(String id, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        subscribeOnce();
        while (true) {
            CompletableFuture<Void> changed = new CompletableFuture<>();
            waiting.computeIfAbsent(id, k -> ConcurrentHashMap.newKeySet()).add(changed);
            try {
                Optional<JobRecord> job = jobs.find(id);
                long remaining = deadline - System.nanoTime();
                if (job.isEmpty() || job.get().status().isFinal() || remaining <= 0) {
                    return job;
                }
                changed.get(Math.min(remaining, POLL.toNanos()), TimeUnit.NANOSECONDS);
            } catch (TimeoutException | ExecutionException e) {
                // poll again
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return jobs.find(id);
            } finally {
                waiting.computeIfPresent(id, (k, set) -> {
                    set.remove(changed);
                    return set.isEmpty() ? null : set;
                });
            }
        }
    }

    /** Subscribes on first need, and again after Redis was unreachable; Lettuce resubscribes after reconnects. */
    private synchronized void subscribeOnce() {
        if (subscription != null) {
            return;
        }
        try {
            StatefulRedisPubSubConnection<String, String> connection = redisClient.connectPubSub();
            connection.addListener(new RedisPubSubAdapter<>() {
                @Override
                public void message(String channel, String id) {
                    Set<CompletableFuture<Void>> waiters = waiting.get(id);
                    if (waiters != null) {
                        waiters.forEach(w -> w.complete(null));
                    }
                }
            });
            connection.sync().subscribe(JobStore.CHANNEL);
            subscription = connection;
        } catch (RedisException e) {
            log.warn("cannot subscribe to job events ({}); waiting uploads poll until it can", e.getMessage());
        }
    }

    @Override
    public void destroy() {
        if (subscription != null) {
            subscription.close();
        }
    }
}
