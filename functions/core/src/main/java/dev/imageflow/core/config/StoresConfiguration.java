package dev.imageflow.core.config;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.imageflow.core.job.AsyncRedisClient;
import dev.imageflow.core.job.JobChanges;
import dev.imageflow.core.job.JobStore;
import dev.imageflow.core.job.RedisConnection;
import dev.imageflow.core.storage.BlobStore;
import dev.imageflow.core.storage.S3Api;
import dev.imageflow.core.storage.StoreUnavailableException;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.event.DefaultEventPublisherOptions;
import io.lettuce.core.metrics.CommandLatencyRecorder;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.netty.resolver.DefaultAddressResolverGroup;
import java.time.Clock;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** S3 for the bytes, Redis for the jobs and their change feed. */
@Configuration(proxyBeanMethods = false)
class StoresConfiguration {

    @Bean(destroyMethod = "close")
    S3Api s3Api(ImageflowProperties properties) {
        return S3Api.create(properties.s3());
    }

    @Bean
    BlobStore blobStore(S3Api s3Api, ImageflowProperties properties) {
        BlobStore store =
                new BlobStore(s3Api, properties.s3().bucket(), properties.s3().createBucket());
        if (properties.s3().createBucket()) {
            try {
                store.ensureBucket();
            } catch (StoreUnavailableException e) {
                // Start anyway: the store may come up after us; the first write creates the bucket then.
                LoggerFactory.getLogger(StoresConfiguration.class).warn("bucket not checked: {}", e.getMessage());
            }
        }
        return store;
    }

    /**
     * Lettuce's threads and name resolution. A function holds one connection and sends a few small commands per step,
     * so one I/O thread and one computation thread are plenty (Lettuce's default is one of each per core). Names are
     * resolved by the JDK (the pod's resolv.conf and /etc/hosts, once per connect) rather than by Netty's own DNS
     * client, whose 80 classes every cold start would otherwise load. Lettuce's own command latency statistics are
     * off: Micrometer puts HdrHistogram and LatencyUtils on the class path, and with them Lettuce records every command
     * into 16 histograms per connection (about 1 MB of an idle function's heap, and 60 classes) for an event that
     * nothing here subscribes to; the steps time themselves (imageflow_step_*).
     */
    @Bean(destroyMethod = "shutdown")
    ClientResources redisClientResources() {
        return DefaultClientResources.builder()
                .ioThreadPoolSize(1)
                .computationThreadPoolSize(1)
                .addressResolverGroup(DefaultAddressResolverGroup.INSTANCE)
                .commandLatencyRecorder(CommandLatencyRecorder.disabled())
                .commandLatencyPublisherOptions(DefaultEventPublisherOptions.disabled())
                .build();
    }

    @Bean(destroyMethod = "shutdown")
    RedisClient redisClient(ClientResources redisClientResources, ImageflowProperties properties) {
        RedisClient client =
                new AsyncRedisClient(redisClientResources, properties.redis().url());
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
    JobStore jobStore(
            RedisConnection redisConnection, ObjectMapper objectMapper, ImageflowProperties properties, Clock clock) {
        return new JobStore(redisConnection, objectMapper, properties.redis(), clock);
    }

    /** Subscribed only where something listens (the gateway's waiting uploads): effect services never connect it. */
    @Bean(destroyMethod = "close")
    JobChanges jobChanges(RedisClient redisClient) {
        return new JobChanges(redisClient);
    }
}
