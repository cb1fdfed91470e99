package dev.imageflow.core.config;

import dev.imageflow.core.web.ApiErrors;
import java.time.Clock;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.jackson.JacksonAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

/**
 * What every function gets by depending on {@code imageflow-core}, one configuration per concern: the stores, the
 * images, the events, and what an effect service's steps are made of. The {@link dev.imageflow.core.effect.Effect}
 * beans themselves come from imageflow-effects.
 */
@AutoConfiguration(
        after = JacksonAutoConfiguration.class,
        afterName = "org.springframework.boot.actuate.autoconfigure.metrics.CompositeMeterRegistryAutoConfiguration")
@EnableConfigurationProperties(ImageflowProperties.class)
@Import({
    ApiErrors.class,
    StoresConfiguration.class,
    ImagesConfiguration.class,
    EventsConfiguration.class,
    StepsConfiguration.class
})
public class ImageflowAutoConfiguration {

    /** Which function a service exposes at {@code POST /}: on an effect service, the effect's name. */
    public static final String FUNCTION_DEFINITION = "spring.cloud.function.definition";

    @Bean
    @ConditionalOnMissingBean
    Clock clock() {
        return Clock.systemUTC();
    }
}
