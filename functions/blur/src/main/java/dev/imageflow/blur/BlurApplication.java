package dev.imageflow.blur;

import org.springframework.boot.autoconfigure.SpringBootApplication;

import dev.imageflow.core.config.FunctionApplication;

/** The blur service: {@link BlurEffect} behind the {@code step} function that imageflow-core provides. */
@SpringBootApplication
public class BlurApplication {

    public static final String NAME = "blur";

    public static void main(String[] args) {
        FunctionApplication.run(BlurApplication.class, NAME, args);
    }
}
