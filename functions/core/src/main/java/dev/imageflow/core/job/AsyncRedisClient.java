package dev.imageflow.core.job;

import io.lettuce.core.RedisChannelWriter;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisReactiveCommandsImpl;
import io.lettuce.core.RedisURI;
import io.lettuce.core.StatefulRedisConnectionImpl;
import io.lettuce.core.api.reactive.RedisReactiveCommands;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.protocol.PushHandler;
import io.lettuce.core.resource.ClientResources;
import java.time.Duration;

/**
 * Lettuce's client, whose connections offer only the asynchronous API, the one {@link RedisConnection} uses. Lettuce
 * makes all three APIs for every connection as it opens it, and the other two are costly on a cold JVM: the
 * synchronous one is a JDK proxy over the ~730 methods of {@link RedisCommands}, generated at run time (the AOT cache
 * cannot hold it) and mapped method by method onto the asynchronous one, and the reactive one loads the argument types
 * of every command it could send. 75 ms of a cold function's start, for APIs it never calls. Lettuce's own handshake,
 * reconnects and re-authentication dispatch on the channel and never need them; Master/Replica, client-side caching
 * and RedisCommandFactory do, so they cannot be used on this client. Publish/subscribe connections ({@link
 * JobChanges}) are Lettuce's own.
 */
public class AsyncRedisClient extends RedisClient {

    public AsyncRedisClient(ClientResources resources, String url) {
        super(resources, RedisURI.create(url));
    }

    @Override
    protected <K, V> StatefulRedisConnectionImpl<K, V> newStatefulRedisConnection(
            RedisChannelWriter writer, PushHandler pushHandler, RedisCodec<K, V> codec, Duration timeout) {
        return new AsyncOnlyConnection<>(writer, pushHandler, codec, timeout, getOptions());
    }

    private static final class AsyncOnlyConnection<K, V> extends StatefulRedisConnectionImpl<K, V> {

        AsyncOnlyConnection(
                RedisChannelWriter writer,
                PushHandler pushHandler,
                RedisCodec<K, V> codec,
                Duration timeout,
                io.lettuce.core.ClientOptions options) {
            super(writer, pushHandler, codec, timeout, options.getJsonParser());
        }

        @Override
        protected RedisCommands<K, V> newRedisSyncCommandsImpl() {
            return null;
        }

        @Override
        protected RedisReactiveCommandsImpl<K, V> newRedisReactiveCommandsImpl() {
            return null;
        }

        @Override
        public RedisCommands<K, V> sync() {
            throw new UnsupportedOperationException("this connection offers only async(): see AsyncRedisClient");
        }

        @Override
        public RedisReactiveCommands<K, V> reactive() {
            throw new UnsupportedOperationException("this connection offers only async(): see AsyncRedisClient");
        }
    }
}
