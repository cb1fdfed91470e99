package dev.imageflow.core.job;

import dev.imageflow.core.storage.StoreUnavailableException;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisException;
import io.lettuce.core.api.StatefulRedisConnection;

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

    @Override
    public synchronized void close() {
        if (connection != null) {
            connection.close();
        }
    }
}
