package dev.imageflow.core.effect;

import java.awt.image.BufferedImage;

/**
 * One image effect: the only code an effect writes. Its name, its description and its parameters (a record whose
 * components carry {@link Param}) are all the pipeline needs to offer it: the gateway lists and checks them, the page
 * builds its controls from them, and an effect Service of the same name applies it. Reading, writing, recording and
 * replying are {@link dev.imageflow.core.function.StepFunction}'s job.
 *
 * @param <P> the effect's parameters, parsed and range-checked once per step; {@link NoParameters} when it takes none
 */
public interface Effect<P extends Record> {

    /** The name users ask for, the {@code effect} attribute of its step events and the name of its Knative Service. */
    String name();

    /** One line for people choosing an effect. */
    String description();

    /** The record the step's parameters are read into. */
    Class<P> parameters();

    /**
     * @param image  upright, packed-int RGB or ARGB
     * @param params this step's parameters, defaults applied and ranges checked
     * @return the result; may be {@code image} itself when the effect changes nothing
     */
    BufferedImage apply(BufferedImage image, P params);
}
