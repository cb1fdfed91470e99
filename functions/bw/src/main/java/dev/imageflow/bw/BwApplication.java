package dev.imageflow.bw;

import org.springframework.boot.autoconfigure.SpringBootApplication;

import dev.imageflow.core.config.FunctionApplication;

/** The bw service: {@link BwEffect} behind the {@code step} function that imageflow-core provides. */
@SpringBootApplication
public class BwApplication {

    public static final String NAME = "bw";

    public static void main(String[] args) {
        FunctionApplication.run(BwApplication.class, NAME, args);
    }
}
