package dev.imageflow.local;

import org.junit.jupiter.api.AfterAll;

/**
 * Tests that run against a whole one-machine stack: each class starts its own in {@code @BeforeAll} with the
 * settings it needs, and the stack is closed after the class.
 */
abstract class OnLocalStack {

    static LocalStack stack;
    static Uploads gateway;

    static void startStack(LocalStack.Settings settings) {
        stack = LocalStack.start(settings);
        gateway = new Uploads(stack.gateway());
    }

    @AfterAll
    static void stopStack() {
        if (stack != null) {
            stack.close();
            stack = null;
        }
    }
}
