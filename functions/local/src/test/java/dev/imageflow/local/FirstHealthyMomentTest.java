package dev.imageflow.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.imageflow.core.embedded.FreePort;
import dev.imageflow.core.test.TestImages;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * Healthy means ready: the seed's upload, sent the moment the runner's health first says UP, is processed at once,
 * and the starting runner answers nothing before that.
 */
class FirstHealthyMomentTest {

    @Test
    void theSeedsUploadSentTheMomentHealthSaysUpIsDone() throws Exception {
        int port = FreePort.find();
        CompletableFuture<LocalStack> starting = CompletableFuture.supplyAsync(() ->
                LocalStack.start(new LocalStack.Settings(port, null, 2, false, Map.of(), Map.of(), Map.of(), null)));
        LocalStack stack = null;
        try {
            Uploads uploads = new Uploads(URI.create("http://127.0.0.1:" + port));
            uploads.awaitHealthy(Duration.ofSeconds(120), () -> !starting.isCompletedExceptionally());

            Uploads.Answer answer = uploads.upload(TestImages.jpeg(TestImages.photo(640, 480)), "bw,blur");

            assertThat(answer.status()).as(answer.text()).isEqualTo(200);
            assertThat(answer.json().path("status").asText()).isEqualTo("done");
            stack = starting.join();
            assertThat(stack.broker().unregisteredSubscribers()).isEmpty();
            assertThat(new Uploads(stack.gateway())
                            .get("/actuator/health/readiness")
                            .status())
                    .isEqualTo(200);
        } finally {
            (stack != null ? stack : starting.join()).close();
        }
    }
}
