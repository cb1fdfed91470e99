package dev.imageflow.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.imageflow.core.test.TestImages;
import java.net.URI;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.context.WebServerApplicationContext;

/**
 * Operators see one job as one trace: every function's log lines about a job carry its id and the same trace id,
 * and each function's Prometheus endpoint shows what the steps cost.
 */
@ExtendWith(OutputCaptureExtension.class)
class ObservabilityTest extends OnLocalStack {

    @BeforeAll
    static void start() {
        startStack(LocalStack.Settings.forTests());
    }

    @Test
    void aJobsLogLinesInEveryFunctionShareItsIdAndOneTraceId(CapturedOutput output) throws Exception {
        Uploads.Answer answer = gateway.upload(TestImages.jpeg(TestImages.photo(200, 150)), "bw,blur");
        String id = answer.json().path("id").asText();
        stack.broker().awaitIdle(java.time.Duration.ofSeconds(10));

        List<String> lines =
                output.getAll().lines().filter(l -> l.contains("job=" + id)).toList();
        Pattern correlation = Pattern.compile("\\[(\\w{32}) (\\w{16}) (\\w+) job=" + id + " step=([\\w-]*)\\]");
        Set<String> services = new java.util.TreeSet<>();
        Set<String> traces = new java.util.TreeSet<>();
        Set<String> steps = new java.util.TreeSet<>();
        for (String line : lines) {
            Matcher m = correlation.matcher(line);
            if (m.find()) {
                traces.add(m.group(1));
                services.add(m.group(3));
                steps.add(m.group(4));
            }
        }
        assertThat(services).as(String.join("\n", lines)).containsExactly("blur", "bw", "gateway");
        assertThat(traces).as(String.join("\n", lines)).hasSize(1);
        // The functions' lines name their step; the gateway's have none.
        assertThat(steps).contains("0-bw", "1-blur");
    }

    @Test
    void everyFunctionExposesItsStepTimersAndTheGatewayItsJobCounts() {
        Uploads.Answer answer = gateway.upload(TestImages.jpeg(TestImages.photo(200, 150)), "blur");
        assertThat(answer.status()).isEqualTo(200);

        String blur = prometheus("blur");
        for (String phase : List.of("decode", "effect", "encode")) {
            assertThat(blur)
                    .containsPattern("imageflow_step_" + phase + "_seconds_count\\{.*effect=\"blur\".*\\} [1-9]");
        }
        assertThat(blur)
                .containsPattern("imageflow_image_pixels_sum\\{.*effect=\"blur\".*\\} [1-9]")
                .contains("service=\"blur\"")
                .contains("revision=\"local\"");
        assertThat(prometheus("gateway"))
                .containsPattern("imageflow_jobs_total\\{.*event=\"done\".*\\} [1-9]")
                .containsPattern("imageflow_jobs_total\\{.*event=\"started\".*\\} [1-9]");
    }

    private static String prometheus(String function) {
        int port = ((WebServerApplicationContext) stack.function(function))
                .getWebServer()
                .getPort();
        return new Uploads(URI.create("http://127.0.0.1:" + port))
                .get("/actuator/prometheus")
                .text();
    }
}
