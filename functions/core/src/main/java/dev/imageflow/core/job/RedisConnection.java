package dev.imageflow.core.job;

import dev.imageflow.core.storage.StoreUnavailableException;
import io.lettuce.core.LettuceFutures;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The one shared Redis connection, opened on first use rather than at start: a function whose Redis is not up yet
 * (a fresh cluster, a Redis restart) starts anyway and answers 503 until it is, instead of failing to start and
 * crash-looping. Once open, Lettuce reconnects by itself.
 */
public class RedisConnection implements AutoCloseable {

    private final RedisClient client;
    private volatile StatefulRedisConnection<String, String> connection;

    public RedisConnection(RedisClient client) {
        this.client = client;
    }

    public StatefulRedisConnection<String, String> get() {
        StatefulRedisConnection<String, String> open = connection;
        if (open != null) {
            return open;
        }
        synchronized (this) {
            if (connection == null) {
                try {
                    connection = client.connect();
                } catch (RedisException e) {
                    throw new StoreUnavailableException("Redis", e);
                }
            }
            return connection;
        }
    }

    /**
     * Sends one command and waits for its answer as long as Lettuce's sync API would: the client's command timeout
     * where it sets one (the functions' does), else the connection's. Not for MULTI/EXEC, which nothing here uses.
     *
     * @throws StoreUnavailableException when Redis cannot be reached or does not answer in time
     * @throws RedisCommandExecutionException when Redis answers with an error (a script's, a wrong type)
     */
    public <T> T call(Function<RedisAsyncCommands<String, String>, RedisFuture<T>> command) {
        StatefulRedisConnection<String, String> open = get();
        try {
            return LettuceFutures.awaitOrCancel(command.apply(open.async()), waitNanos(open), TimeUnit.NANOSECONDS);
        } catch (RedisCommandExecutionException e) {
            throw e;
        } catch (RedisException e) {
            throw new StoreUnavailableException("Redis", e);
        }
    }

    private static long waitNanos(StatefulRedisConnection<String, String> open) {
        TimeoutOptions timeouts = open.getOptions().getTimeoutOptions();
        if (timeouts.isTimeoutCommands() && timeouts.getSource() != null) {
            long timeout = timeouts.getSource().getTimeout(null);
            if (timeout > 0) {
                return timeouts.getSource().getTimeUnit().toNanos(timeout);
            }
        }
        return open.getTimeout().toNanos();
    }

    @Override
    public synchronized void close() {
        if (connection != null) {
            connection.close();
        }
    }
}
