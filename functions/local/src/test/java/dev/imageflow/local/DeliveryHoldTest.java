package dev.imageflow.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.imageflow.core.embedded.FreePort;
import dev.imageflow.core.event.EventTypes;
import dev.imageflow.local.EventingManifests.Broker;
import dev.imageflow.local.EventingManifests.Delivery;
import dev.imageflow.local.EventingManifests.Destination;
import dev.imageflow.local.EventingManifests.Trigger;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.health.Status;

/**
 * Hold, never drop: a delivery to a Service that is not up yet waits for it (as Knative's activator holds requests
 * while a Service scales from zero) without counting as an attempt; only after the delivery timeout do retries and
 * the dead letter apply, and whatever goes wrong on the way is an attempt like any other, never just a log line.
 */
class DeliveryHoldTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    private final List<HttpServer> servers = new java.util.ArrayList<>();
    private final List<CloudEvent> deadLetters = new CopyOnWriteArrayList<>();
    private LocalBroker broker;

    @AfterEach
    void stop() {
        if (broker != null) {
            broker.close();
        }
        servers.forEach(s -> s.stop(0));
    }

    private LocalBroker broker(Duration timeout, int retry) throws IOException {
        Delivery delivery = new Delivery(retry, false, Duration.ofMillis(50), timeout, new Destination("sink", "/"));
        Trigger trigger =
                new Trigger("fx", "default", Map.of("type", "test.fx"), new Destination("fx", "/"), Optional.empty());
        broker = new LocalBroker(
                new EventingManifests(new Broker("default", delivery), List.of(trigger), List.of()), 0, 2, false);
        HttpServer sink = server(FreePort.find(), exchange -> {
            deadLetters.add(io.cloudevents.http.HttpMessageFactory.createReaderFromMultimap(
                            exchange.getRequestHeaders(),
                            exchange.getRequestBody().readAllBytes())
                    .toEvent());
            exchange.sendResponseHeaders(202, -1);
        });
        broker.register(
                "sink", URI.create("http://127.0.0.1:" + sink.getAddress().getPort() + "/"));
        return broker;
    }

    private HttpServer server(int port, com.sun.net.httpserver.HttpHandler handler) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 16);
        server.createContext("/", exchange -> {
            try (HttpExchange e = exchange) {
                handler.handle(e);
            }
        });
        server.start();
        servers.add(server);
        return server;
    }

    private static CloudEvent event() {
        return CloudEventBuilder.v1()
                .withId(java.util.UUID.randomUUID().toString())
                .withSource(URI.create("/test"))
                .withType("test.fx")
                .withExtension(EventTypes.JOB, "j1")
                .build();
    }

    private final List<String> received = new CopyOnWriteArrayList<>();

    private void answer200(HttpExchange exchange) throws IOException {
        received.add(exchange.getRequestHeaders().getFirst("ce-id"));
        exchange.sendResponseHeaders(200, -1);
    }

    @Test
    void aDeliveryToAServiceNotRegisteredYetWaitsForItAndCountsNoAttempt() throws Exception {
        LocalBroker broker = broker(TIMEOUT, 2);
        CloudEvent event = event();

        broker.publish(event);
        Thread.sleep(700);
        assertThat(received).isEmpty();
        HttpServer fx = server(0, this::answer200);
        broker.register("fx", URI.create("http://127.0.0.1:" + fx.getAddress().getPort() + "/"));

        assertThat(broker.awaitIdle(TIMEOUT)).isTrue();
        assertThat(received).containsExactly(event.getId());
        assertThat(broker.retries()).isZero();
        assertThat(broker.deadLetters()).isZero();
    }

    @Test
    void aDeliveryToAServiceNotListeningYetWaitsUntilItListens() throws Exception {
        LocalBroker broker = broker(TIMEOUT, 2);
        int port = FreePort.find();
        broker.register("fx", URI.create("http://127.0.0.1:" + port + "/"));
        CloudEvent event = event();

        broker.publish(event);
        Thread.sleep(700);
        server(port, this::answer200);

        assertThat(broker.awaitIdle(TIMEOUT)).isTrue();
        assertThat(received).containsExactly(event.getId());
        assertThat(broker.retries()).isZero();
        assertThat(broker.deadLetters()).isZero();
    }

    @Test
    void aServiceThatNeverComesUpGetsItsRetriesAndThenTheDeadLetterSink() throws Exception {
        LocalBroker broker = broker(Duration.ofMillis(300), 2);
        CloudEvent event = event();

        broker.publish(event);

        assertThat(broker.awaitIdle(TIMEOUT)).isTrue();
        assertThat(broker.retries()).isEqualTo(2);
        assertThat(deadLetters).singleElement().satisfies(letter -> {
            assertThat(letter.getId()).isEqualTo(event.getId());
            assertThat(new String(
                            Base64.getDecoder()
                                    .decode(letter.getExtension(EventTypes.KNATIVE_ERROR_DATA)
                                            .toString()),
                            StandardCharsets.UTF_8))
                    .contains("Service fx did not come up");
        });
        assertThat(broker.lost()).isZero();
    }

    @Test
    void aReplyThatIsNoCloudEventIsAFailedAttemptNotALogLine() throws Exception {
        LocalBroker broker = broker(TIMEOUT, 1);
        HttpServer fx = server(0, exchange -> {
            received.add("attempt");
            exchange.getResponseHeaders().add("ce-specversion", "1.0");
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            byte[] body = "{\"not\": \"an event\"}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
        });
        broker.register("fx", URI.create("http://127.0.0.1:" + fx.getAddress().getPort() + "/"));

        broker.publish(event());

        assertThat(broker.awaitIdle(TIMEOUT)).isTrue();
        assertThat(received).hasSize(2);
        assertThat(deadLetters).hasSize(1);
    }

    @Test
    void droppingEverythingForgetsQueuedDeliveriesAndTheirReplies() throws Exception {
        LocalBroker broker = broker(TIMEOUT, 2);
        broker.publish(event());
        broker.publish(event());

        broker.dropEverything();
        HttpServer fx = server(0, this::answer200);
        broker.register("fx", URI.create("http://127.0.0.1:" + fx.getAddress().getPort() + "/"));

        assertThat(broker.awaitIdle(TIMEOUT)).isTrue();
        assertThat(received).isEmpty();
        assertThat(deadLetters).isEmpty();
    }

    @Test
    void theRunnerIsHealthyOnlyOnceEverySubscriberIsRegistered() throws Exception {
        LocalBroker broker = broker(TIMEOUT, 2);
        SubscribersHealth health = new SubscribersHealth(broker);

        assertThat(health.health().getStatus()).isEqualTo(Status.DOWN);
        assertThat(health.health().getDetails()).containsEntry("starting", List.of("fx"));
        broker.register("fx", URI.create("http://127.0.0.1:1/"));
        assertThat(health.health().getStatus()).isEqualTo(Status.UP);
    }
}
