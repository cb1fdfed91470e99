package dev.imageflow.core.embedded;

import redis.embedded.RedisServer;

/**
 * A real redis-server (7.x, shipped inside the embedded-redis jar) on a loopback port, for the one-machine runner
 * and for tests. Nothing is persisted: jobs are short-lived and the runner's images live in S3.
 */
public final class EmbeddedRedis implements AutoCloseable {

    private final int port;
    private RedisServer server;

    private EmbeddedRedis(int port) {
        this.port = port;
    }

    /** @param port the port to listen on; 0 for any free one */
    public static EmbeddedRedis start(int port) {
        EmbeddedRedis redis = new EmbeddedRedis(port == 0 ? FreePort.find() : port);
        redis.start();
        return redis;
    }

    /** Starts again on the same port, after {@link #stop()}: for outage tests. */
    public void start() {
        server = RedisServer.builder()
                .port(port)
                .setting("bind 127.0.0.1")
                .setting("save \"\"")
                .setting("appendonly no")
                .build();
        server.start();
    }

    public void stop() {
        server.stop();
    }

    public int port() {
        return port;
    }

    public String url() {
        return "redis://127.0.0.1:" + port;
    }

    @Override
    public void close() {
        if (server != null && server.isActive()) {
            stop();
        }
    }
}
