package dev.imageflow.core.job;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisException;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The change feed of {@link JobStore}: every recorded step and every final status is published on
 * {@link JobStore#CHANNEL} with the job's id, in the same Lua script that writes it, so a listener that reads the
 * record after a message sees at least that change. Messages are not kept: while the subscription is down (Redis
 * unreachable) they are lost, and a listener must also poll.
 */
public class JobChanges implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(JobChanges.class);

    private final RedisClient redisClient;
    private final Set<Consumer<String>> listeners = new CopyOnWriteArraySet<>();
    private volatile StatefulRedisPubSubConnection<String, String> subscription;

    public JobChanges(RedisClient redisClient) {
        this.redisClient = redisClient;
    }

    /** {@code listener} gets the id of every job that changes from now on (once subscribed: see {@link #subscribe}). */
    public void listen(Consumer<String> listener) {
        listeners.add(listener);
    }

    /**
     * Subscribes if not yet subscribed; Lettuce resubscribes by itself after a reconnect.
     *
     * @return whether the feed is subscribed (false while Redis cannot be reached; call again later)
     */
    public synchronized boolean subscribe() {
        if (subscription != null) {
            return true;
        }
        try {
            StatefulRedisPubSubConnection<String, String> connection = redisClient.connectPubSub();
            connection.addListener(new RedisPubSubAdapter<>() {
                @Override
                public void message(String channel, String id) {
                    listeners.forEach(l -> l.accept(id));
                }
            });
            connection.sync().subscribe(JobStore.CHANNEL);
            subscription = connection;
            return true;
        } catch (RedisException e) {
            log.warn("cannot subscribe to job changes ({}); waiters poll until it can", e.getMessage());
            return false;
        }
    }

    @Override
    public void close() {
        if (subscription != null) {
            subscription.close();
        }
    }
}
