package dev.imageflow.bench;

import dev.imageflow.core.effect.EffectCatalog;
import dev.imageflow.core.effect.EffectSpec;
import dev.imageflow.effects.EffectsAutoConfiguration;
import java.util.Map;

/** The effects as the functions find them, for the benchmarks, and the settings libvips is compared at. */
final class BenchEffects {

    /** The yardstick's settings ({@code vips gaussblur 8}, {@code vipsthumbnail -s 256}); others keep defaults. */
    static final Map<String, String> YARDSTICK_PARAMS = Map.of("blur.sigma", "8", "thumbnail.size", "256");

    private BenchEffects() {}

    static EffectSpec<?> find(String name) {
        EffectCatalog catalog = new EffectCatalog(EffectsAutoConfiguration.scan());
        return catalog.find(name)
                .orElseThrow(() -> new IllegalArgumentException(name + ": not one of " + catalog.names()));
    }
}
