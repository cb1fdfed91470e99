package dev.imageflow.core.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A job request is read the ways people write one: by hand, from a program, or with {@code kn event send}. */
class JobRequestTest {

    private final ObjectMapper json = new ObjectMapper();

    private JobRequest read(String data) throws Exception {
        return json.readValue(data, JobRequest.class);
    }

    @Test
    void effectsMayBeAListOrACommaSeparatedString() throws Exception {
        assertThat(read("{\"key\": \"uploads/a.jpg\", \"effects\": [\"bw\", \"blur\"]}")
                        .effects())
                .containsExactly("bw", "blur");
        assertThat(read("{\"key\": \"uploads/a.jpg\", \"effects\": \"bw, blur\"}")
                        .effects())
                .containsExactly("bw", "blur");
    }

    @Test
    void parametersMayBeStringsOrNumbersFlatOrNestedAsKnMakesThem() throws Exception {
        JobRequest flat =
                read("{\"key\": \"k\", \"effects\": \"thumbnail\", \"params\": {\"thumbnail.size\": \"128\"}}");
        // kn event send --field params.thumbnail.size=128 --field params.blur.sigma=2.5
        JobRequest nested = read("{\"key\": \"k\", \"effects\": \"thumbnail\","
                + " \"params\": {\"thumbnail\": {\"size\": 128}, \"blur\": {\"sigma\": 2.5}}}");

        assertThat(flat.params()).isEqualTo(Map.of("thumbnail.size", "128"));
        assertThat(nested.params()).isEqualTo(Map.of("thumbnail.size", "128", "blur.sigma", "2.5"));
    }

    @Test
    void noParametersIsNone() throws Exception {
        assertThat(read("{\"key\": \"k\", \"effects\": \"bw\"}").params()).isEmpty();
    }

    @Test
    void effectsOfAnotherShapeAreRefusedWithTheReason() {
        assertThatThrownBy(() -> read("{\"key\": \"k\", \"effects\": 3}"))
                .hasMessageContaining("effects must be a list of names or a string");
        assertThatThrownBy(() -> read("{\"key\": \"k\", \"effects\": [1]}")).hasMessageContaining("must be names");
        assertThatThrownBy(() -> read("{\"key\": \"k\", \"effects\": \"bw\", \"params\": {\"blur\": [1]}}"))
                .hasMessageContaining("parameter blur must be a string or a number");
    }
}
