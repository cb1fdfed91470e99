package dev.imageflow.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class JavaRuntimeAdviceTest {

    @Test
    void onJava17ItSaysWhichJdkToInstallAndWhereMavenLooks() {
        assertThat(JavaRuntimeAdvice.advice(Runtime.Version.parse("17.0.15+6")))
                .hasValueSatisfying(text -> assertThat(text)
                        .contains("running on Java 17")
                        .contains("JDK 25")
                        .contains("/usr/lib/jvm"));
    }

    @Test
    void onJava25AndLaterItSaysNothing() {
        assertThat(JavaRuntimeAdvice.advice(Runtime.Version.parse("25.0.3+9"))).isEmpty();
        assertThat(JavaRuntimeAdvice.advice(Runtime.Version.parse("26"))).isEmpty();
    }
}
