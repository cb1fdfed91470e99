package dev.imageflow.gateway;

import dev.imageflow.core.job.JobChanges;
import dev.imageflow.core.job.JobRecord;
import dev.imageflow.core.job.JobStore;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.springframework.stereotype.Component;

/**
 * Lets an upload wait for its job. The job may be finished by another gateway pod (whichever one the Broker
 * delivers the completion to), so waiting goes through Redis: {@link JobChanges} wakes the waiters of a job that
 * changed, which then read the record. A slow poll covers messages lost while the subscription reconnects.
 */
@Component
public class JobWaiter {

    private static final Duration POLL = Duration.ofSeconds(1);

    private final JobStore jobs;
    private final JobChanges changes;
    private final Map<String, Set<CompletableFuture<Void>>> waiting = new ConcurrentHashMap<>();

    public JobWaiter(JobStore jobs, JobChanges changes) {
        this.jobs = jobs;
        this.changes = changes;
        changes.listen(id -> {
            Set<CompletableFuture<Void>> waiters = waiting.get(id);
            if (waiters != null) {
                waiters.forEach(w -> w.complete(null));
            }
        });
    }

    /**
     * @return the job once final, or as it is when {@code timeout} passes; empty when there is no such job
     */
    public Optional<JobRecord> awaitFinal(String id, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        if (!timeout.isZero() && !timeout.isNegative()) {
            // Only a wait needs the feed: a Prefer: respond-async upload (zero) reads the job once, and a cold
            // gateway's first such upload would otherwise open the pub/sub connection before it could answer.
            changes.subscribe();
        }
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
}
