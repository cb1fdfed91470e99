package dev.imageflow.bw;

import org.springframework.boot.test.context.SpringBootTest;

import dev.imageflow.core.test.StepFunctionContract;

@SpringBootTest(classes = BwApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "spring.config.name=bw")
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
