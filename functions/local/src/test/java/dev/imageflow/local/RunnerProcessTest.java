package dev.imageflow.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.imageflow.core.embedded.FreePort;
import dev.imageflow.core.test.TestImages;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runner as users start it, in a process of its own: killed with {@code kill -9} mid-job it leaves no
 * redis-server behind, and started again on the same data it finishes every job it had accepted; when it cannot
 * start, it says why, exits non-zero and stops what it had started.
 */
class RunnerProcessTest {

    @TempDir
    Path data;

    private final List<Process> runners = new ArrayList<>();

    @AfterEach
    void stopRunners() throws InterruptedException {
        for (Process runner : runners) {
            runner.destroy();
            runner.waitFor(30, TimeUnit.SECONDS);
        }
    }

    private Process runner(int port, String... options) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                ProcessHandle.current().info().command().orElse("java"),
                "-Xmx512m",
                "-cp",
                System.getProperty("java.class.path"),
                LocalRunner.class.getName(),
                "--port=" + port,
                "--data=" + data,
                "--s3-port=" + FreePort.find()));
        command.addAll(List.of(options));
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(
                        data.resolve("runner.log").toFile()))
                .start();
        runners.add(process);
        return process;
    }

    private long redisPid() throws IOException {
        return Long.parseLong(Files.readString(data.resolve("redis/redis.pid")).trim());
    }

    @Test
    void killedMidJobItLeavesNoRedisBehindAndOnRestartFinishesEveryAcceptedJob() throws Exception {
        int port = FreePort.find();
        Process first = runner(port, "--concurrency=1", "--imageflow.step.demo-delay=300ms");
        Uploads uploads = new Uploads(URI.create("http://127.0.0.1:" + port));
        awaitHealthy(port, first);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            Uploads.Answer answer = uploads.upload(
                    TestImages.jpeg(TestImages.photo(320, 240)),
                    "photo.jpg",
                    Map.of("effects", "blur,bw"),
                    "Prefer",
                    "respond-async");
            assertThat(answer.status()).as(answer.text()).isEqualTo(202);
            ids.add(answer.json().path("id").asText());
        }
        long redis = redisPid();

        first.destroyForcibly().waitFor(30, TimeUnit.SECONDS);

        awaitGone(redis);
        Process second = runner(port, "--concurrency=2");
        awaitHealthy(port, second);
        for (String id : ids) {
            JsonNode job = uploads.awaitFinal(id, Duration.ofSeconds(90));
            assertThat(job.path("status").asText()).as(job.toString()).isEqualTo("done");
            assertThat(job.path("steps").findValuesAsText("effect")).containsExactly("blur", "bw");
        }
        long secondRedis = redisPid();
        second.destroy();
        assertThat(second.waitFor(60, TimeUnit.SECONDS)).isTrue();
        awaitGone(secondRedis);
    }

    @Test
    void aRunnerThatCannotStartSaysWhyExitsNonZeroAndStopsWhatItStarted() throws Exception {
        try (ServerSocket busy = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Process runner = runner(busy.getLocalPort());

            assertThat(runner.waitFor(120, TimeUnit.SECONDS))
                    .as("the runner exits")
                    .isTrue();
            assertThat(runner.exitValue()).isEqualTo(1);
            assertThat(Files.readString(data.resolve("runner.log"))).contains("imageflow could not start");
            assertThat(data.resolve("redis")).as("it had started redis-server").isDirectory();
            // redis-server removes its pid file when it exits; its watchdog names the data folder.
            assertThat(data.resolve("redis/redis.pid")).doesNotExist();
            assertThat(ProcessHandle.allProcesses()
                            .filter(p -> p.info().commandLine().orElse("").contains(data.toString())))
                    .isEmpty();
        }
    }

    @Test
    void serverPortIsTheSameAsPort() {
        assertThat(LocalRunner.parse("--server.port=9191").port()).isEqualTo(9191);
        assertThat(LocalRunner.parse("--port=9292").port()).isEqualTo(9292);
        assertThat(LocalRunner.parse().ports()).containsEntry("s3", LocalRunner.DEFAULT_S3_PORT);
    }

    private static void awaitGone(long pid) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
            assertThat(System.nanoTime())
                    .as("redis-server " + pid + " still running")
                    .isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    private void awaitHealthy(int port, Process runner) throws InterruptedException {
        try {
            new Uploads(URI.create("http://127.0.0.1:" + port)).awaitHealthy(Duration.ofSeconds(120), runner::isAlive);
        } catch (AssertionError e) {
            throw new AssertionError("the runner never became healthy: " + log(), e);
        }
    }

    private String log() {
        try {
            return Files.readString(data.resolve("runner.log"));
        } catch (IOException e) {
            return e.toString();
        }
    }
}
