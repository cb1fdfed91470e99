package dev.imageflow.effects;

import org.springframework.boot.test.context.SpringBootTest;

import dev.imageflow.core.test.StepFunctionContract;

@SpringBootTest(classes = EffectsApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"spring.config.name=effects", "spring.cloud.function.definition=thumbnail"})
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
