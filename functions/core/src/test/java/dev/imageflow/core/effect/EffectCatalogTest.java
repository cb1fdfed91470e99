package dev.imageflow.core.effect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class EffectCatalogTest {

    @Test
    void acceptsKnownEffectsInAnyOrderWithRepeatsAndTheirParameters() {
        Map<String, String> accepted = EffectCatalog.validate(List.of("bw", "blur", "blur"),
                Map.of("blur.sigma", " 2.5 "), 8);

        assertThat(accepted).containsExactly(Map.entry("blur.sigma", "2.5"));
    }

    @Test
    void parametersDefaultWhenLeftOut() {
        assertThat(new EffectParams("thumbnail", Map.of()).number("size")).isEqualTo(256);
        assertThat(new EffectParams("blur", Map.of("blur.sigma", "8")).number("sigma")).isEqualTo(8);
    }

    @Test
    void refusesNoEffectsUnknownOnesAndTooMany() {
        assertThatThrownBy(() -> EffectCatalog.validate(List.of(), Map.of(), 8)).hasMessageStartingWith("no effects");
        assertThatThrownBy(() -> EffectCatalog.validate(List.of("BW"), Map.of(), 8))
                .hasMessage("unknown effect 'BW': choose from [blur, bw, thumbnail]");
        assertThatThrownBy(() -> EffectCatalog.validate(List.of("bw", "bw", "bw"), Map.of(), 2))
                .hasMessage("3 effects given; at most 2 may be chained");
    }

    @Test
    void refusesParametersThatAreNotNumbersOrOutOfRange() {
        assertThatThrownBy(() -> EffectCatalog.validate(List.of("blur"), Map.of("blur.sigma", "lots"), 8))
                .hasMessage("blur.sigma must be a number, got 'lots'");
        assertThatThrownBy(() -> EffectCatalog.validate(List.of("thumbnail"), Map.of("thumbnail.size", "8"), 8))
                .hasMessage("thumbnail.size must be between 16 and 2048, got 8");
        assertThatThrownBy(() -> EffectCatalog.validate(List.of("blur"), Map.of("blur.sigma", "NaN"), 8))
                .hasMessageContaining("must be between");
    }
}
