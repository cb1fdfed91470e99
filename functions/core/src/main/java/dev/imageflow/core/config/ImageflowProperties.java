package dev.imageflow.core.config;

import dev.imageflow.core.function.StepProperties;
import dev.imageflow.core.image.ImageLimits;
import dev.imageflow.core.image.MemoryProperties;
import dev.imageflow.core.job.RedisProperties;
import dev.imageflow.core.storage.S3Properties;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.NestedConfigurationProperty;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Everything a function is configured with, under {@code imageflow.*}; on Knative from the ConfigMap and Secret
 * as environment variables ({@code IMAGEFLOW_S3_BUCKET}, {@code IMAGEFLOW_REDIS_URL}, ...).
 *
 * @param pod         the name steps are recorded under; unset means the HOSTNAME Kubernetes gives the pod
 * @param idleGcAfter how long after its last request a function collects its heap once, so the heap a request grew
 *                    goes back to the OS while the pod idles ({@link dev.imageflow.core.web.IdleHeapCollector}); 0 is
 *                    never
 */
@ConfigurationProperties("imageflow")
public record ImageflowProperties(
        @DefaultValue @NestedConfigurationProperty S3Properties s3,
        @DefaultValue @NestedConfigurationProperty RedisProperties redis,
        @DefaultValue @NestedConfigurationProperty ImageLimits image,
        @DefaultValue @NestedConfigurationProperty StepProperties step,
        @DefaultValue @NestedConfigurationProperty MemoryProperties memory,
        String pod,
        @DefaultValue("1s") Duration idleGcAfter) {}
