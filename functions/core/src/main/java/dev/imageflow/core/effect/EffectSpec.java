package dev.imageflow.core.effect;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.imageflow.core.image.DecodeHint;
import java.awt.image.BufferedImage;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An effect with what its parameter record says about it: the parameters' names, types, ranges and defaults, read
 * once from the record's components, and the reading of one step's parameters into that record.
 *
 * <p>A job's parameters are one flat map: {@code <effect>.<param>} applies to every step of that effect, and
 * {@code <step>.<param>} (the step's index in the chain) to that step alone, so {@code blur,bw,blur} can blur by 8 and
 * then by 2.
 */
@JsonPropertyOrder({"name", "description", "params"})
public final class EffectSpec<P extends Record> {

    private final Effect<P> effect;
    private final List<ParamSpec> params;
    private final Constructor<P> constructor;

    private EffectSpec(Effect<P> effect, List<ParamSpec> params, Constructor<P> constructor) {
        this.effect = effect;
        this.params = List.copyOf(params);
        this.constructor = constructor;
    }

    /** @throws IllegalStateException when the parameter record has a component that is not a {@link Param} number */
    public static <P extends Record> EffectSpec<P> of(Effect<P> effect) {
        Class<P> type = effect.parameters();
        RecordComponent[] components = type.getRecordComponents();
        List<ParamSpec> params = new ArrayList<>();
        Class<?>[] types = new Class<?>[components.length];
        for (int i = 0; i < components.length; i++) {
            RecordComponent component = components[i];
            Param param = component.getAnnotation(Param.class);
            Class<?> kind = component.getType();
            if (param == null || (kind != int.class && kind != double.class)) {
                throw new IllegalStateException(effect.name() + ": parameter " + component.getName() + " of "
                        + type.getName() + " must be an int or double with @Param");
            }
            params.add(new ParamSpec(
                    component.getName(),
                    kind == int.class,
                    param.min(),
                    param.max(),
                    param.defaultValue(),
                    param.description()));
            types[i] = kind;
        }
        try {
            Constructor<P> constructor = type.getDeclaredConstructor(types);
            constructor.setAccessible(true);
            return new EffectSpec<>(effect, params, constructor);
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException(type.getName() + " has no canonical constructor", e);
        }
    }

    @JsonProperty
    public String name() {
        return effect.name();
    }

    @JsonProperty
    public String description() {
        return effect.description();
    }

    @JsonProperty
    public List<ParamSpec> params() {
        return params;
    }

    @JsonIgnore
    public Effect<P> effect() {
        return effect;
    }

    public Optional<ParamSpec> param(String name) {
        return params.stream().filter(p -> p.name().equals(name)).findFirst();
    }

    /**
     * Step {@code step}'s parameters: the value given for that step, else the one given for every step of this
     * effect, else the default.
     *
     * @param jobParams the job's parameters, as {@link EffectCatalog#validate} accepted them
     * @throws InvalidRequestException when a value is not acceptable (the gateway checked it, but an event may be
     *                                 forged)
     */
    public P parameters(int step, Map<String, String> jobParams) {
        Object[] values = new Object[params.size()];
        for (int i = 0; i < values.length; i++) {
            ParamSpec param = params.get(i);
            String forStep = jobParams.get(step + "." + param.name());
            String forEffect = jobParams.get(name() + "." + param.name());
            if (forStep != null) {
                values[i] = param.parse(Integer.toString(step), forStep);
            } else if (forEffect != null) {
                values[i] = param.parse(name(), forEffect);
            } else {
                values[i] = param.whole() ? (Object) (int) param.defaultValue() : (Object) param.defaultValue();
            }
        }
        try {
            return constructor.newInstance(values);
        } catch (InvocationTargetException e) {
            // A record's own check of its values (a compact constructor) refused them.
            throw new InvalidRequestException(name() + ": " + e.getCause().getMessage());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Step {@code step} of a job: this effect with that step's parameters, read and checked once. */
    public Configured<P> forStep(int step, Map<String, String> jobParams) {
        return new Configured<>(effect, parameters(step, jobParams));
    }

    /** An effect with the parameters of one step: how small a decode it can start from, and its work. */
    public record Configured<P extends Record>(Effect<P> effect, P params) {

        /** The effect's own hint, or every pixel. */
        @SuppressWarnings("unchecked")
        public DecodeHint decodeHint() {
            return effect instanceof DecodeHint.Source<?> source
                    ? ((DecodeHint.Source<P>) source).decodeHint(params)
                    : DecodeHint.FULL;
        }

        public BufferedImage apply(BufferedImage image) {
            return effect.apply(image, params);
        }
    }
}
