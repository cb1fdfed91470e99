package dev.imageflow.core.config;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;

import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.jackson.JacksonAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.imageflow.core.effect.Effect;
import dev.imageflow.core.event.CloudEventMessages;
import dev.imageflow.core.event.PipelineEvents;
import dev.imageflow.core.function.PodIdentity;
import dev.imageflow.core.observe.EventTracing;
import dev.imageflow.core.observe.StepMetrics;
import dev.imageflow.core.function.StepFunction;
import dev.imageflow.core.image.ImageCodec;
import dev.imageflow.core.job.JobStore;
import dev.imageflow.core.job.RedisConnection;
import dev.imageflow.core.storage.BlobStore;
import dev.imageflow.core.storage.S3Properties;
import dev.imageflow.core.storage.StoreUnavailableException;
import dev.imageflow.core.web.ApiErrors;
import io.lettuce.core.ClientOptions;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import io.lettuce.core.RedisClient;
import io.lettuce.core.TimeoutOptions;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

/**
 * What every function gets by depending on {@code imageflow-core}: the stores, the codec, the event contract,
 * and, in an effect service (one with an {@link Effect} bean), the {@code step} function.
 */
@AutoConfiguration(after = JacksonAutoConfiguration.class, afterName = {
        "org.springframework.boot.actuate.autoconfigure.tracing.MicrometerTracingAutoConfiguration",
        "org.springframework.boot.actuate.autoconfigure.tracing.OpenTelemetryTracingAutoConfiguration",
        "org.springframework.boot.actuate.autoconfigure.metrics.CompositeMeterRegistryAutoConfiguration"})
@EnableConfigurationProperties(ImageflowProperties.class)
@Import(ApiErrors.class)
public class ImageflowAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    ImageCodec imageCodec(ImageflowProperties properties) {
        return new ImageCodec(properties.image());
    }

    @Bean(destroyMethod = "close")
    S3Client s3Client(ImageflowProperties properties) {
        S3Properties s3 = properties.s3();
        S3ClientBuilder builder = S3Client.builder()
                .region(Region.of(s3.region()))
                .credentialsProvider(credentials(s3))
                .httpClient(UrlConnectionHttpClient.builder()
                        .connectionTimeout(Duration.ofSeconds(3))
                        .socketTimeout(Duration.ofSeconds(30))
                        .build())
                .forcePathStyle(s3.pathStyle())
                // Checksums on every request are AWS-only extensions that S3-protocol stores reject; S3 still
                // receives them where its API requires them.
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
        if (s3.endpoint() != null) {
            builder.endpointOverride(s3.endpoint());
        }
        return builder.build();
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
    EventTracing eventTracing(ObjectProvider<Tracer> tracer, ObjectProvider<Propagator> propagator,
            Environment environment) {
        return new EventTracing(tracer.getIfAvailable(), propagator.getIfAvailable(),
                environment.getProperty("spring.application.name", "imageflow"));
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

    /** The one function of an effect service; {@code spring.cloud.function.definition} names it. */
    @Bean
    @ConditionalOnBean(Effect.class)
    StepFunction step(Effect effect, ImageCodec codec, BlobStore blobs, JobStore jobs, PipelineEvents events,
            CloudEventMessages messages, PodIdentity pod, ImageflowProperties properties, Clock clock,
            EventTracing tracing, StepMetrics metrics) {
        return new StepFunction(effect, codec, blobs, jobs, events, messages, pod, properties.step(), clock, tracing,
                metrics);
    }

    private static AwsCredentialsProvider credentials(S3Properties s3) {
        if (s3.accessKey() != null && s3.secretKey() != null) {
            return StaticCredentialsProvider.create(AwsBasicCredentials.create(s3.accessKey(), s3.secretKey()));
        }
        return DefaultCredentialsProvider.builder().build();
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }
}
