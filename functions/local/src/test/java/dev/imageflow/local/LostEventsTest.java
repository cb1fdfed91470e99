package dev.imageflow.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.imageflow.core.test.TestImages;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A job id given out is a promise. When the Broker loses every event it holds (an in-memory channel restarted),
 * the gateway notices the jobs went quiet and sends each one's next event again from its record.
 */
class LostEventsTest extends OnLocalStack {

    static final byte[] PHOTO = TestImages.jpeg(TestImages.photo(400, 300));

    @BeforeAll
    static void start() {
        startStack(LocalStack.Settings.forTests()
                .with(Map.of(
                        "imageflow.step.demo-delay", "400ms",
                        "imageflow.gateway.redrive-after", "2s",
                        "imageflow.gateway.reap-interval", "300ms")));
    }

    @Test
    void everyQueuedDeliveryDroppedMidJobAndTheJobsStillEndDone() throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            Uploads.Answer answer = gateway.upload(
                    PHOTO, "photo.jpg", Map.of("effects", "bw,blur,thumbnail"), "Prefer", "respond-async");
            assertThat(answer.status()).as(answer.text()).isEqualTo(202);
            ids.add(answer.json().path("id").asText());
        }
        Thread.sleep(600);

        stack.broker().dropEverything();

        for (String id : ids) {
            JsonNode job = gateway.awaitFinal(id, Duration.ofSeconds(60));
            assertThat(job.path("status").asText()).as(job.toString()).isEqualTo("done");
            assertThat(job.path("steps").findValuesAsText("effect")).containsExactly("bw", "blur", "thumbnail");
        }
        assertThat(gateway.get("/actuator/prometheus").text())
                .containsPattern("imageflow_jobs_total\\{[^}]*event=\"redriven\"[^}]*\\} [1-9]");
    }
}
