package dev.imageflow.blur;

import org.springframework.boot.test.context.SpringBootTest;

import dev.imageflow.core.test.StepFunctionContract;

@SpringBootTest(classes = BlurApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "spring.config.name=blur")
class BlurFunctionTest extends StepFunctionContract {

    @Override
    protected String effect() {
        return "blur";
    }

    @Override
    protected String otherEffect() {
        return "bw";
    }
}
