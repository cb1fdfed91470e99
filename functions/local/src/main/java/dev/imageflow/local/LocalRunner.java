package dev.imageflow.local;

import dev.imageflow.core.embedded.EmbeddedS3;
import java.net.URI;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code java -jar functions/local/target/imageflow-local.jar}: the whole system on one machine, nothing to
 * install but a JDK. The options are listed in {@link #USAGE}; any other {@code --name=value} is a Spring property
 * given to every function (e.g. {@code --imageflow.image.max-megapixels=20}).
 */
public final class LocalRunner {

    /** The S3 API's port unless told otherwise: fixed, so {@code aws s3 cp --endpoint-url} works as documented. */
    public static final int DEFAULT_S3_PORT = 9000;

    private static final String AUTH_TOKEN = "imageflow.gateway.auth.token";

    static final String USAGE = """
            options:
              --port=8080                 the gateway's port (--server.port=8080 means the same)
              --data=.imageflow           where objects (s3/) and jobs (redis/) are kept across restarts
              --concurrency=2             deliveries at a time per function, as a Knative containerConcurrency
              --duplicate-deliveries      deliver every event twice (at-least-once delivery, exaggerated)
              --s3-port=9000              the S3 API's port
              --redis-port=N              Redis's port (default: any free one)
              --broker-port=N             the Broker ingress's port (default: any free one)
              --remote=NAME=URL           a function that runs elsewhere, e.g. --remote=blur=http://127.0.0.1:18081
              --NAME=VALUE                any Spring or imageflow.* property, for every function, e.g.
                --imageflow.gateway.auth.token=T                    uploads and GET /jobs need Authorization: Bearer T
                --imageflow.gateway.rate-limit.requests-per-minute=N  uploads one client may start a minute
            """;

    private LocalRunner() {}

    public static void main(String[] args) throws InterruptedException {
        LocalStack.Settings settings;
        try {
            settings = parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("imageflow: " + e.getMessage() + "\n" + USAGE);
            System.exit(2);
            return;
        }
        LocalStack stack;
        try {
            stack = LocalStack.start(settings);
        } catch (RuntimeException e) {
            // LocalStack.start has already stopped whatever it had started.
            System.err.println("imageflow could not start: " + rootMessage(e));
            System.exit(1);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(stack::close, "imageflow-shutdown"));
        if (settings.remoteServices().containsKey("gateway")) {
            System.out.printf(
                    "%nimageflow stores and broker are up: redis %s, s3 %s, broker %s%n",
                    stack.redis().url(), stack.s3().endpoint(), stack.broker().address());
            Thread.currentThread().join();
        }
        // The token the runner was given, so the example still works when uploads need it.
        String token = settings.properties().getOrDefault(AUTH_TOKEN, "").strip();
        System.out.printf(
                """

                imageflow is running at http://localhost:%d
                  curl%s -F file=@photo.jpg -F effects=bw,blur http://localhost:%d/upload
                S3 API: %s  bucket %s  access key %s  secret key %s
                  AWS_ACCESS_KEY_ID=%s AWS_SECRET_ACCESS_KEY=%s aws s3 cp photo.jpg s3://%s/uploads/photo.jpg --endpoint-url %s
                Objects and jobs are kept in %s. Stop with Ctrl-C.

                """,
                stack.gateway().getPort(),
                token.isEmpty() ? "" : " -H 'Authorization: Bearer " + token + "'",
                stack.gateway().getPort(),
                stack.s3().endpoint(),
                LocalStack.BUCKET,
                EmbeddedS3.ACCESS_KEY,
                EmbeddedS3.SECRET_KEY,
                EmbeddedS3.ACCESS_KEY,
                EmbeddedS3.SECRET_KEY,
                LocalStack.BUCKET,
                stack.s3().endpoint(),
                settings.dataDirectory().toAbsolutePath());
        Thread.currentThread().join();
    }

    static LocalStack.Settings parse(String... args) {
        int port = 8080;
        Path data = Path.of(".imageflow");
        int concurrency = 2;
        boolean duplicates = false;
        Map<String, String> properties = new LinkedHashMap<>();
        Map<String, Integer> ports = new LinkedHashMap<>(Map.of("s3", DEFAULT_S3_PORT));
        Map<String, URI> remote = new LinkedHashMap<>();
        for (String arg : args) {
            if (!arg.startsWith("--")) {
                throw new IllegalArgumentException("unknown argument " + arg);
            }
            String[] kv = arg.substring(2).split("=", 2);
            switch (kv[0]) {
                case "port", "server.port" -> port = number(kv, arg);
                case "data" -> data = Path.of(value(kv, arg));
                case "concurrency" -> concurrency = number(kv, arg);
                case "duplicate-deliveries" -> duplicates = kv.length == 1 || Boolean.parseBoolean(kv[1]);
                case "redis-port", "s3-port", "broker-port" ->
                    ports.put(kv[0].substring(0, kv[0].indexOf('-')), number(kv, arg));
                case "remote" -> {
                    String[] service = value(kv, arg).split("=", 2);
                    if (service.length != 2) {
                        throw new IllegalArgumentException(arg + ": expected --remote=NAME=URL");
                    }
                    remote.put(service[0], URI.create(service[1].endsWith("/") ? service[1] : service[1] + "/"));
                }
                default -> properties.put(kv[0], value(kv, arg));
            }
        }
        if (concurrency < 1) {
            throw new IllegalArgumentException("--concurrency must be at least 1");
        }
        return new LocalStack.Settings(port, data, concurrency, duplicates, properties, ports, remote, null);
    }

    private static String value(String[] kv, String arg) {
        if (kv.length != 2) {
            throw new IllegalArgumentException("unknown option " + arg);
        }
        return kv[1];
    }

    private static int number(String[] kv, String arg) {
        try {
            return Integer.parseInt(value(kv, arg));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(arg + ": not a number");
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root == e ? String.valueOf(e.getMessage()) : e.getMessage() + " (" + root.getMessage() + ")";
    }
}
