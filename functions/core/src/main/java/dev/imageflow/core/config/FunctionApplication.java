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

    /**
     * Lettuce records its connection and command events as JFR events whenever the JDK has JFR: that starts JFR's
     * event machinery (166 classes) in every function at its first Redis command, for recordings nobody takes.
     */
    static final String LETTUCE_JFR = "io.lettuce.core.jfr";

    public static SpringApplicationBuilder builder(Class<?> application, String name) {
        defaultProperty(NETTY_ALLOCATOR, "unpooled");
        defaultProperty(LETTUCE_JFR, "false");
        return new SpringApplicationBuilder(application)
                .properties("spring.config.name=" + name + ",application")
                .listeners(new JavaRuntimeAdvice());
    }

    private static void defaultProperty(String name, String value) {
        if (System.getProperty(name) == null) {
            System.setProperty(name, value);
        }
    }

    public static ConfigurableApplicationContext run(Class<?> application, String name, String... args) {
        return builder(application, name).run(args);
    }
}
