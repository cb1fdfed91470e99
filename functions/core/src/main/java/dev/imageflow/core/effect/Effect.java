package dev.imageflow.core.effect;

import java.awt.image.BufferedImage;

/**
 * One image effect: the only code an effect module writes. Reading, writing, recording and replying are
 * {@link dev.imageflow.core.function.StepFunction}'s job.
 */
public interface Effect {

    /** The name users ask for, the {@code effect} attribute of its step events and the name of its Knative Service. */
    String name();

    /**
     * @param image  upright, packed-int RGB or ARGB
     * @param params this effect's parameters, defaults applied and ranges checked
     * @return the result; may be {@code image} itself when the effect changes nothing
     */
    BufferedImage apply(BufferedImage image, EffectParams params);
}
