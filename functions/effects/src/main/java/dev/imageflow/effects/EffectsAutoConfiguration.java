package dev.imageflow.effects;

import dev.imageflow.core.config.ImageflowAutoConfiguration;
import dev.imageflow.core.effect.Effect;
import java.util.List;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.FilterType;

/**
 * Every {@link Effect} in this package becomes a bean, in any application that has this jar: the effect services,
 * which apply them, and the gateway, which lists and checks them without asking an effect service (it may be scaled
 * to zero). An effect is found by its type alone, so adding one is writing its class.
 */
@AutoConfiguration(before = ImageflowAutoConfiguration.class)
@ComponentScan(
        basePackageClasses = EffectsAutoConfiguration.class,
        useDefaultFilters = false,
        includeFilters = @ComponentScan.Filter(type = FilterType.ASSIGNABLE_TYPE, classes = Effect.class))
public class EffectsAutoConfiguration {

    /**
     * The effects of this package as the applications find them, for tools and tests that run no application: the
     * benchmarks, and checks that every effect has its Knative Service.
     */
    public static List<Effect<?>> scan() {
        try (var context = new AnnotationConfigApplicationContext(EffectsAutoConfiguration.class)) {
            return context.getBeansOfType(Effect.class).values().stream()
                    .<Effect<?>>map(e -> e)
                    .toList();
        }
    }
}
