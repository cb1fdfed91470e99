package dev.imageflow.local;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code java -jar functions/local/target/imageflow-local.jar}: the whole system on one machine, nothing to
 * install but a JDK. Options: {@code --port=8080}, {@code --data=.imageflow} (objects are kept there),
 * {@code --concurrency=2} (deliveries at a time per function), {@code --duplicate-deliveries}, and any
 * {@code --imageflow.*} or Spring property, given to every function. For running functions elsewhere (as
 * containers, see {@code infra/images/verify.sh}): {@code --remote=blur=http://127.0.0.1:18081} (repeatable) and
 * fixed ports {@code --redis-port}, {@code --s3-port}, {@code --broker-port}.
 */
public final class LocalRunner {

    private LocalRunner() {
    }

    public static void main(String[] args) throws InterruptedException {
        int port = 8080;
        Path data = Path.of(".imageflow");
        int concurrency = 2;
        boolean duplicates = false;
        Map<String, String> properties = new LinkedHashMap<>();
        Map<String, Integer> ports = new LinkedHashMap<>();
        Map<String, java.net.URI> remote = new LinkedHashMap<>();
        for (String arg : args) {
            String[] kv = arg.replaceFirst("^--", "").split("=", 2);
            switch (kv[0]) {
                case "port" -> port = Integer.parseInt(kv[1]);
                case "data" -> data = Path.of(kv[1]);
                case "concurrency" -> concurrency = Integer.parseInt(kv[1]);
                case "duplicate-deliveries" -> duplicates = kv.length == 1 || Boolean.parseBoolean(kv[1]);
                case "redis-port", "s3-port", "broker-port" ->
                        ports.put(kv[0].substring(0, kv[0].indexOf('-')), Integer.parseInt(kv[1]));
                case "remote" -> {
                    String[] service = kv[1].split("=", 2);
                    remote.put(service[0], java.net.URI.create(service[1].endsWith("/") ? service[1] : service[1] + "/"));
                }
                default -> {
                    if (kv.length != 2) {
                        throw new IllegalArgumentException("unknown option " + arg);
                    }
                    properties.put(kv[0], kv[1]);
                }
            }
        }
        LocalStack stack = LocalStack.start(new LocalStack.Settings(port, data, concurrency, duplicates, properties,
                ports, remote, null));
        Runtime.getRuntime().addShutdownHook(new Thread(stack::close, "imageflow-shutdown"));
        if (remote.containsKey("gateway")) {
            System.out.printf("%nimageflow stores and broker are up: redis %s, s3 %s, broker %s%n", stack.redis().url(),
                    stack.s3().endpoint(), stack.broker().address());
            Thread.currentThread().join();
        }
        System.out.printf("%nimageflow is running at http://localhost:%d%n"
                + "  curl -F file=@photo.jpg -F effects=bw,blur http://localhost:%d/upload%n"
                + "Objects are kept in %s. Stop with Ctrl-C.%n%n", port, port, data.toAbsolutePath());
        Thread.currentThread().join();
    }
}
