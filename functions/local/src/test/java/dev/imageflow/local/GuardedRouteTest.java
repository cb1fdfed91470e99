package dev.imageflow.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.imageflow.core.job.JobStore;
import dev.imageflow.core.test.TestImages;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The public route with its guards on, as an operator turns them on for the one-machine runner: uploads and the
 * job listing need the bearer token, reads of one job by its id do not, probes never do, and each client may start
 * only so many uploads a minute. A refused upload leaves no object and no job behind.
 *
 * <p>Clients are told apart by {@code X-Forwarded-For}, which the gateway honours from loopback, a proxy of its
 * own, with {@code server.forward-headers-strategy=native} (on Knative: the queue-proxy, Kourier, the activator).
 */
class GuardedRouteTest extends OnLocalStack {

    static final String TOKEN = "test-token-4f9c2e1b8a7d";
    static final byte[] PHOTO = TestImages.jpeg(TestImages.photo(160, 120));
    /** One upload per 6 s on average, 3 at once: a fourth sent with them is refused. */
    static final int PER_MINUTE = 10;

    static final int BURST = 3;

    @BeforeAll
    static void start() {
        startStack(LocalStack.Settings.forTests()
                .with(Map.of(
                        "imageflow.gateway.auth.token",
                        TOKEN,
                        "imageflow.gateway.rate-limit.requests-per-minute",
                        Integer.toString(PER_MINUTE),
                        "imageflow.gateway.rate-limit.burst",
                        Integer.toString(BURST),
                        "server.forward-headers-strategy",
                        "native")));
    }

    @Test
    void anUploadWithoutTheTokenIs401WithABearerChallengeAndWritesNothing() {
        int objects = LocalPipelineTest.objectCount(stack);
        long jobs = jobCount();

        Uploads.Answer answer = gateway.upload(PHOTO, "photo.jpg", Map.of("effects", "bw"), client("198.51.100.1"));

        assertThat(answer.status()).as(answer.text()).isEqualTo(401);
        assertThat(answer.header("WWW-Authenticate")).isEqualTo("Bearer realm=\"imageflow\"");
        assertThat(answer.json().path("status").asInt()).isEqualTo(401);
        assertThat(answer.json().path("error").asText()).contains("Authorization: Bearer");
        assertThat(LocalPipelineTest.objectCount(stack)).isEqualTo(objects);
        assertThat(jobCount()).isEqualTo(jobs);
    }

    @Test
    void anUploadWithAWrongTokenIs401AndWritesNothing() {
        int objects = LocalPipelineTest.objectCount(stack);
        long jobs = jobCount();

        Uploads.Answer answer = gateway.upload(
                PHOTO,
                "photo.jpg",
                Map.of("effects", "bw"),
                concat(client("198.51.100.2"), "Authorization", "Bearer " + TOKEN + "x"));

        assertThat(answer.status()).as(answer.text()).isEqualTo(401);
        assertThat(answer.header("WWW-Authenticate")).contains("error=\"invalid_token\"");
        assertThat(answer.json().path("error").asText()).isEqualTo("the bearer token is wrong");
        assertThat(LocalPipelineTest.objectCount(stack)).isEqualTo(objects);
        assertThat(jobCount()).isEqualTo(jobs);
    }

    @Test
    void theUploadRouteCannotBeReachedPastTheGuardByAnotherSpellingOfItsPath() {
        for (String path : new String[] {"/%75pload", "/upload;x=1", "/upload;jsessionid=0"}) {
            Uploads.Answer answer =
                    gateway.uploadTo(path, PHOTO, "photo.jpg", Map.of("effects", "bw"), client("198.51.100.3"));
            assertThat(answer.status()).as(path + ": " + answer.text()).isEqualTo(401);
        }
    }

    @Test
    void withTheTokenTheJobIsDoneAndItsOwnReadsNeedNoToken() {
        Uploads.Answer answer = upload("198.51.100.4");

        assertThat(answer.status()).as(answer.text()).isEqualTo(200);
        JsonNode job = answer.json();
        assertThat(job.path("status").asText()).isEqualTo("done");
        String id = job.path("id").asText();
        // Capability URLs: whoever was given the id (the uploader, an operator) can open them, in an <img> too.
        assertThat(gateway.get("/jobs/" + id).status()).isEqualTo(200);
        assertThat(gateway.get("/image/" + id).status()).isEqualTo(200);
        assertThat(gateway.get("/image/" + id + "/original").status()).isEqualTo(200);
    }

