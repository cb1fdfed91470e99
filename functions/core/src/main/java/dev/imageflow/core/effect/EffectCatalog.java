package dev.imageflow.core.effect;

import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The effects this build offers, made from the {@link Effect} beans there are, so the list is written nowhere else:
 * the gateway refuses what is not here before any work starts and lists it at {@code GET /effects}, and an effect
 * service finds the effect its Knative Service is named after.
 */
public final class EffectCatalog {

    private final List<EffectSpec<?>> effects;

    public EffectCatalog(Collection<? extends Effect<?>> effects) {
        Map<String, EffectSpec<?>> byName = new LinkedHashMap<>();
        effects.stream().sorted(Comparator.comparing(Effect::name)).forEach(effect -> {
            if (byName.put(effect.name(), EffectSpec.of(effect)) != null) {
                throw new IllegalStateException("two effects are named " + effect.name());
            }
        });
        this.effects = List.copyOf(byName.values());
    }

    public List<EffectSpec<?>> all() {
        return effects;
    }

    public List<String> names() {
        return effects.stream().map(EffectSpec::name).toList();
    }

    public Optional<EffectSpec<?>> find(String name) {
        return effects.stream().filter(e -> e.name().equals(name)).findFirst();
    }

    /**
     * Checks a job's effects and parameters, and returns the parameters that apply to its effects. A parameter is
     * named {@code <effect>.<param>} (every step of that effect) or {@code <step>.<param>} (one step, by its index).
     *
     * @param maxEffects the most effects one job may chain
     * @throws InvalidRequestException naming the first thing wrong
     */
    public Map<String, String> validate(List<String> chain, Map<String, String> params, int maxEffects) {
        if (chain.isEmpty()) {
            throw new InvalidRequestException("no effects given: choose from " + names());
        }
        if (chain.size() > maxEffects) {
            throw new InvalidRequestException(
                    chain.size() + " effects given; at most " + maxEffects + " may be chained");
        }
        for (String effect : chain) {
            if (find(effect).isEmpty()) {
                throw new InvalidRequestException("unknown effect '" + effect + "': choose from " + names());
            }
        }
        Map<String, String> accepted = new LinkedHashMap<>();
        params.forEach((key, value) -> {
            int dot = key.indexOf('.');
            String owner = dot < 0 ? key : key.substring(0, dot);
            EffectSpec<?> spec = dot < 0 ? null : owner(owner, chain, key);
            ParamSpec param =
                    spec == null ? null : spec.param(key.substring(dot + 1)).orElse(null);
            if (param == null) {
                throw new InvalidRequestException("unknown parameter '" + key + "'");
            }
            param.parse(owner, value);
            accepted.put(key, value.trim());
        });
        return accepted;
    }

    /** The effect a parameter's prefix names: a step of the chain by its index, or an effect of the chain by name. */
    private EffectSpec<?> owner(String prefix, List<String> chain, String key) {
        if (!prefix.isEmpty() && prefix.chars().allMatch(Character::isDigit)) {
            int step = prefix.length() > 3 ? Integer.MAX_VALUE : Integer.parseInt(prefix);
            if (step >= chain.size()) {
                throw new InvalidRequestException("parameter '" + key + "' names step " + prefix
                        + ", but the chain has " + chain.size() + " step(s), counted from 0");
            }
            return find(chain.get(step)).orElseThrow();
        }
        EffectSpec<?> spec = find(prefix).orElse(null);
        if (spec != null && !chain.contains(prefix)) {
            throw new InvalidRequestException("parameter '" + key + "' given but " + prefix + " is not applied");
        }
        return spec;
    }
}
