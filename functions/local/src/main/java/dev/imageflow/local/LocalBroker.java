package dev.imageflow.local;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import dev.imageflow.core.event.CloudEventRequests;
import dev.imageflow.core.event.EventTypes;
import dev.imageflow.local.EventingManifests.Delivery;
import dev.imageflow.local.EventingManifests.Destination;
import dev.imageflow.local.EventingManifests.Trigger;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.cloudevents.http.HttpMessageFactory;

/**
 * What Knative's Broker does, in this JVM: accepts CloudEvents over HTTP, delivers each to the subscriber of every
 * Trigger whose filter it matches, feeds the subscriber's reply back in as a new event, retries failed deliveries
 * with the manifests' backoff, and finally hands the event to the dead-letter sink with Knative's error extensions.
 * Each subscriber gets at most {@code concurrency} deliveries at a time, like a Knative Service with that
 * {@code containerConcurrency} and a single pod.
 */
public class LocalBroker implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LocalBroker.class);
    private static final int ERROR_DATA_MAX = 1024;

    private final EventingManifests manifests;
    private final int concurrency;
    private final boolean duplicateDeliveries;
    private final Map<String, URI> services = new ConcurrentHashMap<>();
    private final Map<String, ExecutorService> subscribers = new ConcurrentHashMap<>();
    private final ScheduledExecutorService retries = Executors.newSingleThreadScheduledExecutor(daemon("broker-retry"));
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(3)).build();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicLong deliveries = new AtomicLong();
    private final AtomicLong retried = new AtomicLong();
    private final AtomicLong deadLettered = new AtomicLong();
    private final HttpServer server;
    private boolean closed;
    private final ExecutorService ingressThreads = Executors.newFixedThreadPool(4, daemon("broker-ingress"));

    /**
     * @param port                the ingress port; 0 for any free one
     * @param concurrency         deliveries at a time per subscriber
     * @param duplicateDeliveries deliver every event twice, to prove the functions idempotent (Knative delivers at
     *                            least once)
     */
    public LocalBroker(EventingManifests manifests, int port, int concurrency, boolean duplicateDeliveries)
            throws IOException {
        this.manifests = manifests;
        this.concurrency = concurrency;
        this.duplicateDeliveries = duplicateDeliveries;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
        server.setExecutor(ingressThreads);
        server.createContext("/", this::ingress);
        server.start();
    }

    /** The ingress, given to the gateway as K_SINK. */
    public URI address() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
    }

    /** Where the Knative Service {@code name} answers. */
    public void register(String name, URI base) {
        services.put(name, base);
    }

    public long deliveries() {
        return deliveries.get();
    }

    public long retries() {
        return retried.get();
    }

    public long deadLetters() {
        return deadLettered.get();
    }

    /** Waits until no delivery is queued, running or waiting for a retry. */
    public boolean awaitIdle(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (inFlight.get() > 0) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(10);
        }
        return true;
    }

    /** Accepts an event as a Broker's ingress does: 202 once it is queued, 400 if it is no CloudEvent. */
    public void publish(CloudEvent event) {
        Map<String, String> attributes = attributes(event);
        List<Trigger> triggers = manifests.matching(attributes);
        if (triggers.isEmpty()) {
            log.debug("no trigger for {} {}; dropped", event.getType(), event.getId());
        }
        for (Trigger trigger : triggers) {
            for (int copy = 0; copy < (duplicateDeliveries ? 2 : 1); copy++) {
                inFlight.incrementAndGet();
                deliver(trigger, event, 0);
            }
        }
    }

    private void ingress(HttpExchange exchange) throws IOException {
        try (exchange; InputStream body = exchange.getRequestBody()) {
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
            publish(event);
            exchange.sendResponseHeaders(202, -1);
        }
    }

    /** Queues one delivery attempt; {@code attempt} 0 is the first, 1.. are retries. */
    private void deliver(Trigger trigger, CloudEvent event, int attempt) {
        Destination subscriber = trigger.subscriber();
        executor(subscriber.service()).execute(() -> {
            try {
                attempt(trigger, event, attempt);
            } catch (RuntimeException e) {
                log.error("delivery of {} to {} failed unexpectedly", event.getId(), subscriber, e);
                inFlight.decrementAndGet();
            }
        });
    }

    private void attempt(Trigger trigger, CloudEvent event, int attempt) {
        URI target = resolve(trigger.subscriber());
        Delivery delivery = trigger.delivery().orElse(manifests.broker().delivery());
        deliveries.incrementAndGet();
        int status;
        byte[] body;
        HttpResponse<byte[]> response = null;
        try {
            response = post(target, event);
            status = response.statusCode();
            body = response.body();
        } catch (IOException e) {
            status = 0;
            body = String.valueOf(e.getMessage()).getBytes(StandardCharsets.UTF_8);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            inFlight.decrementAndGet();
            return;
        }
        if (status / 100 == 2) {
            reply(response).ifPresent(this::publish);
            inFlight.decrementAndGet();
            return;
        }
        if (retryable(status) && attempt < delivery.retry()) {
            retried.incrementAndGet();
            Duration wait = delivery.backoff(attempt + 1);
            log.info("{} answered {} to {} {}; retry {} of {} in {} ms", trigger.subscriber().service(), status,
                    event.getType(), event.getId(), attempt + 1, delivery.retry(), wait.toMillis());
            retries.schedule(() -> deliver(trigger, event, attempt + 1), wait.toMillis(), TimeUnit.MILLISECONDS);
            return;
        }
        deadLetter(delivery, event, target, status, body);
        inFlight.decrementAndGet();
    }

    private void deadLetter(Delivery delivery, CloudEvent event, URI target, int status, byte[] body) {
        deadLettered.incrementAndGet();
        if (delivery.deadLetterSink() == null) {
            log.warn("{} {} could not be delivered to {} (HTTP {}) and there is no dead-letter sink; dropped",
                    event.getType(), event.getId(), target, status);
            return;
        }
        CloudEventBuilder dead = CloudEventBuilder.v1(event)
                .withExtension(EventTypes.KNATIVE_ERROR_DEST, target.toString())
                .withExtension(EventTypes.KNATIVE_ERROR_DATA,
                        Base64.getEncoder().encodeToString(Arrays.copyOf(body, Math.min(body.length, ERROR_DATA_MAX))));
        if (status > 0) {
            dead.withExtension(EventTypes.KNATIVE_ERROR_CODE, Integer.toString(status));
        }
        URI sink = resolve(delivery.deadLetterSink());
        try {
            HttpResponse<byte[]> response = post(sink, dead.build());
            log.warn("{} {} dead-lettered to {} after HTTP {} from {}: {}", event.getType(), event.getId(), sink,
                    status, target, response.statusCode());
        } catch (IOException e) {
            log.error("{} {} is lost: the dead-letter sink {} failed: {}", event.getType(), event.getId(), sink,
                    e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private HttpResponse<byte[]> post(URI target, CloudEvent event) throws IOException, InterruptedException {
        return http.send(CloudEventRequests.binary(target, event, Duration.ofMinutes(5)),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    private static java.util.Optional<CloudEvent> reply(HttpResponse<byte[]> response) {
        boolean binary = response.headers().firstValue("ce-specversion").isPresent();
        boolean structured = response.headers().firstValue("content-type")
                .filter(t -> t.startsWith("application/cloudevents")).isPresent();
        if (!binary && !structured) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(
                HttpMessageFactory.createReaderFromMultimap(response.headers().map(), response.body()).toEvent());
    }

    /** Knative retries what may succeed later: server errors, timeouts, conflicts, throttling, not-yet-ready. */
    private static boolean retryable(int status) {
        return status == 0 || status >= 500 || status == 404 || status == 408 || status == 409 || status == 429;
    }

    private URI resolve(Destination destination) {
        URI base = services.get(destination.service());
        if (base == null) {
            throw new IllegalStateException("no running service " + destination.service());
        }
        return base.resolve(destination.path());
    }

    private ExecutorService executor(String service) {
        return subscribers.computeIfAbsent(service,
                s -> Executors.newFixedThreadPool(concurrency, daemon("broker-to-" + s)));
    }

    /** The attributes a Trigger filter can name: the context attributes and every extension. */
    static Map<String, String> attributes(CloudEvent event) {
        Map<String, String> attributes = new HashMap<>();
        attributes.put("type", event.getType());
        attributes.put("source", event.getSource().toString());
        attributes.put("id", event.getId());
        attributes.put("specversion", event.getSpecVersion().toString());
        if (event.getSubject() != null) {
            attributes.put("subject", event.getSubject());
        }
        if (event.getDataContentType() != null) {
            attributes.put("datacontenttype", event.getDataContentType());
        }
        for (String name : event.getExtensionNames()) {
            attributes.put(name, String.valueOf(event.getExtension(name)));
        }
        return attributes;
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        AtomicInteger n = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, name + "-" + n.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        server.stop(0);
        ingressThreads.shutdownNow();
        retries.shutdownNow();
        subscribers.values().forEach(ExecutorService::shutdownNow);
    }
}
