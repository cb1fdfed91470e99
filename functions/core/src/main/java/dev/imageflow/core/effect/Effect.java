package dev.imageflow.core.effect;

import java.awt.image.BufferedImage;
import java.util.Locale;
import org.springframework.core.ResolvableType;

/**
 * One image effect: the only code an effect writes. Its name, its description and its parameters (a record whose
 * components carry {@link Param}) are all the pipeline needs to offer it: the gateway lists and checks them, the page
 * builds its controls from them, and an effect Service of the same name applies it. Reading, writing, recording and
 * replying are {@link dev.imageflow.core.function.StepFunction}'s job.
 *
 * @param <P> the effect's parameters, parsed and range-checked once per step; {@link NoParameters} when it takes none
 */
public interface Effect<P extends Record> {

    /**
     * The name users ask for, the {@code effect} attribute of its step events and the name of its Knative Service: by
     * default the class's name less {@code Effect}, in lower case with hyphens ({@code FishEyeEffect}: fish-eye), as
     * Knative Service names must be.
     */
    default String name() {
        String simple = getClass().getSimpleName();
        String base =
                simple.endsWith("Effect") && simple.length() > 6 ? simple.substring(0, simple.length() - 6) : simple;
        return base.replaceAll("(?<=[a-z0-9])(?=[A-Z])", "-").toLowerCase(Locale.ROOT);
    }

    /** One line for people choosing an effect. */
    String description();

    /** The record the step's parameters are read into: by default the {@code P} this class implements Effect with. */
    @SuppressWarnings("unchecked")
    default Class<P> parameters() {
        Class<?> type = ResolvableType.forClass(getClass())
                .as(Effect.class)
                .getGeneric(0)
                .resolve();
        if (type == null || !Record.class.isAssignableFrom(type)) {
            throw new IllegalStateException(getClass().getName()
                    + " must name its parameter record: implement Effect<ItsParams> (or Effect<NoParameters>)");
        }
        return (Class<P>) type;
    }

    /**
     * @param image  upright, packed-int RGB or ARGB
     * @param params this step's parameters, defaults applied and ranges checked
     * @return the result; may be {@code image} itself when the effect changes nothing
     */
    BufferedImage apply(BufferedImage image, P params);
}