    @Test
    void theJobListingIsTheOperatorsViewBehindTheToken() {
        String id = upload("198.51.100.5").json().path("id").asText();

        Uploads.Answer without = gateway.get("/jobs");
        Uploads.Answer wrong = gateway.get("/jobs?limit=5", "Authorization", "Bearer nope");
        Uploads.Answer with = gateway.get("/jobs?limit=5", "Authorization", "Bearer " + TOKEN);

        assertThat(without.status()).as(without.text()).isEqualTo(401);
        assertThat(without.text()).doesNotContain(id);
        for (String path : new String[] {"/jobs/", "/%6aobs", "/jobs;x=1", "/jobs?limit=100"}) {
            Uploads.Answer other = gateway.get(path);
            assertThat(other.status()).as(path + ": " + other.text()).isIn(401, 404);
            assertThat(other.text()).as(path).doesNotContain(id);
        }
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(with.status()).as(with.text()).isEqualTo(200);
        assertThat(with.json().findValuesAsText("id")).contains(id);
    }

    @Test
    void probesMetricsThePageAndTheEffectsNeedNoToken() {
        for (String path : new String[] {
            "/actuator/health",
            "/actuator/health/readiness",
            "/actuator/health/liveness",
            "/actuator/prometheus",
            "/",
            "/effects"
        }) {
            assertThat(gateway.get(path).status()).as(path).isEqualTo(200);
        }
    }

    @Test
    void aClientOverTheRateLimitIs429WithRetryAfterAndWritesNothingWhileAnotherIsServed() throws Exception {
        String busy = "203.0.113.10";
        int originals = originals();
        long jobs = jobCount();

        // BURST + 1 at once: however slow the machine, they arrive well within one interval of each other.
        List<Uploads.Answer> answers = new ArrayList<>();
        ExecutorService senders = Executors.newFixedThreadPool(BURST + 1);
        try {
            List<Future<Uploads.Answer>> sent = new ArrayList<>();
            for (int i = 0; i <= BURST; i++) {
                sent.add(senders.submit(() -> uploadAsync(busy)));
            }
            for (Future<Uploads.Answer> answer : sent) {
                answers.add(answer.get());
            }
        } finally {
            senders.shutdownNow();
        }

        assertThat(answers).extracting(Uploads.Answer::status).containsOnly(202, 429);
        assertThat(answers).filteredOn(a -> a.status() == 202).hasSize(BURST);
        Uploads.Answer refused =
                answers.stream().filter(a -> a.status() == 429).findFirst().orElseThrow();
        assertThat(refused.json().path("status").asInt()).isEqualTo(429);
        assertThat(refused.json().path("error").asText()).contains("too many uploads from " + busy);
        long retryAfter = Long.parseLong(refused.header("Retry-After"));
        assertThat(retryAfter).isBetween(1L, 60L / PER_MINUTE);
        // The refused one wrote nothing: no original, no job (the accepted ones may still be writing results).
        assertThat(originals()).isEqualTo(originals + BURST);
        assertThat(jobCount()).isEqualTo(jobs + BURST);

        // Another client behind the same proxies has its own allowance.
        assertThat(uploadAsync("203.0.113.11").status()).isEqualTo(202);

        Thread.sleep(retryAfter * 1000);
        Uploads.Answer again = uploadAsync(busy);
        assertThat(again.status()).as(again.text()).isEqualTo(202);
    }

    @Test
    void refusedUploadsAreCountedForOperators() {
        gateway.upload(PHOTO, "photo.jpg", Map.of("effects", "bw"), client("198.51.100.6"));

        String metrics = gateway.get("/actuator/prometheus").text();

        assertThat(metrics).containsPattern("imageflow_gateway_refused_total\\{[^}]*reason=\"unauthorized\"");
    }

    private static Uploads.Answer upload(String client) {
        return gateway.upload(
                PHOTO,
                "photo.jpg",
                Map.of("effects", "bw"),
                concat(client(client), "Authorization", "Bearer " + TOKEN));
    }

    private static Uploads.Answer uploadAsync(String client) {
        return gateway.upload(
                PHOTO,
                "photo.jpg",
                Map.of("effects", "bw"),
                concat(client(client), "Authorization", "Bearer " + TOKEN, "Prefer", "respond-async"));
    }

    private static String[] client(String address) {
        return new String[] {"X-Forwarded-For", address};
    }

    private static String[] concat(String[] first, String... more) {
        String[] all = java.util.Arrays.copyOf(first, first.length + more.length);
        System.arraycopy(more, 0, all, first.length, more.length);
        return all;
    }

    private static int originals() {
        return LocalPipelineTest.objectKeys(stack, "originals/").size();
    }

    private static long jobCount() {
        return stack.function("gateway").getBean(JobStore.class).recentCount();
    }
}
