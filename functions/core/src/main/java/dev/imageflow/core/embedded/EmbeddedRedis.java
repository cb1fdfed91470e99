package dev.imageflow.core.embedded;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import redis.embedded.RedisExecProvider;

/**
 * A real redis-server (7.x, shipped inside the embedded-redis jar) on a loopback port, for the one-machine runner
 * and for tests. In memory, or persisted to an append-only file in a folder, so that a restarted runner finds its
 * jobs again.
 *
 * <p>The server runs under a small shell that watches this JVM's end of a pipe: when the JVM goes, however it goes
 * ({@code kill -9} included), the pipe closes and the shell stops redis-server, which then writes its file and exits.
 * No redis-server outlives the runner that started it.
 */
public final class EmbeddedRedis implements AutoCloseable {

    /** Runs the server in the background and stops it when standard input closes: the JVM ended or let go. */
    private static final String WATCHDOG = "\"$0\" \"$@\" </dev/null & server=$!; "
            + "while read -r _; do :; done; kill \"$server\"; wait \"$server\"";

    private static final long START_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(15);

    private final int port;
    private final Path directory;
    private Process process;
    private OutputStream lifeline;

    private EmbeddedRedis(int port, Path directory) {
        this.port = port;
        this.directory = directory;
    }

    /** @param port the port to listen on; 0 for any free one */
    public static EmbeddedRedis start(int port) {
        return start(port, null);
    }

    /**
     * @param port      the port to listen on; 0 for any free one
     * @param directory where the append-only file is kept; null keeps everything in memory only
     */
    public static EmbeddedRedis start(int port, Path directory) {
        EmbeddedRedis redis = new EmbeddedRedis(port == 0 ? FreePort.find() : port, directory);
        redis.start();
        return redis;
    }

    /** Starts again on the same port and folder, after {@link #stop()}: for outage tests. */
    public synchronized void start() {
        try {
            List<String> command = new ArrayList<>(List.of(
                    "sh",
                    "-c",
                    WATCHDOG,
                    binary().toString(),
                    "--port",
                    Integer.toString(port),
                    "--bind",
                    "127.0.0.1",
                    "--save",
                    "",
                    "--daemonize",
                    "no"));
            if (directory == null) {
                command.addAll(List.of("--appendonly", "no"));
            } else {
                Files.createDirectories(directory);
                Path pidFile = directory.resolve("redis.pid");
                stopLeftOver(pidFile);
                command.addAll(List.of(
                        "--appendonly",
                        "yes",
                        "--appendfsync",
                        "everysec",
                        "--dir",
                        directory.toAbsolutePath().toString(),
                        "--pidfile",
                        pidFile.toAbsolutePath().toString()));
            }
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
            File log = directory == null ? null : directory.resolve("redis.log").toFile();
            builder.redirectOutput(
                    log == null ? ProcessBuilder.Redirect.DISCARD : ProcessBuilder.Redirect.appendTo(log));
            process = builder.start();
            lifeline = process.getOutputStream();
            awaitListening();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start redis-server on port " + port, e);
        }
    }

    /**
     * The redis-server for this machine, in one place per version: the jar's own extraction makes a new temporary
     * copy on every start, which a killed JVM never deletes.
     */
    private static Path binary() throws IOException {
        File extracted = RedisExecProvider.defaultProvider().get();
        Path stable = Path.of(System.getProperty("java.io.tmpdir"), "imageflow-redis", extracted.getName());
        try {
            if (!Files.isExecutable(stable) || Files.size(stable) != extracted.length()) {
                Files.createDirectories(stable.getParent());
                Path part = Files.createTempFile(stable.getParent(), extracted.getName(), ".part");
                Files.copy(extracted.toPath(), part, StandardCopyOption.REPLACE_EXISTING);
                if (!part.toFile().setExecutable(true)) {
                    throw new IOException("cannot make " + part + " executable");
                }
                Files.move(part, stable, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(extracted.toPath());
            File folder = extracted.getParentFile();
            String[] left = folder == null ? null : folder.list();
            if (left != null && left.length == 0) {
                Files.deleteIfExists(folder.toPath());
            }
        }
        return stable;
    }

    /** Stops the server and waits until it has written its file and exited. */
    public synchronized void stop() {
        if (process == null) {
            return;
        }
        try {
            lifeline.close();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (IOException e) {
            process.destroyForcibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            process = null;
        }
    }

    public int port() {
        return port;
    }

    public String url() {
        return "redis://127.0.0.1:" + port;
    }

    @Override
    public void close() {
        stop();
    }

    private void awaitListening() {
        long deadline = System.nanoTime() + START_TIMEOUT_NANOS;
        while (true) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
                return;
            } catch (IOException notYet) {
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    stop();
                    throw new IllegalStateException("redis-server did not start on port " + port
                            + (directory == null ? "" : "; see " + directory.resolve("redis.log")));
                }
                sleep(20);
            }
        }
    }

    /**
     * A server whose JVM died an instant ago may still be writing its file; one that somehow lost its watchdog
     * would hold the folder forever. Either way it goes before a new one starts on the same folder.
     */
    private static void stopLeftOver(Path pidFile) throws IOException {
        if (!Files.exists(pidFile)) {
            return;
        }
        Optional<ProcessHandle> old = readPid(pidFile)
                .flatMap(ProcessHandle::of)
                .filter(p -> p.info().command().orElse("").contains("redis-server"));
        if (old.isPresent()) {
            ProcessHandle server = old.get();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (server.isAlive() && System.nanoTime() < deadline) {
                sleep(50);
            }
            if (server.isAlive()) {
                server.destroyForcibly();
            }
        }
        Files.deleteIfExists(pidFile);
    }

    private static Optional<Long> readPid(Path pidFile) throws IOException {
        try {
            return Optional.of(Long.parseLong(Files.readString(pidFile).trim()));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for redis-server", e);
        }
    }
}
