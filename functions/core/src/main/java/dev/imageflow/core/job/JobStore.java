package dev.imageflow.core.job;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.imageflow.core.storage.StoreUnavailableException;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.sync.RedisCommands;

/**
 * Every job's record and progress, one Redis hash per job. Each change is one Lua script, so concurrent and
 * redelivered events cannot interleave half-updates: a step is recorded once, and a final status is never
 * overwritten.
 */
public class JobStore {

    /** Published with a job id whenever a job changes, so waiting uploads need not poll. */
    public static final String CHANNEL = "imageflow:job-events";

    private static final String PREFIX = "imageflow:job:";
    private static final String RECENT = "imageflow:jobs";
    /** Unfinished jobs scored by the time by which they must have ended, for {@link #overdue}. */
    private static final String ACTIVE = "imageflow:jobs:active";
    private static final int RECENT_KEPT = 100;
    private static final String STEP_FIELD = "step:";

    private static final String CREATE = """
            if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
            redis.call('HSET', KEYS[1], unpack(ARGV, 4))
            redis.call('EXPIRE', KEYS[1], ARGV[1])
            redis.call('LPUSH', KEYS[2], ARGV[2])
            redis.call('LTRIM', KEYS[2], 0, %d)
            redis.call('ZADD', KEYS[3], ARGV[3], ARGV[2])
            return 1
            """.formatted(RECENT_KEPT - 1);

    // 1 recorded, 0 already recorded (a redelivery), -1 no such job, -2 job already final
    private static final String RECORD_STEP = """
            local status = redis.call('HGET', KEYS[1], 'status')
            if not status then return -1 end
            if status == 'done' or status == 'failed' then return -2 end
            if redis.call('HSETNX', KEYS[1], ARGV[1], ARGV[2]) == 0 then return 0 end
            redis.call('HSET', KEYS[1], 'status', 'running', 'updatedAt', ARGV[3])
            redis.call('EXPIRE', KEYS[1], ARGV[4])
            redis.call('PUBLISH', KEYS[2], ARGV[5])
            return 1
            """;

    // 1 finished now, 0 was final already, -1 no such job
    private static final String FINISH = """
            local status = redis.call('HGET', KEYS[1], 'status')
            if not status then return -1 end
            if status == 'done' or status == 'failed' then return 0 end
            redis.call('HSET', KEYS[1], 'status', ARGV[1], ARGV[2], ARGV[3], 'updatedAt', ARGV[4])
            redis.call('EXPIRE', KEYS[1], ARGV[5])
            redis.call('ZREM', KEYS[3], ARGV[6])
            redis.call('PUBLISH', KEYS[2], ARGV[6])
            return 1
            """;

    private final RedisConnection connection;
    private final ObjectMapper json;
    private final RedisProperties properties;
    private final Clock clock;

    public JobStore(RedisConnection connection, ObjectMapper json, RedisProperties properties,
            Clock clock) {
        this.connection = connection;
        this.json = json;
        this.properties = properties;
        this.clock = clock;
    }

    /**
     * @param timeout how long the job may take; after that {@link #overdue} lists it, so that it is failed rather
     *                than left running when its events were lost (a crashed pod, a lost Broker)
     * @return false when a job with this id exists already
     */
    public boolean create(JobRecord job, Duration timeout) {
        String deadline = Long.toString(job.createdAt().plus(timeout).toEpochMilli());
        List<String> args = new ArrayList<>(List.of(ttlSeconds(), job.id(), deadline,
                "id", job.id(),
                "status", job.status().wire(),
                "effects", write(job.effects()),
                "params", write(job.params()),
                "original", job.original(),
                "contentType", job.contentType(),
                "createdAt", job.createdAt().toString(),
                "updatedAt", job.updatedAt().toString()));
        return this.<Long>redis(r -> r.eval(CREATE, ScriptOutputType.INTEGER, new String[] {key(job.id()), RECENT, ACTIVE},
                args.toArray(String[]::new))) == 1L;
    }

