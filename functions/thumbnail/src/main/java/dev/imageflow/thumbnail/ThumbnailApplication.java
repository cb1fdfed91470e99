package dev.imageflow.thumbnail;

import org.springframework.boot.autoconfigure.SpringBootApplication;

import dev.imageflow.core.config.FunctionApplication;

/** The thumbnail service: {@link ThumbnailEffect} behind the {@code step} function that imageflow-core provides. */
@SpringBootApplication
public class ThumbnailApplication {

    public static final String NAME = "thumbnail";

    public static void main(String[] args) {
        FunctionApplication.run(ThumbnailApplication.class, NAME, args);
    }
}
