package dev.imageflow.core.config;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Starts one function. Each reads {@code <name>.yaml} rather than {@code application.yaml}: the one-machine runner
 * puts every function on one classpath, where several {@code application.yaml} files would shadow each other.
 * An {@code application.yaml} beside the jar or in {@code ./config} still overrides, as Spring Boot users expect.
 */
public final class FunctionApplication {

    private FunctionApplication() {
    }

    public static SpringApplicationBuilder builder(Class<?> application, String name) {
        return new SpringApplicationBuilder(application)
                .properties("spring.config.name=" + name + ",application")
                .listeners(new JavaRuntimeAdvice());
    }

    public static ConfigurableApplicationContext run(Class<?> application, String name, String... args) {
        return builder(application, name).run(args);
    }
}