    public Optional<JobRecord> find(String id) {
        Map<String, String> hash = redis(r -> r.hgetall(key(id)));
        if (hash == null || hash.isEmpty() || !hash.containsKey("status")) {
            return Optional.empty();
        }
        List<StepRecord> steps = new ArrayList<>();
        hash.forEach((field, value) -> {
            if (field.startsWith(STEP_FIELD)) {
                steps.add(read(value, new TypeReference<StepRecord>() { }));
            }
        });
        steps.sort(Comparator.comparingInt(StepRecord::step));
        return Optional.of(new JobRecord(id, JobStatus.fromWire(hash.get("status")),
                read(hash.get("effects"), new TypeReference<List<String>>() { }),
                read(hash.get("params"), new TypeReference<Map<String, String>>() { }),
                hash.get("original"), hash.get("contentType"), hash.get("output"), hash.get("error"),
                Instant.parse(hash.get("createdAt")), Instant.parse(hash.get("updatedAt")), steps));
    }

    /** The step as recorded by whoever processed it first, if anyone did. */
    public Optional<StepRecord> findStep(String id, int step) {
        String value = redis(r -> r.hget(key(id), STEP_FIELD + step));
        return Optional.ofNullable(value).map(v -> read(v, new TypeReference<StepRecord>() { }));
    }

    public StepOutcome recordStep(String id, StepRecord step) {
        long result = this.<Long>redis(r -> r.eval(RECORD_STEP, ScriptOutputType.INTEGER, new String[] {key(id), CHANNEL},
                STEP_FIELD + step.step(), write(step), now(), ttlSeconds(), id));
        return switch ((int) result) {
            case 1 -> StepOutcome.RECORDED;
            case 0 -> StepOutcome.ALREADY_RECORDED;
            case -1 -> StepOutcome.NO_SUCH_JOB;
            default -> StepOutcome.JOB_FINISHED;
        };
    }

    /** @return true when this call ended the job; false when it had ended already or does not exist */
    public boolean complete(String id, String output) {
        return finish(id, JobStatus.DONE, "output", output);
    }

    /** @return true when this call ended the job; false when it had ended already or does not exist */
    public boolean fail(String id, String error) {
        return finish(id, JobStatus.FAILED, "error", error);
    }

    /** Removes a job that never started, when what should have followed its creation did not happen. */
    public void delete(String id) {
        redis(r -> {
            r.del(key(id));
            r.zrem(ACTIVE, id);
            return r.lrem(RECENT, 0, id);
        });
    }

    /** Unfinished jobs whose time is up at {@code now}, oldest first. */
    public List<String> overdue(Instant now, int limit) {
        return redis(r -> r.zrangebyscore(ACTIVE, io.lettuce.core.Range.create(0, (double) now.toEpochMilli()),
                io.lettuce.core.Limit.create(0, limit)));
    }

    /** Forgets an overdue entry whose job record has expired already. */
    public void forgetOverdue(String id) {
        redis(r -> r.zrem(ACTIVE, id));
    }

    /** The ids of the most recently created jobs, newest first. */
    public List<String> recent(int count) {
        return redis(r -> r.lrange(RECENT, 0, Math.min(count, RECENT_KEPT) - 1));
    }

    private boolean finish(String id, JobStatus status, String field, String value) {
        return this.<Long>redis(r -> r.eval(FINISH, ScriptOutputType.INTEGER, new String[] {key(id), CHANNEL, ACTIVE},
                status.wire(), field, value, now(), ttlSeconds(), id)) == 1L;
    }

    private <T> T redis(java.util.function.Function<RedisCommands<String, String>, T> command) {
        try {
            return command.apply(connection.get().sync());
        } catch (RedisCommandExecutionException e) {
            throw e;
        } catch (RedisException e) {
            throw new StoreUnavailableException("Redis", e);
        }
    }

    private String key(String id) {
        return PREFIX + id;
    }

    private String now() {
        return clock.instant().toString();
    }

    private String ttlSeconds() {
        return Long.toString(properties.jobTtl().toSeconds());
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private <T> T read(String value, TypeReference<T> type) {
        try {
            return json.readValue(value, type);
        } catch (IOException e) {
            throw new IllegalStateException("unreadable job field: " + value, e);
        }
    }

    /** What {@link #recordStep} found. */
    public enum StepOutcome {
        RECORDED, ALREADY_RECORDED, NO_SUCH_JOB, JOB_FINISHED
    }
}
