package dev.imageflow.core.config;

import dev.imageflow.core.effect.Effect;
import dev.imageflow.core.effect.EffectCatalog;
import dev.imageflow.core.event.CloudEventMessages;
import dev.imageflow.core.event.PipelineEvents;
import dev.imageflow.core.function.EffectRunner;
import dev.imageflow.core.function.StepEvents;
import dev.imageflow.core.function.StepFunctions;
import dev.imageflow.core.image.HeapBudget;
import dev.imageflow.core.image.ImageCodec;
import dev.imageflow.core.job.JobStore;
import dev.imageflow.core.observe.EventTracing;
import dev.imageflow.core.observe.StepMetrics;
import dev.imageflow.core.storage.BlobStore;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/** The effects there are, what a step is made of, and the walk of the first request's path. */
@Configuration(proxyBeanMethods = false)
class StepsConfiguration {

    /** Made from the effects on the class path (imageflow-effects finds them), so no list of them is kept by hand. */
    @Bean
    EffectCatalog effectCatalog(ObjectProvider<Effect<?>> effects) {
        return new EffectCatalog(effects.orderedStream().toList());
    }

    @Bean
    StepMetrics stepMetrics(ObjectProvider<MeterRegistry> registry) {
        return new StepMetrics(registry.getIfAvailable(SimpleMeterRegistry::new));
    }

    @Bean
    EffectRunner effectRunner(ImageCodec codec, HeapBudget budget, StepMetrics metrics) {
        return new EffectRunner(codec, budget, metrics);
    }

    @Bean
    StepEvents stepEvents(PipelineEvents events, CloudEventMessages messages, EventTracing tracing) {
        return new StepEvents(events, messages, tracing);
    }

    /**
     * Walks the first request's path while the rest starts, with the effect this service applies if it is an effect
     * service; the readiness group waits for it ("warmup").
     */
    @Bean("warmup")
    ColdPathWarmup coldPathWarmup(
            ImageCodec codec,
            EffectCatalog catalog,
            Environment environment,
            PipelineEvents events,
            CloudEventMessages messages,
            JobStore jobs,
            BlobStore blobs) {
        return new ColdPathWarmup(
                        codec,
                        StepFunctions.served(
                                        catalog,
                                        environment.getProperty(ImageflowAutoConfiguration.FUNCTION_DEFINITION))
                                .orElse(null),
                        events,
                        messages,
                        jobs,
                        blobs)
                .start();
    }
}
