package dev.imageflow.core.job;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.async.RedisAsyncCommands;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

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
    /** Unfinished jobs scored by their last sign of life (created, a step claimed or recorded, re-driven). */
    private static final String ACTIVITY = "imageflow:jobs:activity";

    private static final int RECENT_KEPT = 100;
    private static final String STEP_FIELD = "step:";
    private static final String CLAIM_FIELD = "claim:";

    private static final String CREATE = """
            if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
            redis.call('HSET', KEYS[1], unpack(ARGV, 5))
            redis.call('EXPIRE', KEYS[1], ARGV[1])
            redis.call('LPUSH', KEYS[2], ARGV[2])
            redis.call('LTRIM', KEYS[2], 0, %d)
            redis.call('ZADD', KEYS[3], ARGV[3], ARGV[2])
            redis.call('ZADD', KEYS[4], ARGV[4], ARGV[2])
            return 1
            """.formatted(RECENT_KEPT - 1);

    // 1 claimed, 0 step recorded already, -1 no such job, -2 job final, -3 another delivery holds a live claim
    private static final String CLAIM = """
            local status = redis.call('HGET', KEYS[1], 'status')
            if not status then return -1 end
            if status == 'done' or status == 'failed' then return -2 end
            if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 1 then return 0 end
            local held = redis.call('HGET', KEYS[1], ARGV[2])
            if held then
              local sep = string.find(held, '|', 1, true)
              if string.sub(held, 1, sep - 1) ~= ARGV[3] and tonumber(string.sub(held, sep + 1)) > tonumber(ARGV[4]) then
                return -3
              end
            end
            redis.call('HSET', KEYS[1], ARGV[2], ARGV[3] .. '|' .. ARGV[5])
            redis.call('ZADD', KEYS[2], 'XX', ARGV[4], ARGV[6])
            return 1
            """;

    private static final String RELEASE = """
            local held = redis.call('HGET', KEYS[1], ARGV[1])
            if held and string.sub(held, 1, string.len(ARGV[2]) + 1) == ARGV[2] .. '|' then
              redis.call('HDEL', KEYS[1], ARGV[1])
            end
            return 1
            """;

    // 1 recorded, 0 already recorded (a redelivery), -1 no such job, -2 job already final
    private static final String RECORD_STEP = """
            local status = redis.call('HGET', KEYS[1], 'status')
            if not status then return -1 end
            if status == 'done' or status == 'failed' then return -2 end
            redis.call('HDEL', KEYS[1], ARGV[6])
            if redis.call('HSETNX', KEYS[1], ARGV[1], ARGV[2]) == 0 then return 0 end
            redis.call('HSET', KEYS[1], 'status', 'running', 'updatedAt', ARGV[3])
            redis.call('EXPIRE', KEYS[1], ARGV[4])
            redis.call('ZADD', KEYS[3], 'XX', ARGV[7], ARGV[5])
            redis.call('PUBLISH', KEYS[2], ARGV[5])
            return 1
            """;

    // 1 recorded (or the same error was already), 0 another error was recorded first, -1 no such job, -2 final
    private static final String RECORD_STEP_ERROR = """
            local status = redis.call('HGET', KEYS[1], 'status')
            if not status then return -1 end
            if status == 'done' or status == 'failed' then return -2 end
            redis.call('HDEL', KEYS[1], ARGV[3])
            if redis.call('HSETNX', KEYS[1], 'stepError', ARGV[1]) == 1 then
              redis.call('HSET', KEYS[1], 'updatedAt', ARGV[2])
              return 1
            end
            if redis.call('HGET', KEYS[1], 'stepError') == ARGV[1] then return 1 end
            return 0
            """;

    // 1 finished now, 0 was final already, -1 no such job
    private static final String FINISH = """
            local status = redis.call('HGET', KEYS[1], 'status')
            if not status then return -1 end
            if status == 'done' or status == 'failed' then return 0 end
            redis.call('HSET', KEYS[1], 'status', ARGV[1], ARGV[2], ARGV[3], 'updatedAt', ARGV[4])
            redis.call('EXPIRE', KEYS[1], ARGV[5])
            redis.call('ZREM', KEYS[3], ARGV[6])
            redis.call('ZREM', KEYS[4], ARGV[6])
            redis.call('PUBLISH', KEYS[2], ARGV[6])
            return 1
            """;

    // 1 re-drive now, 0 not quiet, -1 gone, -2 final, -3 re-driven as often as allowed. Lapsed claims are cleared,
    // and live ones too when the caller knows their holders are dead (a restarted one-machine stack), so the
    // re-driven step need not wait for their leases. The deadline starts again.
    private static final String REDRIVE = """
            local status = redis.call('HGET', KEYS[1], 'status')
            if not status or status == 'done' or status == 'failed' then
              redis.call('ZREM', KEYS[2], ARGV[5])
              if not status then return -1 end
              return -2
            end
            local last = redis.call('ZSCORE', KEYS[2], ARGV[5])
            if last and tonumber(last) > tonumber(ARGV[1]) then return 0 end
            local n = tonumber(redis.call('HGET', KEYS[1], 'redrives') or '0')
            if n >= tonumber(ARGV[3]) then return -3 end
            for _, field in ipairs(redis.call('HKEYS', KEYS[1])) do
              if string.sub(field, 1, 6) == 'claim:' then
                local held = redis.call('HGET', KEYS[1], field)
                local sep = string.find(held, '|', 1, true)
                if ARGV[6] == '1' or tonumber(string.sub(held, sep + 1)) <= tonumber(ARGV[2]) then
                  redis.call('HDEL', KEYS[1], field)
                end
              end
            end
            redis.call('HSET', KEYS[1], 'redrives', n + 1)
            redis.call('ZADD', KEYS[2], ARGV[2], ARGV[5])
            redis.call('ZADD', KEYS[3], ARGV[4], ARGV[5])
            return 1
            """;

    private final RedisConnection connection;
    private final ObjectMapper json;
    private final RedisProperties properties;
    private final Clock clock;

    public JobStore(RedisConnection connection, ObjectMapper json, RedisProperties properties, Clock clock) {
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
        List<String> args = new ArrayList<>(List.of(
                ttlSeconds(),
                job.id(),
                deadline,
                Long.toString(job.createdAt().toEpochMilli()),
                "id",
                job.id(),
                "status",
                job.status().wire(),
                "effects",
                write(job.effects()),
                "params",
                write(job.params()),
                "original",
                job.original(),
                "contentType",
                job.contentType(),
                "createdAt",
                job.createdAt().toString(),
                "updatedAt",
                job.updatedAt().toString()));
        return this.<Long>redis(r -> r.eval(
                        CREATE,
                        ScriptOutputType.INTEGER,
                        new String[] {key(job.id()), RECENT, ACTIVE, ACTIVITY},
                        args.toArray(String[]::new)))
                == 1L;
    }

    public Optional<JobRecord> find(String id) {
        Map<String, String> hash = redis(r -> r.hgetall(key(id)));
        if (hash == null || hash.isEmpty() || !hash.containsKey("status")) {
            return Optional.empty();
        }
        List<StepRecord> steps = new ArrayList<>();
        hash.forEach((field, value) -> {
            if (field.startsWith(STEP_FIELD)) {
                steps.add(read(value, new TypeReference<StepRecord>() {}));
            }
        });
        steps.sort(Comparator.comparingInt(StepRecord::step));
        return Optional.of(new JobRecord(
                id,
                JobStatus.fromWire(hash.get("status")),
                read(hash.get("effects"), new TypeReference<List<String>>() {}),
                read(hash.get("params"), new TypeReference<Map<String, String>>() {}),
                hash.get("original"),
                hash.get("contentType"),
                hash.get("output"),
                hash.get("error"),
                Instant.parse(hash.get("createdAt")),
                Instant.parse(hash.get("updatedAt")),
                steps,
                hash.get("stepError"),
                Integer.parseInt(hash.getOrDefault("redrives", "0"))));
    }

    /** The step as recorded by whoever processed it first, if anyone did. */
    public Optional<StepRecord> findStep(String id, int step) {
        String value = redis(r -> r.hget(key(id), STEP_FIELD + step));
        return Optional.ofNullable(value).map(v -> read(v, new TypeReference<StepRecord>() {}));
    }

    /**
     * Takes step {@code step} of the job for the delivery {@code token}, so that concurrent copies of one event do
     * the work once. A claim lapses after {@code lease}: a delivery that died holding it does not block the step.
     */
    public ClaimOutcome claimStep(String id, int step, String token, Duration lease) {
        long now = clock.millis();
        long result = this.<Long>redis(r -> r.eval(
                CLAIM,
                ScriptOutputType.INTEGER,
                new String[] {key(id), ACTIVITY},
                STEP_FIELD + step,
                CLAIM_FIELD + step,
                token,
                Long.toString(now),
                Long.toString(now + lease.toMillis()),
                id));
        return switch ((int) result) {
            case 1 -> ClaimOutcome.CLAIMED;
            case 0 -> ClaimOutcome.ALREADY_RECORDED;
            case -1 -> ClaimOutcome.NO_SUCH_JOB;
            case -2 -> ClaimOutcome.JOB_FINISHED;
            default -> ClaimOutcome.HELD_ELSEWHERE;
        };
    }

    /** Gives up a claim this delivery holds, when its work failed and another delivery should try at once. */
    public void releaseStep(String id, int step, String token) {
        redis(r -> r.eval(RELEASE, ScriptOutputType.INTEGER, new String[] {key(id)}, CLAIM_FIELD + step, token));
    }

    public StepOutcome recordStep(String id, StepRecord step) {
        long result = this.<Long>redis(r -> r.eval(
                RECORD_STEP,
                ScriptOutputType.INTEGER,
                new String[] {key(id), CHANNEL, ACTIVITY},
                STEP_FIELD + step.step(),
                write(step),
                now(),
                ttlSeconds(),
                id,
                CLAIM_FIELD + step.step(),
                Long.toString(clock.millis())));
        return switch ((int) result) {
            case 1 -> StepOutcome.RECORDED;
            case 0 -> StepOutcome.ALREADY_RECORDED;
            case -1 -> StepOutcome.NO_SUCH_JOB;
            default -> StepOutcome.JOB_FINISHED;
        };
    }

    /**
     * Records why step {@code step} refused its input, before the step announces the job's failure: the gateway
     * fails a job only for an error its record holds.
     *
     * @return true when this error is the job's recorded step error
     */
    public boolean recordStepError(String id, int step, String error) {
        return this.<Long>redis(r -> r.eval(
                        RECORD_STEP_ERROR,
                        ScriptOutputType.INTEGER,
                        new String[] {key(id)},
                        error,
                        now(),
                        CLAIM_FIELD + step))
                == 1L;
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
        redis(r -> r.del(key(id)));
        redis(r -> r.zrem(ACTIVE, id));
        redis(r -> r.zrem(ACTIVITY, id));
        redis(r -> r.lrem(RECENT, 0, id));
    }

    /** Unfinished jobs whose time is up at {@code now}, oldest first. */
    public List<String> overdue(Instant now, int limit) {
        return redis(r -> r.zrangebyscore(
                ACTIVE,
                io.lettuce.core.Range.create(0, (double) now.toEpochMilli()),
                io.lettuce.core.Limit.create(0, limit)));
    }

    /** Unfinished jobs with no sign of life since {@code before}, longest quiet first. */
    public List<String> quietSince(Instant before, int limit) {
        return redis(r -> r.zrangebyscore(
                ACTIVITY,
                io.lettuce.core.Range.create(0, (double) before.toEpochMilli()),
                io.lettuce.core.Limit.create(0, limit)));
    }

    /**
     * Lets one caller send the job's next event again, when it has been quiet since {@code quietSince} and has
     * been re-driven fewer than {@code maxRedrives} times. The job's deadline then counts again from now.
     *
     * @param holdersDead the deliveries holding claims on the job's steps are known to be gone, so their claims
     *                    are cleared before their leases lapse
     */
    public RedriveOutcome redrive(
            String id, Instant quietSince, int maxRedrives, Duration timeout, boolean holdersDead) {
        Instant now = clock.instant();
        long result = this.<Long>redis(r -> r.eval(
                REDRIVE,
                ScriptOutputType.INTEGER,
                new String[] {key(id), ACTIVITY, ACTIVE},
                Long.toString(quietSince.toEpochMilli()),
                Long.toString(now.toEpochMilli()),
                Integer.toString(maxRedrives),
                Long.toString(now.plus(timeout).toEpochMilli()),
                id,
                holdersDead ? "1" : "0"));
        return switch ((int) result) {
            case 1 -> RedriveOutcome.REDRIVE;
            case 0 -> RedriveOutcome.NOT_QUIET;
            case -3 -> RedriveOutcome.EXHAUSTED;
            default -> RedriveOutcome.ENDED;
        };
    }

    /** Forgets an overdue entry whose job record has expired already. */
    public void forgetOverdue(String id) {
        redis(r -> r.zrem(ACTIVE, id));
    }

    /** How long the job's record is still kept, if there is one. */
    public Optional<Duration> timeToLive(String id) {
        long seconds = redis(r -> r.ttl(key(id)));
        return seconds < 0 ? Optional.empty() : Optional.of(Duration.ofSeconds(seconds));
    }

    /** How many jobs the listing of recent ones holds (at most the last {@value #RECENT_KEPT} created). */
    public long recentCount() {
        return redis(r -> r.llen(RECENT));
    }

    /** The ids of the most recently created jobs, newest first. */
    public List<String> recent(int count) {
        return redis(r -> r.lrange(RECENT, 0, Math.min(count, RECENT_KEPT) - 1));
    }

    private boolean finish(String id, JobStatus status, String field, String value) {
        return this.<Long>redis(r -> r.eval(
                        FINISH,
                        ScriptOutputType.INTEGER,
                        new String[] {key(id), CHANNEL, ACTIVE, ACTIVITY},
                        status.wire(),
                        field,
                        value,
                        now(),
                        ttlSeconds(),
                        id))
                == 1L;
    }

    private <T> T redis(java.util.function.Function<RedisAsyncCommands<String, String>, RedisFuture<T>> command) {
        return connection.call(command);
    }

    /** The Redis key of a job's record (a hash), for those who read Redis by hand: tests, operators. */
    public static String key(String id) {
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
        RECORDED,
        ALREADY_RECORDED,
        NO_SUCH_JOB,
        JOB_FINISHED
    }

    /** What {@link #claimStep} found. */
    public enum ClaimOutcome {
        CLAIMED,
        ALREADY_RECORDED,
        HELD_ELSEWHERE,
        NO_SUCH_JOB,
        JOB_FINISHED
    }

    /** What {@link #redrive} decided. */
    public enum RedriveOutcome {
        REDRIVE,
        NOT_QUIET,
        EXHAUSTED,
        ENDED
    }
}
