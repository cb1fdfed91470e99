package dev.imageflow.core.effect;

import java.util.List;
import java.util.Optional;

/** An effect as the contract knows it: its name and the parameters it takes. */
public record EffectSpec(String name, String description, List<ParamSpec> params) {

    public EffectSpec {
        params = List.copyOf(params);
    }

    public Optional<ParamSpec> param(String name) {
        return params.stream().filter(p -> p.name().equals(name)).findFirst();
    }
}
