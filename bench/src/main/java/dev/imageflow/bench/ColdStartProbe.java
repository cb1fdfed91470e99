package dev.imageflow.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.sun.net.httpserver.HttpServer;
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
import dev.imageflow.core.storage.S3Api;
import dev.imageflow.core.storage.S3Properties;
import io.cloudevents.CloudEvent;
import io.lettuce.core.RedisClient;
import java.io.File;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Cold start as Knative users pay it: from launching a function's JVM to its answer to the first request, then the
 * process's resident memory once idle. Runs a function several times with the given JVM and options against real
 * stores (embedded redis-server and S3Proxy) and prints the medians as
 * {@code cold-start <function> first-answer-ms=<N> idle-rss-mb=<M>}.
 *
 * <p>Like Knative, the probe waits for a function's readiness path before sending it anything. The first request is
 * what wakes that function in production: a step event (2 MP photo) for an effect; for the
 * gateway a 2 MP {@code POST /upload} with {@code Prefer: respond-async}, answered 202; for {@code reference} (the
 * bare Spring Cloud Function app) and {@code reference-stack} (the same with the libraries every function carries) a
 * string to its one function.
 *
 * <p>The clock starts at the launch, with the request already made: for an effect that means its photo already in S3
 * and its job in Redis, as the gateway leaves them before the event that wakes the function is sent. (Until
 * 2026-12-03 the probe stored them after the launch, through the S3Proxy in its own barely warm JVM, and charged the
 * effects about 2 s that was the probe's.) With {@code THREADS_REPORT=1} each run also prints the CPU each of the
 * function's threads had used by its first answer. With {@code WARM=N} each run then sends N more of the same
 * request and prints the warm time and CPU per request.
 *
 * <p>With {@code train} instead of a run count it is the AOT training run: the same real requests several times,
 * then SIGTERM and a wait for the JVM to write its cache and exit by itself.
 *
 * <pre>java -cp ... dev.imageflow.bench.ColdStartProbe JAVA RUNS|train FUNCTION PHOTO -- jvm-and-app-arguments...</pre>
 */
public final class ColdStartProbe {

    private static final int TRAINING_REQUESTS = 5;

    private ColdStartProbe() {}

    public static void main(String[] args) throws Exception {
        String java = args[0];
        boolean training = args[1].equals("train");
        int runs = training ? 1 : Integer.parseInt(args[1]);
        String function = args[2];
        byte[] photo = Files.readAllBytes(Path.of(args[3]));
        List<String> command = Arrays.asList(args).subList(Arrays.asList(args).indexOf("--") + 1, args.length);

        ObjectMapper json = new ObjectMapper().registerModule(new JavaTimeModule());
        HttpServer sink = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        // The Broker, as far as the gateway can tell: it takes the step event and says nothing more.
        sink.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(202, -1);
            exchange.close();
        });
        sink.start();
        try (EmbeddedRedis redis = EmbeddedRedis.start(0);
                EmbeddedS3 s3 = EmbeddedS3.start(0, null)) {
            RedisClient client = RedisClient.create(redis.url());
            JobStore jobs = new JobStore(
                    new RedisConnection(client),
                    json,
                    new RedisProperties(redis.url(), Duration.ofSeconds(5), Duration.ofHours(1)),
                    Clock.systemUTC());
            BlobStore blobs = new BlobStore(
                    S3Api.create(new S3Properties(
                            s3.endpoint(),
                            "us-east-1",
                            "bench",
                            true,
                            EmbeddedS3.ACCESS_KEY,
                            EmbeddedS3.SECRET_KEY,
                            true)),
                    "bench",
                    true);
            // The bucket exists before the function starts, as in production (the gateway's first write needs it).
            blobs.put("bench/created", new byte[0], "application/octet-stream");
            PipelineEvents events = new PipelineEvents(json, URI.create("/bench"), new EventTracing("bench"));
            // In production the stores are long warm when a function wakes; here S3Proxy runs in this JVM, which has
            // only just started. Its first requests (and this JVM's own client) would be charged to the function.
            for (int i = 0; i < 20; i++) {
                blobs.put("bench/warm-up", photo, "image/jpeg");
                blobs.get("bench/warm-up").orElseThrow();
                jobs.find("warm-up");
            }
            List<Long> starts = new ArrayList<>();
            List<Long> rss = new ArrayList<>();
            List<Long> cpu = new ArrayList<>();
            for (int run = 0; run < runs; run++) {
                int port = FreePort.find();
                URI base = URI.create("http://127.0.0.1:" + port + "/");
                List<String> launch = new ArrayList<>();
                launch.add(java);
                launch.addAll(command);
                launch.addAll(List.of(
                        "--server.port=" + port,
                        "--imageflow.redis.url=" + redis.url(),
                        "--imageflow.s3.endpoint=" + s3.endpoint(),
                        "--imageflow.s3.bucket=bench",
                        "--imageflow.s3.path-style=true",
                        "--imageflow.s3.access-key=" + EmbeddedS3.ACCESS_KEY,
                        "--imageflow.s3.secret-key=" + EmbeddedS3.SECRET_KEY,
                        "--imageflow.gateway.sink=http://127.0.0.1:"
                                + sink.getAddress().getPort() + "/"));
                Request request = () -> firstRequest(function, base, photo, events, jobs, blobs);
                // The event that wakes a function exists before its pod does (the gateway stored the original and
                // created the job): it is made before the clock starts.
                HttpRequest first = request.next();
                long started = System.nanoTime();
                Process process = new ProcessBuilder(launch)
                        .redirectErrorStream(true)
                        .redirectOutput(new File(
                                "bench/results/cold-start-" + function + (training ? "-training" : "") + ".log"))
                        .start();
                try {
                    if (!function.startsWith("reference")) {
                        awaitReady(base, process);
                    }
                    long readyMillis = (System.nanoTime() - started) / 1_000_000;
                    int status = firstAnswer(first, process);
                    long millis = (System.nanoTime() - started) / 1_000_000;
                    long cpuMillis = cpuMillis(process.pid());
                    if (System.getenv("THREADS_REPORT") != null) {
                        // Where the CPU to the first answer went, thread by thread (the JIT's compilers, main...).
                        threadsReport(process.pid());
                    }
                    expectAnswer(function, status);
                    if (training) {
                        for (int i = 1; i < TRAINING_REQUESTS; i++) {
                            expectAnswer(function, firstAnswer(request.next(), process));
                        }
                        // SIGTERM; the JVM then writes the AOT cache, which takes seconds: wait for it to end by
                        // itself.
                        process.destroy();
                        if (!process.waitFor(180, TimeUnit.SECONDS) || process.exitValue() > 143) {
                            throw new IllegalStateException("training run did not end cleanly");
                        }
                        System.out.printf(
                                "trained %s on %d requests (first after %d ms)%n", function, TRAINING_REQUESTS, millis);
                        continue;
                    }
                    if (System.getenv("WARM") != null) {
                        warmReport(function, request, process, Integer.parseInt(System.getenv("WARM")));
                    }
                    long idleAfter = awaitIdle(process.pid());
                    if (System.getenv("NMT_REPORT") != null) {
                        // With -XX:NativeMemoryTracking=summary among the flags: where the idle RSS goes.
                        new ProcessBuilder(
                                        java.replaceAll("java$", "jcmd"),
                                        Long.toString(process.pid()),
                                        "VM.native_memory",
                                        "summary")
                                .redirectErrorStream(true)
                                .redirectOutput(new File(System.getenv("NMT_REPORT")))
                                .start()
                                .waitFor();
                    }
                    starts.add(millis);
                    rss.add(rssKb(process.pid()) / 1024);
                    cpu.add(cpuMillis);
                    System.out.printf(
                            "run %d: %s answered after %d ms (%d ms of CPU; ready after %d ms); idle RSS %d MB (read %d ms after)%n",
                            run + 1, function, millis, cpuMillis, readyMillis, rss.get(rss.size() - 1), idleAfter);
                } finally {
                    process.destroy();
                    process.waitFor();
                }
            }
            if (!training) {
                // CPU time to the first answer varies far less than wall time on a shared machine: a second opinion.
                System.out.printf(
                        "cold-start %s first-answer-ms=%d idle-rss-mb=%d first-answer-cpu-ms=%d%n",
                        function, median(starts), median(rss), median(cpu));
            }
            client.shutdown();
        } finally {
            sink.stop(0);
        }
    }

    private interface Request {
        HttpRequest next() throws Exception;
    }

    private static HttpRequest firstRequest(
            String function, URI base, byte[] photo, PipelineEvents events, JobStore jobs, BlobStore blobs) {
        Duration timeout = Duration.ofSeconds(60);
        if (function.startsWith("reference")) {
            return HttpRequest.newBuilder(base.resolve("/uppercase"))
                    .timeout(timeout)
                    .header("Content-Type", "text/plain")
                    .POST(HttpRequest.BodyPublishers.ofString("imageflow"))
                    .build();
        }
        if (function.equals("gateway")) {
            String boundary = "cold-start-" + UUID.randomUUID();
            byte[] head = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"effects\"\r\n\r\nbw\r\n--"
                            + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"photo.jpg\"\r\n"
                            + "Content-Type: image/jpeg\r\n\r\n")
                    .getBytes(StandardCharsets.UTF_8);
            byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8);
            return HttpRequest.newBuilder(base.resolve("/upload"))
                    .timeout(timeout)
                    .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                    .header("Prefer", "respond-async")
                    .POST(HttpRequest.BodyPublishers.ofByteArrays(List.of(head, photo, tail)))
                    .build();
        }
        String job = UUID.randomUUID().toString();
        blobs.put(ObjectKeys.original(job), photo, "image/jpeg");
        jobs.create(
                JobRecord.pending(
                        job, List.of(function), Map.of(), ObjectKeys.original(job), "image/jpeg", Instant.now()),
                Duration.ofMinutes(5));
        CloudEvent step = events.step(new StepData(job, 0, ObjectKeys.original(job), List.of(function), Map.of()));
        return CloudEventRequests.binary(base, step, timeout);
    }

    /**
     * The warm cost of the same request: {@code requests} more, one after another, and the median time and the
     * function's CPU per request over the second half, once its JIT has settled (compare JVM flags by this).
     */
    private static void warmReport(String function, Request request, Process process, int requests) throws Exception {
        List<Long> micros = new ArrayList<>();
        long cpuBefore = 0;
        for (int i = 0; i < requests; i++) {
            if (i == requests / 2) {
                cpuBefore = cpuMillis(process.pid());
            }
            HttpRequest next = request.next();
            long started = System.nanoTime();
            // A warm figure of error answers would say nothing about the function's work.
            expectAnswer(function, firstAnswer(next, process));
            if (i >= requests / 2) {
                micros.add((System.nanoTime() - started) / 1_000);
            }
        }
        System.out.printf(
                "warm %s: %d requests, the last %d: median %.1f ms, %.1f ms of CPU each%n",
                function,
                requests,
                micros.size(),
                median(micros) / 1000.0,
                (cpuMillis(process.pid()) - cpuBefore) / (double) micros.size());
    }

    /** The gateway accepts an upload sent with respond-async with 202; every other function answers 200. */
    private static void expectAnswer(String function, int status) {
        int expected = function.equals("gateway") ? 202 : 200;
        if (status != expected) {
            throw new IllegalStateException(function + " answered " + status + ", not " + expected);
        }
    }

    private static int firstAnswer(HttpRequest post, Process process) throws Exception {
        HttpClient http =
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
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

    /**
     * As Knative's queue-proxy does before it lets the first request through: polls the readiness path (which waits
     * for the function's warm-up) until it answers 200. The reference apps have no such path; each is sent its
     * request as soon as its port opens.
     */
    private static void awaitReady(URI base, Process process) throws Exception {
        HttpClient http =
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpRequest probe = HttpRequest.newBuilder(base.resolve("/actuator/health/readiness"))
                .timeout(Duration.ofSeconds(5))
                .build();
        while (process.isAlive()) {
            try {
                if (http.send(probe, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notListening) {
                // not listening yet
            }
            Thread.sleep(10);
        }
        throw new IllegalStateException("the function exited; see bench/results/");
    }

    /**
     * Waits until the function is idle, as it is for most of the minute or more that Knative keeps an unused pod
     * before scaling it away. After its first answer a JVM goes on compiling what that request made hot (bw: about
     * 1.5 s of CPU over 5 s), then collects its heap (IdleHeapCollector), and the compilers' memory goes back to the
     * OS only when the JVM's chunk pool is next cleaned (every 5 s) and the native heap trimmed: read sooner, one run
     * in two kept 20 MB of compiler arenas. So idle here means at least 10 s after the answer and no more than 20 ms
     * of CPU in the last 2 s; every function, the reference too, is measured so, and at most 40 s after its answer.
     *
     * @return how long after the first answer the RSS was read
     */
    private static long awaitIdle(long pid) throws Exception {
        long started = System.nanoTime();
        ArrayDeque<Long> window = new ArrayDeque<>();
        while (System.nanoTime() - started < TimeUnit.SECONDS.toNanos(40)) {
            window.addLast(cpuMillis(pid));
            if (window.size() > 9) {
                window.removeFirst();
                if (window.getLast() - window.getFirst() <= 20
                        && System.nanoTime() - started >= TimeUnit.SECONDS.toNanos(10)) {
                    break;
                }
            }
            Thread.sleep(250);
        }
        return (System.nanoTime() - started) / 1_000_000;
    }

    private static void threadsReport(long pid) throws IOException {
        Map<String, Long> byName = new TreeMap<>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
            for (Path task : tasks.toList()) {
                String stat = Files.readString(task.resolve("stat"));
                String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'))
                        .replaceAll("[0-9]+$", "#");
                byName.merge(name, cpuMillisOf(stat), Long::sum);
            }
        }
        byName.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .forEach(e -> System.out.printf("  thread %-28s %6d ms%n", e.getKey(), e.getValue()));
    }

    private static long rssKb(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", ""));
            }
        }
        return -1;
    }

    /** User and system time the process has used so far (clock ticks of 10 ms, as Linux reports them). */
    private static long cpuMillis(long pid) throws IOException {
        return cpuMillisOf(Files.readString(Path.of("/proc/" + pid + "/stat")));
    }

    /** User and system time of a process's or a thread's {@code stat} line. */
    private static long cpuMillisOf(String stat) {
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * 10;
    }

    private static long median(List<Long> values) {
        List<Long> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }
}
