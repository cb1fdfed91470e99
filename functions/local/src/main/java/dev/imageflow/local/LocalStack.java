package dev.imageflow.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.ClassPathScanningCandidateComponentProvider;
import org.springframework.core.type.filter.AnnotationTypeFilter;
import org.springframework.util.ClassUtils;

import dev.imageflow.core.config.FunctionApplication;
import dev.imageflow.core.embedded.EmbeddedRedis;
import dev.imageflow.core.embedded.EmbeddedS3;

/**
 * The whole system in one JVM: a real redis-server, S3Proxy, the local Broker, and every function as its own
 * Spring Boot application on its own port, wired together by the manifests in {@code eventing/}.
 */
public final class LocalStack implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LocalStack.class);
    public static final String BUCKET = "imageflow";

    /**
     * @param port                the gateway's port (0: any free one)
     * @param dataDirectory       where S3Proxy keeps the objects; null keeps them in memory
     * @param concurrency         deliveries at a time per function, as a Knative containerConcurrency
     * @param duplicateDeliveries deliver every event twice
     * @param properties          further Spring properties for every function, e.g. {@code imageflow.image.max-megapixels}
     * @param ports               fixed ports for {@code redis}, {@code s3} and {@code broker} (others: any free one)
     * @param remoteServices      services that run elsewhere (e.g. as containers) and are only delivered to
     * @param redisUrl            a Redis to use instead of starting one, e.g. to outlive this stack; null: start one
     */
    public record Settings(int port, Path dataDirectory, int concurrency, boolean duplicateDeliveries,
            Map<String, String> properties, Map<String, Integer> ports, Map<String, URI> remoteServices,
            String redisUrl) {

        public static Settings forTests() {
            return new Settings(0, null, 2, false, Map.of(), Map.of(), Map.of(), null);
        }

        public Settings with(Map<String, String> moreProperties) {
            Map<String, String> all = new LinkedHashMap<>(properties);
            all.putAll(moreProperties);
            return new Settings(port, dataDirectory, concurrency, duplicateDeliveries, all, ports, remoteServices,
                    redisUrl);
        }

        public Settings withDuplicateDeliveries() {
            return new Settings(port, dataDirectory, concurrency, true, properties, ports, remoteServices, redisUrl);
        }

        public Settings withRedis(String url) {
            return new Settings(port, dataDirectory, concurrency, duplicateDeliveries, properties, ports,
                    remoteServices, url);
        }
    }

    private final EmbeddedRedis redis;
    private final EmbeddedS3 s3;
    private final LocalBroker broker;
    private final Map<String, ConfigurableApplicationContext> functions = new LinkedHashMap<>();

    private LocalStack(Settings settings) throws IOException {
        EventingManifests manifests = EventingManifests.fromClasspath();
        redis = settings.redisUrl() == null ? EmbeddedRedis.start(settings.ports().getOrDefault("redis", 0)) : null;
        String redisUrl = redis == null ? settings.redisUrl() : redis.url();
        if (settings.dataDirectory() != null) {
            Files.createDirectories(settings.dataDirectory());
        }
        s3 = EmbeddedS3.start(settings.ports().getOrDefault("s3", 0), settings.dataDirectory());
        broker = new LocalBroker(manifests, settings.ports().getOrDefault("broker", 0), settings.concurrency(),
                settings.duplicateDeliveries());
        settings.remoteServices().forEach(broker::register);
        Map<String, Class<?>> applications = functionApplications();
        for (String service : manifests.subscriberServices()) {
            if (!applications.containsKey(service)) {
                throw new IllegalStateException("eventing/ delivers to Service '" + service
                        + "', but no function application is named so; found " + applications.keySet());
            }
        }
        for (Map.Entry<String, Class<?>> app : applications.entrySet()) {
            String name = app.getKey();
            if (settings.remoteServices().containsKey(name)) {
                log.info("{} runs at {}", name, settings.remoteServices().get(name));
                continue;
            }
            boolean gateway = manifests.sinkBindings().stream().anyMatch(b -> b.subjectService().equals(name));
            List<String> properties = new ArrayList<>(List.of(
                    "server.address=127.0.0.1",
                    "server.port=" + (gateway ? settings.port() : 0),
                    "imageflow.pod=" + name + "-local",
                    "imageflow.redis.url=" + redisUrl,
                    "imageflow.s3.endpoint=" + s3.endpoint(),
                    "imageflow.s3.bucket=" + BUCKET,
                    "imageflow.s3.path-style=true",
                    "imageflow.s3.access-key=" + EmbeddedS3.ACCESS_KEY,
                    "imageflow.s3.secret-key=" + EmbeddedS3.SECRET_KEY,
                    "imageflow.s3.create-bucket=true"));
            if (gateway) {
                // What the SinkBinding does on a cluster: point the subject's K_SINK at the Broker.
                properties.add("K_SINK=" + broker.address());
            }
            settings.properties().forEach((k, v) -> properties.add(k + "=" + v));
            // As command-line arguments, so they override each function's own yaml (as kubectl's env would).
            ConfigurableApplicationContext context = FunctionApplication.builder(app.getValue(), name)
                    .run(properties.stream().map(p -> "--" + p).toArray(String[]::new));
            functions.put(name, context);
            broker.register(name, URI.create("http://127.0.0.1:" + port(context) + "/"));
            log.info("{} is up on port {}", name, port(context));
        }
    }

    public static LocalStack start(Settings settings) {
        try {
            return new LocalStack(settings);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The function applications on the classpath: every {@code @SpringBootApplication} with a {@code NAME}. */
    static Map<String, Class<?>> functionApplications() {
        ClassPathScanningCandidateComponentProvider scanner = new ClassPathScanningCandidateComponentProvider(false);
        scanner.addIncludeFilter(new AnnotationTypeFilter(SpringBootApplication.class));
        Map<String, Class<?>> applications = new LinkedHashMap<>();
        for (BeanDefinition candidate : scanner.findCandidateComponents("dev.imageflow")) {
            try {
                Class<?> type = ClassUtils.forName(candidate.getBeanClassName(), LocalStack.class.getClassLoader());
                applications.put((String) type.getField("NAME").get(null), type);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(candidate.getBeanClassName() + " has no public NAME", e);
            }
        }
        return applications;
    }

    public URI gateway() {
        return URI.create("http://127.0.0.1:" + port(functions.get("gateway")));
    }


    public ConfigurableApplicationContext function(String name) {
        return functions.get(name);
    }

    /** The Redis this stack started; null when it was given one (see {@link Settings#redisUrl}). */
    public EmbeddedRedis redis() {
        return redis;
    }

    public EmbeddedS3 s3() {
        return s3;
    }

    public LocalBroker broker() {
        return broker;
    }

    private static int port(ConfigurableApplicationContext context) {
        return ((WebServerApplicationContext) context).getWebServer().getPort();
    }

    @Override
    public void close() {
        List<ConfigurableApplicationContext> contexts = new ArrayList<>(functions.values());
        java.util.Collections.reverse(contexts);
        contexts.forEach(ConfigurableApplicationContext::close);
        broker.close();
        s3.close();
        if (redis != null) {
            redis.close();
        }
    }
}
