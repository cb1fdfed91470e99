package dev.imageflow.local;

import dev.imageflow.core.event.CloudEventRequests;
import dev.imageflow.core.event.EventTypes;
import dev.imageflow.local.EventingManifests.Delivery;
import dev.imageflow.local.EventingManifests.Destination;
import dev.imageflow.local.EventingManifests.Trigger;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.cloudevents.http.HttpMessageFactory;
import java.io.IOException;
import java.net.ConnectException;
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
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
    private static final long HOLD_POLL_MILLIS = 100;
    private static final int DROPPED = -1;

    private final EventingManifests manifests;
    private final int concurrency;
    private final boolean duplicateDeliveries;
    private final Map<String, URI> services = new ConcurrentHashMap<>();
    private final Map<String, ExecutorService> subscribers = new ConcurrentHashMap<>();
    private final ScheduledExecutorService retries = Executors.newSingleThreadScheduledExecutor(daemon("broker-retry"));
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(3))
            .build();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicLong deliveries = new AtomicLong();
    private final AtomicLong retried = new AtomicLong();
    private final AtomicLong deadLettered = new AtomicLong();
    private final AtomicLong lost = new AtomicLong();
    /** Bumped by {@link #dropEverything()}: deliveries of an older generation vanish, as with a restarted Broker. */
    private final AtomicLong generation = new AtomicLong();

    private final Object registrations = new Object();
    private final BrokerIngress ingress;
    private volatile boolean closed;

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
        this.ingress = new BrokerIngress(port, this::publish, daemon("broker-ingress"));
    }

    /** The ingress, given to the gateway as K_SINK. */
    public URI address() {
        return ingress.address();
    }

    /** Where the Knative Service {@code name} answers; deliveries held for it go out now. */
    public void register(String name, URI base) {
        services.put(name, base);
        synchronized (registrations) {
            registrations.notifyAll();
        }
    }

    /** The Services the manifests deliver to that have not been registered yet. */
    public List<String> unregisteredSubscribers() {
        return manifests.subscriberServices().stream()
                .filter(s -> !services.containsKey(s))
                .toList();
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

    /** Events that even the dead-letter sink did not take: only the job's record (re-drive, timeout) can end them. */
    public long lost() {
        return lost.get();
    }

    /**
     * Forgets every queued, running and waiting delivery, and every reply still to come from one, as a Broker with an
     * in-memory channel does when its pod restarts: for showing that jobs still end.
     */
    public void dropEverything() {
        generation.incrementAndGet();
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

    /** Queues one delivery attempt; {@code attempt} 0 is the first, 1.. are retries. */
    private void deliver(Trigger trigger, CloudEvent event, int attempt) {
        long born = generation.get();
        executor(trigger.subscriber().service()).execute(() -> {
            try {
                if (born == generation.get()) {
                    attempt(trigger, event, attempt, born);
                    return;
                }
            } catch (RuntimeException e) {
                // Whatever went wrong here is a failed attempt like any other: retried, then dead-lettered.
                failed(
                        trigger,
                        event,
                        attempt,
                        resolvedOrName(trigger.subscriber()),
                        0,
                        ("delivery failed: " + e).getBytes(StandardCharsets.UTF_8),
                        born);
                return;
            }
            inFlight.decrementAndGet();
        });
    }

    private void attempt(Trigger trigger, CloudEvent event, int attempt, long born) {
        Delivery delivery = delivery(trigger);
        Answer answer = send(trigger.subscriber(), event, delivery.timeout(), born);
        if (answer.status() == DROPPED) {
            inFlight.decrementAndGet();
            return;
        }
        if (answer.status() / 100 == 2) {
            if (born == generation.get()) {
                answer.reply().ifPresent(this::publish);
            }
            inFlight.decrementAndGet();
            return;
        }
        failed(trigger, event, attempt, answer.target(), answer.status(), answer.body(), born);
    }

    private void failed(
            Trigger trigger, CloudEvent event, int attempt, String target, int status, byte[] body, long born) {
        Delivery delivery = delivery(trigger);
        if (born != generation.get()) {
            inFlight.decrementAndGet();
            return;
        }
        if (retryable(status) && attempt < delivery.retry()) {
            retried.incrementAndGet();
            Duration wait = delivery.backoff(attempt + 1);
            log.info(
                    "{} answered {} to {} {}; retry {} of {} in {} ms",
                    trigger.subscriber().service(),
                    status,
                    event.getType(),
                    event.getId(),
                    attempt + 1,
                    delivery.retry(),
                    wait.toMillis());
            retries.schedule(
                    () -> {
                        if (born == generation.get()) {
                            deliver(trigger, event, attempt + 1);
                        } else {
                            inFlight.decrementAndGet();
                        }
                    },
                    wait.toMillis(),
                    TimeUnit.MILLISECONDS);
            return;
        }
        deadLetter(delivery, event, target, status, body);
        inFlight.decrementAndGet();
    }

    /**
     * Hands the event to the dead-letter sink, trying as hard as a delivery does. Knative gives up after that; so
     * does this, and the event is counted as lost: its job still ends, re-driven or timed out from its record.
     */
    private void deadLetter(Delivery delivery, CloudEvent event, String target, int status, byte[] body) {
        deadLettered.incrementAndGet();
        if (delivery.deadLetterSink() == null) {
            lost.incrementAndGet();
            log.warn(
                    "{} {} could not be delivered to {} (HTTP {}) and there is no dead-letter sink; lost",
                    event.getType(),
                    event.getId(),
                    target,
                    status);
            return;
        }
        CloudEventBuilder dead = CloudEventBuilder.v1(event)
                .withExtension(EventTypes.KNATIVE_ERROR_DEST, target)
                .withExtension(
                        EventTypes.KNATIVE_ERROR_DATA,
                        Base64.getEncoder().encodeToString(Arrays.copyOf(body, Math.min(body.length, ERROR_DATA_MAX))));
        if (status > 0) {
            dead.withExtension(EventTypes.KNATIVE_ERROR_CODE, Integer.toString(status));
        }
        CloudEvent letter = dead.build();
        for (int attempt = 0; attempt <= delivery.retry(); attempt++) {
            Answer answer = send(delivery.deadLetterSink(), letter, delivery.timeout(), generation.get());
            if (answer.status() / 100 == 2) {
                log.warn(
                        "{} {} dead-lettered to {} after HTTP {} from {}",
                        event.getType(),
                        event.getId(),
                        answer.target(),
                        status,
                        target);
                return;
            }
            if (!retryable(answer.status())) {
                break;
            }
            sleep(delivery.backoff(attempt + 1));
        }
        lost.incrementAndGet();
        log.error("{} {} is lost: the dead-letter sink did not take it", event.getType(), event.getId());
    }

    /**
     * What one delivery attempt came back with; status 0 when no HTTP answer came at all, {@link #DROPPED} when the
     * delivery was forgotten while it was held.
     */
    private record Answer(String target, int status, byte[] body, Optional<CloudEvent> reply) {}

    /**
     * One attempt to {@code destination}, held (as Knative's activator holds requests for a Service scaling from
     * zero) while its Service is not registered or not listening yet, up to {@code timeout}. Holding is not an
     * attempt: only an answer, or no answer within the timeout, counts.
     */
    private Answer send(Destination destination, CloudEvent event, Duration timeout, long born) {
        long holdUntil = System.nanoTime() + timeout.toNanos();
        while (true) {
            if (born != generation.get()) {
                return new Answer(destination.service(), DROPPED, new byte[0], Optional.empty());
            }
            URI base = services.get(destination.service());
            if (base != null) {
                URI target = base.resolve(destination.path());
                try {
                    deliveries.incrementAndGet();
                    HttpResponse<byte[]> response = post(target, event, timeout);
                    boolean ok = response.statusCode() / 100 == 2;
                    return new Answer(
                            target.toString(),
                            response.statusCode(),
                            response.body(),
                            ok ? reply(response) : Optional.empty());
                } catch (ConnectException notListening) {
                    deliveries.decrementAndGet();
                } catch (IOException e) {
                    return new Answer(
                            target.toString(), 0, String.valueOf(e).getBytes(StandardCharsets.UTF_8), Optional.empty());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return new Answer(
                            target.toString(), 0, "interrupted".getBytes(StandardCharsets.UTF_8), Optional.empty());
                }
            }
            long left = holdUntil - System.nanoTime();
            if (left <= 0 || closed) {
                return new Answer(
                        destination.service() + destination.path(),
                        0,
                        ("Service " + destination.service() + " did not come up within " + timeout.toSeconds() + " s")
                                .getBytes(StandardCharsets.UTF_8),
                        Optional.empty());
            }
            synchronized (registrations) {
                try {
                    registrations.wait(Math.min(HOLD_POLL_MILLIS, Math.max(1, left / 1_000_000)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return new Answer(
                            destination.service(), 0, "interrupted".getBytes(StandardCharsets.UTF_8), Optional.empty());
                }
            }
        }
    }

    private Delivery delivery(Trigger trigger) {
        return trigger.delivery().orElse(manifests.broker().delivery());
    }

    private String resolvedOrName(Destination destination) {
        URI base = services.get(destination.service());
        return base == null
                ? destination.service() + destination.path()
                : base.resolve(destination.path()).toString();
    }

    private HttpResponse<byte[]> post(URI target, CloudEvent event, Duration timeout)
            throws IOException, InterruptedException {
        return http.send(CloudEventRequests.binary(target, event, timeout), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static Optional<CloudEvent> reply(HttpResponse<byte[]> response) {
        boolean binary = response.headers().firstValue("ce-specversion").isPresent();
        boolean structured = response.headers()
                .firstValue("content-type")
                .filter(t -> t.startsWith("application/cloudevents"))
                .isPresent();
        if (!binary && !structured) {
            return Optional.empty();
        }
        return Optional.of(
                HttpMessageFactory.createReaderFromMultimap(response.headers().map(), response.body())
                        .toEvent());
    }

    private static void sleep(Duration wait) {
        try {
            Thread.sleep(wait.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Knative retries what may succeed later: server errors, timeouts, conflicts, throttling, not-yet-ready. */
    private static boolean retryable(int status) {
        return status == 0 || status >= 500 || status == 404 || status == 408 || status == 409 || status == 429;
    }

    private ExecutorService executor(String service) {
        return subscribers.computeIfAbsent(
                service, s -> Executors.newFixedThreadPool(concurrency, daemon("broker-to-" + s)));
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

    static java.util.concurrent.ThreadFactory daemon(String name) {
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
        ingress.close();
        retries.shutdownNow();
        subscribers.values().forEach(ExecutorService::shutdownNow);
    }
}
