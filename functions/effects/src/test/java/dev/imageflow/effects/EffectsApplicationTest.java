package dev.imageflow.effects;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.imageflow.core.config.FunctionApplication;
import dev.imageflow.core.effect.EffectCatalog;
import org.junit.jupiter.api.Test;
import org.springframework.cloud.function.context.FunctionCatalog;
import org.springframework.context.ConfigurableApplicationContext;

/** One application holds every effect; the function definition (K_SERVICE on Knative) picks the one it serves. */
class EffectsApplicationTest {

    private static final String[] OFFLINE = {
        "--server.port=0",
        "--imageflow.s3.create-bucket=false",
        "--imageflow.s3.endpoint=http://127.0.0.1:9",
        "--imageflow.redis.url=redis://127.0.0.1:9"
    };

    @Test
    void everyEffectOfThePackageIsAStepFunctionOfItsName() {
        try (ConfigurableApplicationContext context = start("--spring.cloud.function.definition=bw")) {
            EffectCatalog catalog = context.getBean(EffectCatalog.class);
            assertThat(catalog.names()).contains("blur", "bw", "thumbnail");
            FunctionCatalog functions = context.getBean(FunctionCatalog.class);
            for (String effect : catalog.names()) {
                assertThat((Object) functions.lookup(effect)).as(effect).isNotNull();
            }
        }
    }

    @Test
    void aServiceNamedAfterNoEffectDoesNotStartAndSaysWhichItKnows() {
        assertThatThrownBy(
                        () -> start("--spring.cloud.function.definition=sepia").close())
                .rootCause()
                .hasMessageContaining("must name the effect this service applies")
                .hasMessageContaining("[blur, bw, thumbnail]")
                .hasMessageContaining("got 'sepia'");
    }

    private static ConfigurableApplicationContext start(String definition) {
        String[] args = new String[OFFLINE.length + 1];
        System.arraycopy(OFFLINE, 0, args, 0, OFFLINE.length);
        args[OFFLINE.length] = definition;
        return FunctionApplication.run(EffectsApplication.class, EffectsApplication.NAME, args);
    }
}
