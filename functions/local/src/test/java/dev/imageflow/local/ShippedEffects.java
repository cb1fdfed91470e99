package dev.imageflow.local;

import dev.imageflow.core.effect.Effect;
import dev.imageflow.core.effect.EffectCatalog;
import dev.imageflow.effects.EffectsAutoConfiguration;
import dev.imageflow.effects.InvertEffect;
import java.util.List;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;

/**
 * The effects as the applications find them (EffectsAutoConfiguration's scan), less the one these tests add
 * ({@link InvertEffect}): what the repository's manifests must serve.
 */
final class ShippedEffects {

    private ShippedEffects() {}

    static EffectCatalog catalog() {
        try (AnnotationConfigApplicationContext context =
                new AnnotationConfigApplicationContext(EffectsAutoConfiguration.class)) {
            List<Effect<?>> effects = context.getBeansOfType(Effect.class).values().stream()
                    .filter(e -> !(e instanceof InvertEffect))
                    .<Effect<?>>map(e -> e)
                    .toList();
            return new EffectCatalog(effects);
        }
    }

    static List<String> names() {
        return catalog().names();
    }
}
