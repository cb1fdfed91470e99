package dev.imageflow.bench;

import java.io.File;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import dev.imageflow.core.embedded.EmbeddedRedis;
import dev.imageflow.core.embedded.EmbeddedS3;
import dev.imageflow.core.embedded.FreePort;
import dev.imageflow.core.event.CloudEventRequests;
import dev.imageflow.core.event.ObjectKeys;
import dev.imageflow.core.event.PipelineEvents;
import dev.imageflow.core.event.StepData;
import dev.imageflow.core.job.JobRecord;
import dev.imageflow.core.job.JobStore;
import dev.imageflow.core.job.RedisConnection;
import dev.imageflow.core.job.RedisProperties;
import dev.imageflow.core.observe.EventTracing;
import dev.imageflow.core.storage.BlobStore;
import io.cloudevents.CloudEvent;
import io.lettuce.core.RedisClient;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Cold start as Knative users pay it: from launching a function's JVM to its answer to the first step event
 * (a 2 MP photo), then the process's resident memory once idle. Runs a function several times with the given
 * JVM and options and prints the medians.
 *
 * <pre>java -cp ... dev.imageflow.bench.ColdStartProbe JAVA RUNS EFFECT PHOTO -- jvm-and-app-arguments...</pre>
 */
public final class ColdStartProbe {

    private ColdStartProbe() {
    }

    public static void main(String[] args) throws Exception {
        String java = args[0];
        int runs = Integer.parseInt(args[1]);
        String effect = args[2];
        byte[] photo = Files.readAllBytes(Path.of(args[3]));
        List<String> command = Arrays.asList(args).subList(Arrays.asList(args).indexOf("--") + 1, args.length);

        ObjectMapper json = new ObjectMapper().registerModule(new JavaTimeModule());
        try (EmbeddedRedis redis = EmbeddedRedis.start(0); EmbeddedS3 s3 = EmbeddedS3.start(0, null)) {
            RedisClient client = RedisClient.create(redis.url());
            JobStore jobs = new JobStore(new RedisConnection(client), json,
                    new RedisProperties(redis.url(), Duration.ofSeconds(5), Duration.ofHours(1)), Clock.systemUTC());
            BlobStore blobs = new BlobStore(S3Client.builder().endpointOverride(s3.endpoint()).region(Region.US_EAST_1)
                    .forcePathStyle(true).credentialsProvider(StaticCredentialsProvider.create(
                            AwsBasicCredentials.create(EmbeddedS3.ACCESS_KEY, EmbeddedS3.SECRET_KEY))).build(),
                    "bench", true);
            PipelineEvents events = new PipelineEvents(json, URI.create("/bench"), new EventTracing(null, null, "bench"));
            List<Long> starts = new ArrayList<>();
            List<Long> rss = new ArrayList<>();
            for (int run = 0; run < runs; run++) {
                String job = UUID.randomUUID().toString();
                blobs.put(ObjectKeys.original(job), photo, "image/jpeg");
                jobs.create(JobRecord.pending(job, List.of(effect), Map.of(), ObjectKeys.original(job), "image/jpeg",
                        Instant.now()), Duration.ofMinutes(5));
                CloudEvent step = events.step(new StepData(job, 0, ObjectKeys.original(job), List.of(effect), Map.of()));
                int port = FreePort.find();
                List<String> launch = new ArrayList<>();
                launch.add(java);
                launch.addAll(command);
                launch.addAll(List.of("--server.port=" + port, "--imageflow.redis.url=" + redis.url(),
                        "--imageflow.s3.endpoint=" + s3.endpoint(), "--imageflow.s3.bucket=bench",
                        "--imageflow.s3.path-style=true", "--imageflow.s3.access-key=" + EmbeddedS3.ACCESS_KEY,
                        "--imageflow.s3.secret-key=" + EmbeddedS3.SECRET_KEY));
                long started = System.nanoTime();
                Process process = new ProcessBuilder(launch).redirectErrorStream(true)
                        .redirectOutput(new File("bench/results/cold-start-" + effect + ".log")).start();
                try {
                    int status = firstAnswer(URI.create("http://127.0.0.1:" + port + "/"), step, process);
                    long millis = (System.nanoTime() - started) / 1_000_000;
                    if (status != 200) {
                        throw new IllegalStateException("step answered " + status);
                    }
                    Thread.sleep(3000);
                    starts.add(millis);
                    rss.add(rssKb(process.pid()) / 1024);
                    System.out.printf("run %d: first step answered after %d ms; idle RSS %d MB%n", run + 1, millis,
                            rss.get(rss.size() - 1));
                } finally {
                    process.destroy();
                    process.waitFor();
                }
            }
            System.out.printf("%s: median cold start %d ms, median idle RSS %d MB (%d runs)%n", effect,
                    median(starts), median(rss), runs);
            client.shutdown();
        }
    }

    private static int firstAnswer(URI target, CloudEvent event, Process process) throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpRequest post = CloudEventRequests.binary(target, event, Duration.ofSeconds(60));
        while (process.isAlive()) {
            try {
                return http.send(post, HttpResponse.BodyHandlers.discarding()).statusCode();
            } catch (ConnectException notListening) {
                Thread.sleep(2);
            } catch (IOException resetWhileStarting) {
                Thread.sleep(2);
            }
        }
        throw new IllegalStateException("the function exited; see bench/results/");
    }

    private static long rssKb(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", ""));
            }
        }
        return -1;
    }

    private static long median(List<Long> values) {
        List<Long> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }
}
