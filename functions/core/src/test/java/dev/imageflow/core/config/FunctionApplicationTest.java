package dev.imageflow.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Netty's allocator is unpooled in every function unless the command line says otherwise. */
class FunctionApplicationTest {

    private final String before = System.getProperty(FunctionApplication.NETTY_ALLOCATOR);

    @AfterEach
    void restore() {
        if (before == null) {
            System.clearProperty(FunctionApplication.NETTY_ALLOCATOR);
        } else {
            System.setProperty(FunctionApplication.NETTY_ALLOCATOR, before);
        }
    }

    @Test
    void unpooledByDefault() {
        System.clearProperty(FunctionApplication.NETTY_ALLOCATOR);
        FunctionApplication.builder(FunctionApplicationTest.class, "test");
        assertThat(System.getProperty(FunctionApplication.NETTY_ALLOCATOR)).isEqualTo("unpooled");
    }

    @Test
    void theCommandLineWins() {
        System.setProperty(FunctionApplication.NETTY_ALLOCATOR, "pooled");
        FunctionApplication.builder(FunctionApplicationTest.class, "test");
        assertThat(System.getProperty(FunctionApplication.NETTY_ALLOCATOR)).isEqualTo("pooled");
    }
}
