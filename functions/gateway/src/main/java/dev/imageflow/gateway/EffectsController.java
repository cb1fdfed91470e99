package dev.imageflow.gateway;

import dev.imageflow.core.effect.EffectCatalog;
import dev.imageflow.core.effect.EffectSpec;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /effects}: every effect with its parameters (name, type, range, default, meaning), as the effects'
 * own classes declare them; the upload page builds its controls from it. No effect Service is asked: one scaled to
 * zero would otherwise wake for a listing.
 */
@RestController
public class EffectsController {

    private final EffectCatalog catalog;

    public EffectsController(EffectCatalog catalog) {
        this.catalog = catalog;
    }

    @GetMapping("/effects")
    public List<EffectSpec<?>> effects() {
        return catalog.all();
    }
}
