package dev.imageflow.local;

import dev.imageflow.core.config.FunctionApplication;
import dev.imageflow.core.config.ImageflowAutoConfiguration;
import dev.imageflow.core.embedded.EmbeddedRedis;
import dev.imageflow.core.embedded.EmbeddedS3;
import dev.imageflow.core.image.HeapBudget;
import dev.imageflow.core.image.MemoryProperties;
import dev.imageflow.core.job.RedisProperties;
import dev.imageflow.core.observe.EventTracing;
import dev.imageflow.core.storage.BlobStore;
import dev.imageflow.core.storage.S3Api;
import dev.imageflow.core.storage.S3Properties;
import dev.imageflow.effects.EffectsApplication;
import dev.imageflow.gateway.GatewayApplication;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The whole system in one JVM: a real redis-server, S3Proxy, the local Broker, and every function as its own
 * Spring Boot application on its own port, wired together by the manifests in {@code eventing/}.
 *
 * <p>With a data folder, objects ({@code s3/}) and jobs ({@code redis/}, an append-only file) outlive the process:
 * a stack started again on the same folder, after a clean stop or a {@code kill -9}, re-drives every job that had
 * not ended, since whatever its in-memory Broker held died with it.
 */
public final class LocalStack implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LocalStack.class);
    public static final String BUCKET = "imageflow";

    /**
     * @param port                the gateway's port (0: any free one)
     * @param dataDirectory       where objects and jobs are kept; null keeps them in memory
     * @param concurrency         deliveries at a time per function, as a Knative containerConcurrency
     * @param duplicateDeliveries deliver every event twice
     * @param properties          further Spring properties for every function, e.g. {@code imageflow.image.max-megapixels}
     * @param ports               fixed ports for {@code redis}, {@code s3} and {@code broker} (others: any free one)
     * @param remoteServices      services that run elsewhere (e.g. as containers) and are only delivered to
     * @param redisUrl            a Redis to use instead of starting one, e.g. to outlive this stack; null: start one
     */
    public record Settings(
            int port,
            Path dataDirectory,
            int concurrency,
            boolean duplicateDeliveries,
            Map<String, String> properties,
            Map<String, Integer> ports,
            Map<String, URI> remoteServices,
            String redisUrl) {

        public static Settings forTests() {
            return new Settings(0, null, 2, false, Map.of(), Map.of(), Map.of(), null);
        }

        public Settings with(Map<String, String> moreProperties) {
            Map<String, String> all = new LinkedHashMap<>(properties);
            all.putAll(moreProperties);
            return new Settings(
                    port, dataDirectory, concurrency, duplicateDeliveries, all, ports, remoteServices, redisUrl);
        }

        public Settings withDuplicateDeliveries() {
            return new Settings(port, dataDirectory, concurrency, true, properties, ports, remoteServices, redisUrl);
        }

        public Settings withRedis(String url) {
            return new Settings(
                    port, dataDirectory, concurrency, duplicateDeliveries, properties, ports, remoteServices, url);
        }

        public Settings withData(Path directory) {
            return new Settings(
                    port, directory, concurrency, duplicateDeliveries, properties, ports, remoteServices, redisUrl);
        }

        /** A settings record as every function binds it from these properties, with the record's own defaults. */
        <T> T bind(String prefix, Class<T> type) {
            return new Binder(new MapConfigurationPropertySource(properties)).bindOrCreate(prefix, type);
        }
    }

    private EmbeddedRedis redis;
    private EmbeddedS3 s3;
    private LocalBroker broker;
    private S3Api housekeepingClient;
    private final ScheduledExecutorService housekeeping = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "imageflow-object-expiry");
        thread.setDaemon(true);
        return thread;
    });
    private final Map<String, ConfigurableApplicationContext> functions = new LinkedHashMap<>();

    private LocalStack() {}

    /**
     * Starts everything, or, when any part fails, stops what had started and throws: a runner that cannot start
     * leaves no redis-server, port or thread behind.
     */
    public static LocalStack start(Settings settings) {
        LocalStack stack = new LocalStack();
        try {
            stack.startAll(settings);
            return stack;
        } catch (IOException e) {
            stack.close();
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            stack.close();
            throw e;
        }
    }

    private void startAll(Settings settings) throws IOException {
        EventingManifests manifests = EventingManifests.fromClasspath();
        Path data = settings.dataDirectory();
        if (data != null) {
            Files.createDirectories(data.resolve("s3"));
        }
        if (settings.redisUrl() == null) {
            redis = EmbeddedRedis.start(
                    settings.ports().getOrDefault("redis", 0), data == null ? null : data.resolve("redis"));
        }
        String redisUrl = redis == null ? settings.redisUrl() : redis.url();
        s3 = EmbeddedS3.start(settings.ports().getOrDefault("s3", 0), data == null ? null : data.resolve("s3"));
        expireObjects(settings.bind("imageflow.redis", RedisProperties.class).jobTtl());
        broker = new LocalBroker(
                manifests,
                settings.ports().getOrDefault("broker", 0),
                settings.concurrency(),
                settings.duplicateDeliveries());
        settings.remoteServices().forEach(broker::register);
        // One budget for the whole JVM: every function here decodes into the same heap.
        MemoryProperties memory = settings.bind("imageflow.memory", MemoryProperties.class);
        HeapBudget budget = HeapBudget.ofHeapShare(memory.heapShare(), memory.maxWait());
        for (String name : inStartOrder(manifests)) {
            if (settings.remoteServices().containsKey(name)) {
                log.info("{} runs at {}", name, settings.remoteServices().get(name));
                continue;
            }
            boolean gateway = isGateway(name, manifests);
            List<String> properties = new ArrayList<>(List.of(
                    // One JVM, one log: Boot's application name in a line would be one function's for all of them;
                    // each line names its function in the MDC's "service" instead (EventTracing).
                    "logging.include-application-name=false",
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
            if (!gateway) {
                // What Knative's K_SERVICE does on a cluster: the Service's name is the effect it applies.
                properties.add(ImageflowAutoConfiguration.FUNCTION_DEFINITION + "=" + name);
                properties.add("spring.application.name=" + name);
            }
            if (gateway) {
                // What the SinkBinding does on a cluster: point the subject's K_SINK at the Broker.
                properties.add("K_SINK=" + broker.address());
                // This Broker is new, so nothing of an earlier run is in flight: every unfinished job is re-driven.
                properties.add("imageflow.gateway.resume-on-start=true");
                properties.add(
                        "management.endpoint.health.group.readiness.include=readinessState,warmup,sink,subscribers");
            }
            settings.properties().forEach((k, v) -> properties.add(k + "=" + v));
            // As command-line arguments, so they override each function's own yaml (as kubectl's env would).
            ConfigurableApplicationContext context;
            try (MDC.MDCCloseable starting = MDC.putCloseable(EventTracing.SERVICE, name)) {
                context = (gateway
                                ? FunctionApplication.builder(GatewayApplication.class, GatewayApplication.NAME)
                                : FunctionApplication.builder(EffectsApplication.class, EffectsApplication.NAME))
                        .initializers(c -> {
                            c.getBeanFactory().registerSingleton("heapBudget", budget);
                            if (gateway) {
                                c.getBeanFactory()
                                        .registerSingleton("subscribersHealthIndicator", new SubscribersHealth(broker));
                            }
                        })
                        .run(properties.stream().map(p -> "--" + p).toArray(String[]::new));
            }
            functions.put(name, context);
            broker.register(name, URI.create("http://127.0.0.1:" + port(context) + "/"));
            log.info("{} is up on port {}", name, port(context));
        }
    }

    /**
     * Every Service the manifests deliver to: the gateway (the SinkBinding's subject) and the effects, each an effects
     * application for the effect its Service is named after. The gateway last: its port is the one users reach, and it
     * opens only once every function an upload needs can take a delivery.
     */
    private static List<String> inStartOrder(EventingManifests manifests) {
        List<String> order = new ArrayList<>(manifests.subscriberServices());
        order.sort((a, b) -> Boolean.compare(isGateway(a, manifests), isGateway(b, manifests)));
        return order;
    }

    private static boolean isGateway(String name, EventingManifests manifests) {
        return manifests.sinkBindings().stream()
                .anyMatch(b -> b.subjectService().equals(name));
    }

    /**
     * Objects go with their jobs, as the bucket's lifecycle rule makes them go on AWS: at start and hourly, whatever
     * is older than the job TTL is deleted.
     */
    private void expireObjects(Duration ttl) {
        housekeepingClient = S3Api.create(new S3Properties(
                s3.endpoint(), "us-east-1", BUCKET, true, EmbeddedS3.ACCESS_KEY, EmbeddedS3.SECRET_KEY, true));
        BlobStore objects = new BlobStore(housekeepingClient, BUCKET, true);
        objects.ensureBucket();
        Runnable expire = () -> {
            try {
                int deleted = objects.expireOlderThan(Instant.now().minus(ttl));
                if (deleted > 0) {
                    log.info("deleted {} object(s) older than the job TTL ({})", deleted, ttl);
                }
            } catch (RuntimeException e) {
                log.warn("objects not expired: {}", e.getMessage());
            }
        };
        expire.run();
        housekeeping.scheduleWithFixedDelay(expire, 1, 1, TimeUnit.HOURS);
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

    /** Stops whatever is running, newest first; safe on a stack that started only in part. */
    @Override
    public void close() {
        List<ConfigurableApplicationContext> contexts = new ArrayList<>(functions.values());
        Collections.reverse(contexts);
        contexts.forEach(c -> quietly(c::close, "a function"));
        housekeeping.shutdownNow();
        if (housekeepingClient != null) {
            quietly(housekeepingClient::close, "the housekeeping S3 client");
        }
        if (broker != null) {
            quietly(broker::close, "the broker");
        }
        if (s3 != null) {
            quietly(s3::close, "S3Proxy");
        }
        if (redis != null) {
            quietly(redis::close, "redis-server");
        }
    }

    private static void quietly(Runnable stop, String what) {
        try {
            stop.run();
        } catch (RuntimeException e) {
            log.warn("{} did not stop cleanly: {}", what, e.getMessage());
        }
    }
}
