package dev.imageflow.core.config;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Clock;

import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.jackson.JacksonAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.imageflow.core.effect.Effect;
import dev.imageflow.core.effect.EffectCatalog;
import dev.imageflow.core.event.CloudEventMessages;
import dev.imageflow.core.event.PipelineEvents;
import dev.imageflow.core.function.PodIdentity;
import dev.imageflow.core.observe.EventTracing;
import dev.imageflow.core.observe.StepMetrics;
import dev.imageflow.core.function.EffectRunner;
import dev.imageflow.core.function.StepEvents;
import dev.imageflow.core.function.StepFunctions;
import dev.imageflow.core.image.ImageCodec;
import dev.imageflow.core.image.HeapBudget;
import dev.imageflow.core.job.JobStore;
import dev.imageflow.core.job.RedisConnection;
import dev.imageflow.core.storage.BlobStore;
import dev.imageflow.core.storage.S3Clients;
import dev.imageflow.core.storage.StoreUnavailableException;
import dev.imageflow.core.web.ApiErrors;
import dev.imageflow.core.web.CloudEventReplyHeaders;
import dev.imageflow.core.web.TraceparentFilter;
import io.lettuce.core.ClientOptions;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.lettuce.core.RedisClient;
import io.lettuce.core.TimeoutOptions;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * What every function gets by depending on {@code imageflow-core}: the stores, the codec, the event contract, the
 * catalog of the {@link Effect} beans there are, and what an effect service's step functions are made of.
 */
@AutoConfiguration(after = JacksonAutoConfiguration.class, afterName = {
        "org.springframework.boot.actuate.autoconfigure.tracing.MicrometerTracingAutoConfiguration",
        "org.springframework.boot.actuate.autoconfigure.tracing.OpenTelemetryTracingAutoConfiguration",
        "org.springframework.boot.actuate.autoconfigure.metrics.CompositeMeterRegistryAutoConfiguration"})
@EnableConfigurationProperties(ImageflowProperties.class)
@Import(ApiErrors.class)
public class ImageflowAutoConfiguration {

    /** Which function a service exposes at {@code POST /}: on an effect service, the effect's name. */
    public static final String FUNCTION_DEFINITION = "spring.cloud.function.definition";

    @Bean
    @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
    FilterRegistrationBean<CloudEventReplyHeaders> cloudEventReplyHeaders() {
        return new FilterRegistrationBean<>(new CloudEventReplyHeaders());
    }

    @Bean
    @ConditionalOnMissingBean
    Clock clock() {
        return Clock.systemUTC();
    }

    /** Made from the effects on the class path (imageflow-effects finds them), so no list of them is kept by hand. */
    @Bean
    EffectCatalog effectCatalog(ObjectProvider<Effect<?>> effects) {
        return new EffectCatalog(effects.orderedStream().toList());
    }

    @Bean
    ImageCodec imageCodec(ImageflowProperties properties) {
        ImageCodec codec = new ImageCodec(properties.image());
        LoggerFactory.getLogger(ImageCodec.class).info("JPEG through {}", codec.jpegCodec());
        return codec;
    }

    /**
     * One per JVM: the one-machine runner hands the same budget to every function it starts, so this one is only
     * made where none was given.
     */
    @Bean
    @ConditionalOnMissingBean
    HeapBudget heapBudget(ImageflowProperties properties) {
        return HeapBudget.ofHeapShare(properties.memory().heapShare(), properties.memory().maxWait());
    }

    @Bean(destroyMethod = "close")
    S3Client s3Client(ImageflowProperties properties) {
        return S3Clients.create(properties.s3());
    }

    @Bean
    BlobStore blobStore(S3Client s3Client, ImageflowProperties properties) {
        BlobStore store = new BlobStore(s3Client, properties.s3().bucket(), properties.s3().createBucket());
        if (properties.s3().createBucket()) {
            try {
                store.ensureBucket();
            } catch (StoreUnavailableException e) {
                // Start anyway: the store may come up after us; the first write creates the bucket then.
                LoggerFactory.getLogger(ImageflowAutoConfiguration.class).warn("bucket not checked: {}", e.getMessage());
            }
        }
        return store;
    }

    @Bean(destroyMethod = "shutdown")
    RedisClient redisClient(ImageflowProperties properties) {
        RedisClient client = RedisClient.create(properties.redis().url());
        client.setOptions(ClientOptions.builder()
                // While Redis is down, fail commands at once (a 503 for the caller) instead of queueing them.
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .timeoutOptions(TimeoutOptions.enabled(properties.redis().commandTimeout()))
                .build());
        return client;
    }

    @Bean(destroyMethod = "close")
    RedisConnection redisConnection(RedisClient redisClient) {
        return new RedisConnection(redisClient);
    }

    @Bean
    JobStore jobStore(RedisConnection redisConnection, ObjectMapper objectMapper,
            ImageflowProperties properties, Clock clock) {
        return new JobStore(redisConnection, objectMapper, properties.redis(), clock);
    }

    @Bean
    EventTracing eventTracing(Environment environment) {
        return new EventTracing(environment.getProperty("spring.application.name", "imageflow"));
    }

    @Bean
    @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
    FilterRegistrationBean<TraceparentFilter> traceparentFilter(EventTracing tracing) {
        return new FilterRegistrationBean<>(new TraceparentFilter(tracing));
    }

    @Bean
    StepMetrics stepMetrics(ObjectProvider<MeterRegistry> registry) {
        return new StepMetrics(registry.getIfAvailable(SimpleMeterRegistry::new));
    }

    @Bean
    PipelineEvents pipelineEvents(ObjectMapper objectMapper, Environment environment, EventTracing tracing) {
        String name = environment.getProperty("spring.application.name", "imageflow");
        return new PipelineEvents(objectMapper, URI.create("/imageflow/" + name), tracing);
    }

    @Bean
    PodIdentity podIdentity(ImageflowProperties properties, Environment environment) {
        String pod = properties.pod() != null ? properties.pod() : environment.getProperty("HOSTNAME", hostName());
        return new PodIdentity(pod, environment.getProperty("K_REVISION"));
    }

    @Bean
    CloudEventMessages cloudEventMessages(ObjectMapper objectMapper) {
        return new CloudEventMessages(objectMapper);
    }

    /**
     * Walks the first request's path while the rest starts, with the effect this service applies if it is an effect
     * service; the readiness group waits for it ("warmup").
     */
    @Bean("warmup")
    ColdPathWarmup coldPathWarmup(ImageCodec codec, EffectCatalog catalog, Environment environment,
            PipelineEvents events, CloudEventMessages messages, JobStore jobs, BlobStore blobs) {
        return new ColdPathWarmup(codec,
                StepFunctions.served(catalog, environment.getProperty(FUNCTION_DEFINITION)).orElse(null),
                events, messages, jobs, blobs).start();
    }

    @Bean
    EffectRunner effectRunner(ImageCodec codec, HeapBudget budget, StepMetrics metrics) {
        return new EffectRunner(codec, budget, metrics);
    }

    @Bean
    StepEvents stepEvents(PipelineEvents events, CloudEventMessages messages, EventTracing tracing) {
        return new StepEvents(events, messages, tracing);
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }
}
