package dev.imageflow.effects;

import dev.imageflow.core.test.StepFunctionContract;
import org.springframework.boot.test.context.SpringBootTest;

@SpringBootTest(
        classes = EffectsApplication.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"spring.config.name=effects", "spring.cloud.function.definition=bw"})
class BwFunctionTest extends StepFunctionContract {

    @Override
    protected String effect() {
        return "bw";
    }

    @Override
    protected String otherEffect() {
        return "thumbnail";
    }
}
