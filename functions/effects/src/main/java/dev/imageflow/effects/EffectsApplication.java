package dev.imageflow.effects;

import dev.imageflow.core.config.FunctionApplication;
import dev.imageflow.core.config.ImageflowAutoConfiguration;
import dev.imageflow.core.config.ImageflowProperties;
import dev.imageflow.core.effect.EffectCatalog;
import dev.imageflow.core.function.EffectRunner;
import dev.imageflow.core.function.PodIdentity;
import dev.imageflow.core.function.StepEvents;
import dev.imageflow.core.function.StepFunction;
import dev.imageflow.core.function.StepFunctions;
import dev.imageflow.core.job.JobStore;
import dev.imageflow.core.storage.BlobStore;
import java.time.Clock;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.cloud.function.context.FunctionRegistry;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * The effect services: one application and one image holding every effect of this package. Each Knative Service runs
 * it for one effect, named by {@code spring.cloud.function.definition} (its own name, from {@code K_SERVICE}), and
 * scales on its own.
 */
@SpringBootApplication
public class EffectsApplication {

    public static final String NAME = "effects";

    public static void main(String[] args) {
        FunctionApplication.run(EffectsApplication.class, NAME, args);
    }

    @Bean
    StepFunctions stepFunctions(
            EffectCatalog catalog,
            Environment environment,
            FunctionRegistry registry,
            EffectRunner runner,
            BlobStore blobs,
            JobStore jobs,
            StepEvents events,
            PodIdentity pod,
            ImageflowProperties properties,
            Clock clock) {
        return new StepFunctions(
                catalog,
                environment.getProperty(ImageflowAutoConfiguration.FUNCTION_DEFINITION),
                registry,
                effect -> new StepFunction(effect, runner, blobs, jobs, events, pod, properties.step(), clock));
    }
}
