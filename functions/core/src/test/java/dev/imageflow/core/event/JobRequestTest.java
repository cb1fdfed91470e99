package dev.imageflow.core.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

/** A job request is read the same whether typed as JSON by hand or built by {@code kn event send --field}. */
class JobRequestTest {

    private final ObjectMapper json = new ObjectMapper();

    private JobRequest read(String data) throws Exception {
        return json.readValue(data, JobRequest.class);
    }

    @Test
    void effectsAreAJsonListOrACommaSeparatedString() throws Exception {
        assertThat(read("{\"key\":\"uploads/a.jpg\",\"effects\":[\"bw\",\"blur\"]}").effects())
                .containsExactly("bw", "blur");
        assertThat(read("{\"key\":\"uploads/a.jpg\",\"effects\":\"bw, blur\"}").effects())
                .containsExactly("bw", "blur");
        assertThat(read("{\"key\":\"uploads/a.jpg\",\"effects\":\"bw\"}").effects()).containsExactly("bw");
    }

    @Test
    void paramsAreStringsNumbersOrBooleans() throws Exception {
        JobRequest request = read("{\"key\":\"k\",\"effects\":\"blur\","
                + "\"params\":{\"blur.sigma\":3.5,\"thumbnail.size\":\"128\",\"bw.keep\":true}}");

        assertThat(request.params()).containsExactlyInAnyOrderEntriesOf(
                Map.of("blur.sigma", "3.5", "thumbnail.size", "128", "bw.keep", "true"));
    }

    @Test
    void knsNestedParamsAreFlattenedToDottedNames() throws Exception {
        // what `kn event send --field params.thumbnail.size=128 --field params.blur.sigma=2` sends
        JobRequest request = read("{\"key\":\"k\",\"effects\":\"thumbnail,blur\","
                + "\"params\":{\"thumbnail\":{\"size\":128},\"blur\":{\"sigma\":2}}}");

        assertThat(request.effects()).containsExactly("thumbnail", "blur");
        assertThat(request.params()).containsExactlyInAnyOrderEntriesOf(
                Map.of("thumbnail.size", "128", "blur.sigma", "2"));
    }

    @Test
    void missingParamsAreEmptyAndMissingEffectsStayMissingForTheGatewayToReject() throws Exception {
        JobRequest request = read("{\"key\":\"k\"}");

        assertThat(request.params()).isEmpty();
        assertThat(request.effects()).isNull();
    }

    @Test
    void aRequestWrittenByJacksonReadsBackEqual() throws Exception {
        JobRequest request = new JobRequest("uploads/a.jpg", List.of("bw", "thumbnail"), Map.of("thumbnail.size", "64"));

        assertThat(read(json.writeValueAsString(request))).isEqualTo(request);
    }

    @Test
    void shapesNoToolSendsAreRejected() {
        assertThatThrownBy(() -> read("{\"key\":\"k\",\"effects\":[1]}")).hasRootCauseInstanceOf(
                IllegalArgumentException.class);
        assertThatThrownBy(() -> read("{\"key\":\"k\",\"effects\":\"bw\",\"params\":{\"a\":[1]}}"))
                .hasRootCauseInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> read("{\"key\":\"k\",\"effects\":\"bw\",\"params\":\"a=1\"}"))
                .hasRootCauseInstanceOf(IllegalArgumentException.class);
    }
}
