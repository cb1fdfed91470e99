package dev.imageflow.core.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.imageflow.core.observe.EventTracing;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The wire contract the README documents: attribute names, extension values and exactly these data fields. */
class PipelineEventsTest {

    private final ObjectMapper json = new ObjectMapper();
    private final PipelineEvents events =
            new PipelineEvents(json, URI.create("/imageflow/test"), new EventTracing("test"));

    @Test
    void aStepEventNamesItsEffectAndJobAndCarriesExactlyTheDocumentedData() throws Exception {
        CloudEvent step =
                events.step(new StepData("j1", 1, "results/j1/0-bw", List.of("bw", "blur"), Map.of("blur.sigma", "3")));

        assertThat(step.getType()).isEqualTo("dev.imageflow.step");
        assertThat(step.getSource()).isEqualTo(URI.create("/imageflow/test"));
        assertThat(step.getExtension("effect")).isEqualTo("blur");
        assertThat(step.getExtension("jobid")).isEqualTo("j1");
        assertThat(step.getDataContentType()).isEqualTo("application/json");
        JsonNode data = json.readTree(step.getData().toBytes());
        assertThat(data.fieldNames()).toIterable().containsExactly("job", "step", "input", "effects", "params");
        assertThat(events.read(step, StepData.class).outputKey()).isEqualTo("results/j1/1-blur");
    }

    @Test
    void completionAndFailureCarryTheOutputOrTheReason() throws Exception {
        JsonNode done = json.readTree(
                events.completed("j1", "results/j1/1-blur").getData().toBytes());
        JsonNode failed =
                json.readTree(events.failed("j1", "blur: broken").getData().toBytes());

        assertThat(done.path("output").asText()).isEqualTo("results/j1/1-blur");
        assertThat(failed.path("error").asText()).isEqualTo("blur: broken");
    }

    @Test
    void dataThatIsNotTheRecordIsAMalformedEvent() {
        CloudEvent event = CloudEventBuilder.v1()
                .withId("1")
                .withSource(URI.create("/x"))
                .withType("t")
                .withData("application/json", "[1,2]".getBytes())
                .build();

        assertThatThrownBy(() -> events.read(event, StepData.class))
                .isInstanceOf(MalformedEventException.class)
                .hasMessageStartingWith("event data is not a valid StepData");
    }
}
