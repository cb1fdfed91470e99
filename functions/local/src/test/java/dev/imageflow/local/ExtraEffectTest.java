package dev.imageflow.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.imageflow.core.test.TestImages;
import dev.imageflow.effects.InvertEffect;
import java.awt.image.BufferedImage;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A new effect is its class and its Trigger, nothing else: the test-only {@link InvertEffect} and
 * {@code eventing/trigger-invert.yaml} (test resources) are listed, checked, offered on the page and routed by the
 * runner like the effects that ship.
 */
class ExtraEffectTest extends OnLocalStack {

    @BeforeAll
    static void start() {
        startStack(LocalStack.Settings.forTests());
    }

    @Test
    void theGatewayListsItWithItsParameterFromItsClass() {
        JsonNode effects = gateway.get("/effects").json();
        JsonNode invert = null;
        for (JsonNode effect : effects) {
            if (effect.path("name").asText().equals("invert")) {
                invert = effect;
            }
        }
        assertThat(invert).as("invert in %s", effects).isNotNull();
        assertThat(invert.path("description").asText()).isEqualTo("the negative, in part or whole");
        JsonNode strength = invert.path("params").get(0);
        assertThat(strength.path("name").asText()).isEqualTo("strength");
        assertThat(strength.path("type").asText()).isEqualTo("number");
        assertThat(strength.path("min").asDouble()).isZero();
        assertThat(strength.path("max").asDouble()).isEqualTo(1);
        assertThat(strength.path("default").asDouble()).isEqualTo(1);
    }

    @Test
    void itsParametersAreCheckedBeforeAnythingIsWritten() {
        Uploads.Answer answer = gateway.upload(
                TestImages.jpeg(TestImages.photo(64, 48)),
                "photo.jpg",
                Map.of("effects", "invert", "invert.strength", "2"));

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.json().path("error").asText()).isEqualTo("invert.strength must be between 0 and 1, got 2");
    }

    @Test
    void theRunnerRoutesItsStepsToItsOwnServiceWithEachStepsParameters() throws Exception {
        BufferedImage photo = TestImages.photo(96, 64);
        Uploads.Answer answer = gateway.upload(
                TestImages.jpeg(photo),
                "photo.jpg",
                Map.of("effects", "invert,invert", "0.strength", "0.5", "1.strength", "1"));

        assertThat(answer.status()).as(answer.text()).isEqualTo(200);
        JsonNode job = answer.json();
        assertThat(job.path("status").asText()).isEqualTo("done");
        assertThat(job.path("steps"))
                .extracting(s -> s.path("pod").asText())
                .containsExactly("invert-local", "invert-local");
        // Half-way to the negative makes mid-grey; the whole negative of mid-grey is still mid-grey.
        BufferedImage result =
                TestImages.read(gateway.get(job.path("view_url").asText()).body());
        int rgb = result.getRGB(48, 32);
        assertThat(rgb >> 8 & 0xFF).isBetween(118, 137);
    }
}
