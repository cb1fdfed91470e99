package dev.imageflow.core.effect;

import java.util.Map;

/** One effect's view of a job's parameters: {@code number("sigma")} reads {@code blur.sigma} or its default. */
public final class EffectParams {

    private final EffectSpec spec;
    private final Map<String, String> values;

    public EffectParams(String effect, Map<String, String> values) {
        this.spec = EffectCatalog.find(effect)
                .orElseThrow(() -> new InvalidRequestException("unknown effect '" + effect + "'"));
        this.values = Map.copyOf(values);
    }

    public double number(String name) {
        ParamSpec param = spec.param(name)
                .orElseThrow(() -> new IllegalArgumentException(spec.name() + " has no parameter " + name));
        String raw = values.get(spec.name() + "." + name);
        return raw == null ? param.defaultValue() : param.parse(spec.name(), raw);
    }
}
