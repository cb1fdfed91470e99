package dev.imageflow.local;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.cloudevents.CloudEvent;
import io.cloudevents.http.HttpMessageFactory;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.function.Consumer;

/**
 * The local Broker's front door, as a Knative Broker's ingress: {@code POST} a CloudEvent (binary or structured
 * mode) and get 202 once it is queued for its Triggers, 400 when it is no CloudEvent. Bound to loopback only.
 */
final class BrokerIngress implements AutoCloseable {

    private final HttpServer server;
    private final ExecutorService threads;
    private final Consumer<CloudEvent> publish;

    BrokerIngress(int port, Consumer<CloudEvent> publish, ThreadFactory threadFactory) throws IOException {
        this.publish = publish;
        this.threads = Executors.newFixedThreadPool(4, threadFactory);
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
        server.setExecutor(threads);
        server.createContext("/", this::accept);
        server.start();
    }

    URI address() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
    }

    private void accept(HttpExchange exchange) throws IOException {
        try (exchange;
                InputStream body = exchange.getRequestBody()) {
            if (!"POST".equals(exchange.getRequestMethod())) {
                exchange.sendResponseHeaders(405, -1);
                return;
            }
            CloudEvent event;
            try {
                event = HttpMessageFactory.createReaderFromMultimap(exchange.getRequestHeaders(), body.readAllBytes())
                        .toEvent();
            } catch (RuntimeException e) {
                byte[] message = ("not a CloudEvent: " + e.getMessage()).getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(400, message.length);
                exchange.getResponseBody().write(message);
                return;
            }
            publish.accept(event);
            exchange.sendResponseHeaders(202, -1);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
