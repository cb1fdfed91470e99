package dev.imageflow.effects;

import dev.imageflow.core.embedded.EmbeddedS3;
import dev.imageflow.core.embedded.FreePort;
import dev.imageflow.core.test.TestStores;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The effects app in a child JVM of this test's class path, as a pod runs it (its own process, its own heap),
 * pointed at the tests' real Redis and S3: for what only a real process shows, such as SIGTERM or RSS.
 */
final class EffectsProcess implements AutoCloseable {

    private final Process process;
    private final int port;
    private final File log;

    private EffectsProcess(Process process, int port, File log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /**
     * Starts the effect {@code effect} and waits until it is ready.
     *
     * @param jvmOptions before the main class (the JVM's own flags)
     * @param env        added to this JVM's environment (a pod's env, such as JAVA_TOOL_OPTIONS)
     * @param arguments  more Spring settings, as {@code --name=value}
     */
    static EffectsProcess start(
            String effect, TestStores stores, List<String> jvmOptions, Map<String, String> env, List<String> arguments)
            throws Exception {
        int port = FreePort.find();
        List<String> command = new ArrayList<>();
        command.add(System.getProperty("java.home") + File.separator + "bin" + File.separator + "java");
        command.addAll(jvmOptions);
        command.addAll(List.of(
                "-cp",
                System.getProperty("java.class.path"),
                EffectsApplication.class.getName(),
                "--spring.cloud.function.definition=" + effect,
                "--server.port=" + port,
                "--imageflow.redis.url=" + stores.redis().url(),
                "--imageflow.s3.endpoint=" + stores.s3().endpoint(),
                "--imageflow.s3.bucket=" + TestStores.BUCKET,
                "--imageflow.s3.path-style=true",
                "--imageflow.s3.access-key=" + EmbeddedS3.ACCESS_KEY,
                "--imageflow.s3.secret-key=" + EmbeddedS3.SECRET_KEY));
        command.addAll(arguments);
        // Named by port too: two tests may each start the same effect.
        File log = new File("target/" + effect + "-process-" + port + ".log");
        ProcessBuilder builder =
                new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log);
        builder.environment().putAll(env);
        EffectsProcess started = new EffectsProcess(builder.start(), port, log);
        try {
            started.awaitReady();
        } catch (Exception | AssertionError e) {
            started.close();
            throw e;
        }
        return started;
    }

    Process process() {
        return process;
    }

    URI uri() {
        return URI.create("http://127.0.0.1:" + port + "/");
    }

    File log() {
        return log;
    }

    private void awaitReady() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline && process.isAlive()) {
            try {
                HttpResponse<String> health = http.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/health/readiness"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                if (health.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the effects process did not become ready; see " + log);
    }

    /** Kills the process if it still runs (a test that wants a graceful stop destroys it itself first). */
    @Override
    public void close() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }
}
