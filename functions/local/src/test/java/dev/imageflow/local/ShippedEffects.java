package dev.imageflow.local;

import dev.imageflow.core.effect.EffectCatalog;
import dev.imageflow.effects.EffectsAutoConfiguration;
import dev.imageflow.effects.InvertEffect;
import java.util.List;

/**
 * The effects as the applications find them (EffectsAutoConfiguration's scan), less the one these tests add
 * ({@link InvertEffect}): what the repository's manifests must serve.
 */
final class ShippedEffects {

    private ShippedEffects() {}

    static EffectCatalog catalog() {
        return new EffectCatalog(EffectsAutoConfiguration.scan().stream()
                .filter(e -> !(e instanceof InvertEffect))
                .toList());
    }

    static List<String> names() {
        return catalog().names();
    }
}
