package dev.imageflow.core.config;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Starts one function. Each reads {@code <name>.yaml} rather than {@code application.yaml}: the one-machine runner
 * puts every function on one classpath, where several {@code application.yaml} files would shadow each other.
 * An {@code application.yaml} beside the jar or in {@code ./config} still overrides, as Spring Boot users expect.
 */
public final class FunctionApplication {

    private FunctionApplication() {}

    /**
     * Lettuce's Netty pools its buffers in chunks of 4 MB of direct memory, where a function sends Redis a few
     * commands of a few hundred bytes per step: unpooled, bw's idle RSS is 4-7 MB less (NMT "Other" 4.2 MB to 0.2 MB).
     * Set before Netty reads it; a value given on the command line wins.
     */
    static final String NETTY_ALLOCATOR = "io.netty.allocator.type";

    public static SpringApplicationBuilder builder(Class<?> application, String name) {
        if (System.getProperty(NETTY_ALLOCATOR) == null) {
            System.setProperty(NETTY_ALLOCATOR, "unpooled");
        }
        return new SpringApplicationBuilder(application)
                .properties("spring.config.name=" + name + ",application")
                .listeners(new JavaRuntimeAdvice());
    }

    public static ConfigurableApplicationContext run(Class<?> application, String name, String... args) {
        return builder(application, name).run(args);
    }
}
