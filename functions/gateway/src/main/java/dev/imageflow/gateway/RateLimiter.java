package dev.imageflow.gateway;

import dev.imageflow.core.job.RedisConnection;
import dev.imageflow.core.storage.StoreUnavailableException;
import io.lettuce.core.ScriptOutputType;
import java.time.Duration;

/**
 * One limit for a client across every gateway pod: the state is in Redis, one key per client, so a client that
 * Knative's load balancing spreads over five pods gets the rate once, not five times. The generic cell rate
 * algorithm (GCRA): the key holds the time at which the client's bucket would be empty again; a request moves it
 * one interval on unless that would put it more than {@code burst} intervals ahead. One Lua script reads and moves
 * it, so concurrent requests cannot both take the last place, and the clock is Redis' own ({@code TIME}), so pods
 * with skewed clocks agree. The key expires when the bucket is full again, so idle clients cost nothing.
 */
public class RateLimiter {

    private static final String PREFIX = "imageflow:rate:";

    // 0 allowed (and counted), else the milliseconds until one more would be allowed
    private static final String TAKE = """
            local time = redis.call('TIME')
            local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
            local interval = tonumber(ARGV[1])
            local ahead = interval * tonumber(ARGV[2])
            local tat = tonumber(redis.call('GET', KEYS[1]) or '0')
            if tat < now then tat = now end
            local nextTat = tat + interval
            if nextTat - now > ahead then return nextTat - now - ahead end
            redis.call('SET', KEYS[1], string.format('%d', nextTat), 'PX', string.format('%d', nextTat - now))
            return 0
            """;

    private final RedisConnection connection;
    private final long intervalMillis;
    private final int burst;

    public RateLimiter(RedisConnection connection, int requestsPerMinute, int burst) {
        if (requestsPerMinute < 1 || burst < 1) {
            throw new IllegalArgumentException("a rate limit needs at least 1 request per minute and a burst of 1");
        }
        this.connection = connection;
        this.intervalMillis = Math.max(1, Duration.ofMinutes(1).toMillis() / requestsPerMinute);
        this.burst = burst;
    }

    /**
     * Counts one request of {@code client} if the limit allows it.
     *
     * @return zero if allowed, else how long the client must wait before one more is
     * @throws StoreUnavailableException when Redis does not answer
     */
    public Duration take(String client) {
        Long wait = connection.<Long>call(redis -> redis.eval(
                TAKE,
                ScriptOutputType.INTEGER,
                new String[] {PREFIX + client},
                Long.toString(intervalMillis),
                Integer.toString(burst)));
        return Duration.ofMillis(wait);
    }
}
