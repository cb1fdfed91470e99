package dev.imageflow.core.effect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EffectCatalogTest {

    record Sigma(
            @Param(min = 0.3, max = 50, defaultValue = 4, description = "spread")
            double sigma) {}

    record Box(
            @Param(min = 16, max = 2048, defaultValue = 256, description = "side")
            int size) {}

    record Unannotated(double sigma) {}

    /** An effect that only declares itself: enough for the catalog, which never runs one. */
    record Declared<P extends Record>(String name, Class<P> parameters) implements Effect<P> {

        @Override
        public String description() {
            return "the " + name + " effect";
        }

        @Override
        public BufferedImage apply(BufferedImage image, P params) {
            return image;
        }
    }

    private final EffectCatalog catalog = new EffectCatalog(List.of(
            new Declared<>("thumbnail", Box.class),
            new Declared<>("blur", Sigma.class),
            new Declared<>("bw", NoParameters.class)));

    @Test
    void listsTheEffectsItWasGivenByNameWithTheirParametersReadFromTheRecord() {
        assertThat(catalog.names()).containsExactly("blur", "bw", "thumbnail");
        ParamSpec size = catalog.find("thumbnail").orElseThrow().params().get(0);
        assertThat(size).isEqualTo(new ParamSpec("size", true, 16, 2048, 256, "side"));
        assertThat(size.type()).isEqualTo("integer");
        assertThat(catalog.find("blur").orElseThrow().params().get(0).type()).isEqualTo("number");
        assertThat(catalog.find("bw").orElseThrow().params()).isEmpty();
    }

    static class FishEyeEffect implements Effect<Sigma> {

        @Override
        public String description() {
            return "a fish-eye lens";
        }

        @Override
        public BufferedImage apply(BufferedImage image, Sigma params) {
            return image;
        }
    }

    @Test
    void anEffectIsNamedAfterItsClassAndReadsTheParameterRecordItImplementsEffectWith() {
        EffectSpec<?> spec =
                new EffectCatalog(List.of(new FishEyeEffect())).find("fish-eye").orElseThrow();

        assertThat(spec.params()).extracting(ParamSpec::name).containsExactly("sigma");
        assertThat(spec.parameters(0, Map.of("fish-eye.sigma", "2"))).isEqualTo(new Sigma(2));
    }

    @Test
    void refusesTwoEffectsOfOneNameAndParametersWithoutARange() {
        assertThatThrownBy(() -> new EffectCatalog(
                        List.of(new Declared<>("bw", NoParameters.class), new Declared<>("bw", NoParameters.class))))
                .hasMessage("two effects are named bw");
        assertThatThrownBy(() -> new EffectCatalog(List.of(new Declared<>("blur", Unannotated.class))))
                .hasMessageContaining("parameter sigma")
                .hasMessageContaining("@Param");
    }

    @Test
    void acceptsKnownEffectsInAnyOrderWithRepeatsAndTheirParameters() {
        Map<String, String> accepted =
                catalog.validate(List.of("bw", "blur", "blur"), Map.of("blur.sigma", " 2.5 "), 8);

        assertThat(accepted).containsExactly(Map.entry("blur.sigma", "2.5"));
    }

    @Test
    void eachStepMayCarryItsOwnParametersOverTheEffectWideOnes() {
        Map<String, String> params =
                catalog.validate(List.of("blur", "bw", "blur"), Map.of("blur.sigma", "2", "0.sigma", "8"), 8);
        EffectSpec<?> blur = catalog.find("blur").orElseThrow();

        assertThat(blur.parameters(0, params)).isEqualTo(new Sigma(8));
        assertThat(blur.parameters(2, params)).isEqualTo(new Sigma(2));
        assertThat(blur.parameters(2, Map.of())).as("the default").isEqualTo(new Sigma(4));
        assertThat(catalog.find("thumbnail").orElseThrow().parameters(0, Map.of()))
                .isEqualTo(new Box(256));
    }

    @Test
    void refusesStepParametersThatNameNoStepOrAParameterTheStepsEffectLacks() {
        assertThatThrownBy(() -> catalog.validate(List.of("blur", "bw"), Map.of("2.sigma", "3"), 8))
                .hasMessage("parameter '2.sigma' names step 2, but the chain has 2 step(s), counted from 0");
        assertThatThrownBy(() -> catalog.validate(List.of("blur", "bw"), Map.of("1.sigma", "3"), 8))
                .hasMessage("unknown parameter '1.sigma'");
        assertThatThrownBy(() -> catalog.validate(List.of("blur"), Map.of("99999999999.sigma", "3"), 8))
                .hasMessageContaining("names step 99999999999");
    }

    @Test
    void refusesNoEffectsUnknownOnesAndTooMany() {
        assertThatThrownBy(() -> catalog.validate(List.of(), Map.of(), 8)).hasMessageStartingWith("no effects");
        assertThatThrownBy(() -> catalog.validate(List.of("BW"), Map.of(), 8))
                .hasMessage("unknown effect 'BW': choose from [blur, bw, thumbnail]");
        assertThatThrownBy(() -> catalog.validate(List.of("bw", "bw", "bw"), Map.of(), 2))
                .hasMessage("3 effects given; at most 2 may be chained");
        assertThatThrownBy(() -> catalog.validate(List.of("bw"), Map.of("blur.sigma", "3"), 8))
                .hasMessage("parameter 'blur.sigma' given but blur is not applied");
    }

    @Test
    void refusesParametersThatAreNotNumbersOutOfRangeOrNotWholeWhereTheyMustBe() {
        assertThatThrownBy(() -> catalog.validate(List.of("blur"), Map.of("blur.sigma", "lots"), 8))
                .hasMessage("blur.sigma must be a number, got 'lots'");
        assertThatThrownBy(() -> catalog.validate(List.of("thumbnail"), Map.of("thumbnail.size", "8"), 8))
                .hasMessage("thumbnail.size must be between 16 and 2048, got 8");
        assertThatThrownBy(() -> catalog.validate(List.of("blur"), Map.of("blur.sigma", "NaN"), 8))
                .hasMessageContaining("must be between");
        assertThatThrownBy(() -> catalog.validate(List.of("thumbnail"), Map.of("0.size", "100.7"), 8))
                .hasMessage("0.size must be a whole number, got 100.7");
    }
}
