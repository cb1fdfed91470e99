package dev.imageflow.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

/**
 * The Broker, Triggers and SinkBindings of {@code eventing/}, read from the very files a cluster applies, so the
 * one-machine runner routes, retries and dead-letters exactly as they say.
 */
public record EventingManifests(Broker broker, List<Trigger> triggers, List<SinkBinding> sinkBindings) {

    /** Where an event goes: a Knative Service by name, plus an optional path on it. */
    public record Destination(String service, String path) {}

    /**
     * How hard to try before giving up on an event.
     *
     * @param timeout how long one attempt may take (Knative's {@code delivery.timeout}); also how long a delivery is
     *                held for a subscriber that is not up yet
     */
    public record Delivery(
            int retry, boolean exponential, Duration backoffDelay, Duration timeout, Destination deadLetterSink) {

        /** Knative's own defaults where a manifest says nothing; no timeout there means the HTTP client's own. */
        static final Delivery NONE = new Delivery(0, true, Duration.ofMillis(200), Duration.ofMinutes(5), null);

        /**
         * The longest one event can take to be delivered or given up on: every try running into its timeout, with
         * every backoff between them. Anything meant to notice a lost event must wait longer than this.
         */
        public Duration worstCase() {
            Duration total = timeout.multipliedBy(retry + 1L);
            for (int attempt = 1; attempt <= retry; attempt++) {
                total = total.plus(backoff(attempt));
            }
            return total;
        }

        /** The wait before retry number {@code attempt} (1-based). */
        public Duration backoff(int attempt) {
            return exponential
                    ? backoffDelay.multipliedBy(1L << Math.min(attempt - 1, 20))
                    : backoffDelay.multipliedBy(attempt);
        }
    }

    public record Broker(String name, Delivery delivery) {}

    public record Trigger(
            String name,
            String broker,
            Map<String, String> filter,
            Destination subscriber,
            Optional<Delivery> delivery) {

        /** Exact match on every filter attribute, as {@code spec.filter.attributes} is defined. */
        public boolean matches(Map<String, String> attributes) {
            return filter.entrySet().stream().allMatch(f -> f.getValue().equals(attributes.get(f.getKey())));
        }
    }

    public record SinkBinding(String name, String subjectService, String sinkBroker) {}

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    /** The manifests packaged into this runner's jar from {@code eventing/}. */
    public static EventingManifests fromClasspath() {
        try {
            Resource[] resources = new PathMatchingResourcePatternResolver().getResources("classpath*:eventing/*.yaml");
            List<JsonNode> documents = new ArrayList<>();
            for (Resource resource : resources) {
                try (InputStream in = resource.getInputStream()) {
                    documents.add(YAML.readTree(in));
                }
            }
            return parse(documents);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The manifests in a folder, e.g. the repository's {@code eventing/}. */
    public static EventingManifests fromDirectory(Path directory) {
        try (Stream<Path> files = Files.list(directory)) {
            List<JsonNode> documents = new ArrayList<>();
            for (Path file :
                    files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
                documents.add(YAML.readTree(file.toFile()));
            }
            return parse(documents);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static EventingManifests parse(List<JsonNode> documents) {
        Broker broker = null;
        List<Trigger> triggers = new ArrayList<>();
        List<SinkBinding> bindings = new ArrayList<>();
        for (JsonNode doc : documents) {
            String kind = doc.path("kind").asText();
            String name = doc.path("metadata").path("name").asText();
            JsonNode spec = doc.path("spec");
            switch (kind) {
                case "Broker" ->
                    broker = new Broker(name, delivery(spec.path("delivery")).orElse(Delivery.NONE));
                case "Trigger" -> {
                    Map<String, String> filter = new LinkedHashMap<>();
                    spec.path("filter")
                            .path("attributes")
                            .fields()
                            .forEachRemaining(
                                    f -> filter.put(f.getKey(), f.getValue().asText()));
                    triggers.add(new Trigger(
                            name,
                            spec.path("broker").asText(),
                            filter,
                            destination(spec.path("subscriber"), "Trigger " + name),
                            delivery(spec.path("delivery"))));
                }
                case "Kustomization" -> {
                    // the file that lists these manifests for kubectl apply -k
                }
                case "SinkBinding" ->
                    bindings.add(new SinkBinding(
                            name,
                            spec.path("subject").path("name").asText(),
                            spec.path("sink").path("ref").path("name").asText()));
                default -> throw new IllegalArgumentException("unexpected manifest kind '" + kind + "' in eventing/");
            }
        }
        if (broker == null) {
            throw new IllegalArgumentException("eventing/ has no Broker");
        }
        return new EventingManifests(broker, List.copyOf(triggers), List.copyOf(bindings));
    }

    /** Every Knative Service a Trigger or the dead-letter sink delivers to. */
    public List<String> subscriberServices() {
        List<String> services = new ArrayList<>();
        triggers.forEach(t -> services.add(t.subscriber().service()));
        if (broker.delivery().deadLetterSink() != null) {
            services.add(broker.delivery().deadLetterSink().service());
        }
        return services.stream().distinct().toList();
    }

    /** The Triggers of the Broker whose filters the event's attributes match. */
    public List<Trigger> matching(Map<String, String> attributes) {
        return triggers.stream()
                .filter(t -> t.broker().equals(broker.name()) && t.matches(attributes))
                .toList();
    }

    private static Optional<Delivery> delivery(JsonNode delivery) {
        if (delivery.isMissingNode() || delivery.isNull()) {
            return Optional.empty();
        }
        JsonNode sink = delivery.path("deadLetterSink");
        return Optional.of(new Delivery(
                delivery.path("retry").asInt(0),
                !"linear".equalsIgnoreCase(delivery.path("backoffPolicy").asText("exponential")),
                delivery.has("backoffDelay")
                        ? Duration.parse(delivery.get("backoffDelay").asText())
                        : Delivery.NONE.backoffDelay(),
                delivery.has("timeout") ? Duration.parse(delivery.get("timeout").asText()) : Delivery.NONE.timeout(),
                sink.isMissingNode() ? null : destination(sink, "deadLetterSink")));
    }

    private static Destination destination(JsonNode destination, String where) {
        JsonNode ref = destination.path("ref");
        if (!"Service".equals(ref.path("kind").asText())
                || !ref.path("apiVersion").asText().startsWith("serving.knative.dev/")) {
            throw new IllegalArgumentException(where + ": the local runner delivers to Knative Services only");
        }
        String uri = destination.path("uri").asText("");
        return new Destination(ref.path("name").asText(), uri.isEmpty() ? "/" : uri);
    }
}
