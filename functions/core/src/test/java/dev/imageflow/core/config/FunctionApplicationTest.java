package dev.imageflow.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Every function starts with Netty's allocator unpooled and Lettuce's JFR events off, unless the command line says
 * otherwise.
 */
class FunctionApplicationTest {

    private static final List<String> PROPERTIES =
            List.of(FunctionApplication.NETTY_ALLOCATOR, FunctionApplication.LETTUCE_JFR);

    private final Map<String, String> before = new HashMap<>();

    FunctionApplicationTest() {
        PROPERTIES.forEach(name -> before.put(name, System.getProperty(name)));
    }

    @AfterEach
    void restore() {
        before.forEach((name, value) -> {
            if (value == null) {
                System.clearProperty(name);
            } else {
                System.setProperty(name, value);
            }
        });
    }

    @Test
    void unpooledAndWithoutLettuceJfrByDefault() {
        PROPERTIES.forEach(System::clearProperty);
        FunctionApplication.builder(FunctionApplicationTest.class, "test");
        assertThat(System.getProperty(FunctionApplication.NETTY_ALLOCATOR)).isEqualTo("unpooled");
        assertThat(System.getProperty(FunctionApplication.LETTUCE_JFR)).isEqualTo("false");
    }

    @Test
    void theCommandLineWins() {
        System.setProperty(FunctionApplication.NETTY_ALLOCATOR, "pooled");
        System.setProperty(FunctionApplication.LETTUCE_JFR, "true");
        FunctionApplication.builder(FunctionApplicationTest.class, "test");
        assertThat(System.getProperty(FunctionApplication.NETTY_ALLOCATOR)).isEqualTo("pooled");
        assertThat(System.getProperty(FunctionApplication.LETTUCE_JFR)).isEqualTo("true");
    }
}
