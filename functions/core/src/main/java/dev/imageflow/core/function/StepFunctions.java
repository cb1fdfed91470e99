package dev.imageflow.core.function;

import dev.imageflow.core.effect.EffectCatalog;
import dev.imageflow.core.effect.EffectSpec;
import java.lang.reflect.Type;
import java.util.Optional;
import java.util.function.Function;
import org.springframework.cloud.function.context.FunctionRegistration;
import org.springframework.cloud.function.context.FunctionRegistry;
import org.springframework.core.ResolvableType;
import org.springframework.messaging.Message;

/**
 * Registers every effect of the catalog as a step function of the effect's own name, as Spring Cloud Function's
 * samples keep several functions in one application; {@code spring.cloud.function.definition} then picks the one a
 * Knative Service serves at {@code POST /}. Registering at start rather than declaring a bean per effect keeps the
 * choice a run-time setting: one image, one Spring AOT build and one set of bean definitions serve every effect.
 */
public final class StepFunctions {

    static final Type TYPE = ResolvableType.forClassWithGenerics(
                    Function.class,
                    ResolvableType.forClassWithGenerics(Message.class, byte[].class),
                    ResolvableType.forClassWithGenerics(Message.class, byte[].class))
            .getType();

    private final EffectSpec<?> served;

    /**
     * @param definition {@code spring.cloud.function.definition}: the effect this service applies
     * @throws IllegalStateException when it names no effect of the catalog, so a misnamed Service fails at start
     */
    public StepFunctions(
            EffectCatalog catalog,
            String definition,
            FunctionRegistry registry,
            Function<EffectSpec<?>, StepFunction> stepFunction) {
        this.served = served(catalog, definition)
                .orElseThrow(() -> new IllegalStateException(
                        "spring.cloud.function.definition must name the effect this service applies, one of "
                                + catalog.names() + "; got '" + definition
                                + "' (on Knative it is the Service's name, K_SERVICE)"));
        for (EffectSpec<?> effect : catalog.all()) {
            registry.register(new FunctionRegistration<>(stepFunction.apply(effect), effect.name()).type(TYPE));
        }
    }

    /** The effect this service applies. */
    public EffectSpec<?> served() {
        return served;
    }

    /** The effect named by a function definition, if it names one. */
    public static Optional<EffectSpec<?>> served(EffectCatalog catalog, String definition) {
        return catalog.find(definition == null ? "" : definition.trim());
    }
}
