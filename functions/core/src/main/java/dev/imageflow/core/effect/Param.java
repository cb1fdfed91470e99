package dev.imageflow.core.effect;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A numeric parameter of an effect, on a component of its parameter record: an {@code int} component takes whole
 * numbers only, a {@code double} any number in range.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.RECORD_COMPONENT)
public @interface Param {

    double min();

    double max();

    /** The value a request that leaves the parameter out gets. */
    double defaultValue();

    /** What it means, for people: shown by {@code GET /effects} and on the page. */
    String description();
}
