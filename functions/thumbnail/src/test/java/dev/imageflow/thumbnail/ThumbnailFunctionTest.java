package dev.imageflow.thumbnail;

import org.springframework.boot.test.context.SpringBootTest;

import dev.imageflow.core.test.StepFunctionContract;

@SpringBootTest(classes = ThumbnailApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "spring.config.name=thumbnail")
class ThumbnailFunctionTest extends StepFunctionContract {

    @Override
    protected String effect() {
        return "thumbnail";
    }

    @Override
    protected String otherEffect() {
        return "blur";
    }
}
