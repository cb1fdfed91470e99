package dev.imageflow.core.effect;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The effects the pipeline offers and their parameters. It is part of the contract between the gateway, which
 * refuses what is not here before any work starts, and the functions, which read their parameters through it.
 * A new effect adds one entry here, one {@link Effect}, one Knative Service and one Trigger.
 */
public final class EffectCatalog {

    private static final List<EffectSpec> EFFECTS = List.of(
            new EffectSpec("blur", "gaussian blur", List.of(
                    new ParamSpec("sigma", 0.3, 50, 4, "standard deviation of the gaussian, in pixels"))),
            new EffectSpec("bw", "black and white (sRGB luma)", List.of()),
            new EffectSpec("thumbnail", "fit into a square box, keeping aspect", List.of(
                    new ParamSpec("size", 16, 2048, 256, "the box's side, in pixels"))));

    private EffectCatalog() {
    }

    public static List<EffectSpec> all() {
        return EFFECTS;
    }

    public static Optional<EffectSpec> find(String name) {
        return EFFECTS.stream().filter(e -> e.name().equals(name)).findFirst();
    }

    /**
     * Checks a job's effects and parameters, and returns the parameters that apply to its effects.
     *
     * @param maxEffects the most effects one job may chain
     * @throws InvalidRequestException naming the first thing wrong
     */
    public static Map<String, String> validate(List<String> effects, Map<String, String> params, int maxEffects) {
        if (effects.isEmpty()) {
            throw new InvalidRequestException("no effects given: choose from " + names());
        }
        if (effects.size() > maxEffects) {
            throw new InvalidRequestException(
                    effects.size() + " effects given; at most " + maxEffects + " may be chained");
        }
        for (String effect : effects) {
            if (find(effect).isEmpty()) {
                throw new InvalidRequestException("unknown effect '" + effect + "': choose from " + names());
            }
        }
        Map<String, String> accepted = new LinkedHashMap<>();
        params.forEach((key, value) -> {
            int dot = key.indexOf('.');
            EffectSpec spec = dot < 0 ? null : find(key.substring(0, dot)).orElse(null);
            ParamSpec param = spec == null ? null : spec.param(key.substring(dot + 1)).orElse(null);
            if (param == null) {
                throw new InvalidRequestException("unknown parameter '" + key + "'");
            }
            if (!effects.contains(spec.name())) {
                throw new InvalidRequestException("parameter '" + key + "' given but " + spec.name() + " is not applied");
            }
            param.parse(spec.name(), value);
            accepted.put(key, value.trim());
        });
        return accepted;
    }

    private static List<String> names() {
        return EFFECTS.stream().map(EffectSpec::name).toList();
    }
}
