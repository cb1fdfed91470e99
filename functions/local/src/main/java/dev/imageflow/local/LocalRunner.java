package dev.imageflow.local;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code java -jar functions/local/target/imageflow-local.jar}: the whole system on one machine, nothing to
 * install but a JDK. Options: {@code --port=8080}, {@code --data=.imageflow} (objects are kept there),
 * {@code --concurrency=2} (deliveries at a time per function), {@code --duplicate-deliveries}, and any
 * {@code --imageflow.*} or Spring property, given to every function.
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
        for (String arg : args) {
            String[] kv = arg.replaceFirst("^--", "").split("=", 2);
            switch (kv[0]) {
                case "port" -> port = Integer.parseInt(kv[1]);
                case "data" -> data = Path.of(kv[1]);
                case "concurrency" -> concurrency = Integer.parseInt(kv[1]);
                case "duplicate-deliveries" -> duplicates = kv.length == 1 || Boolean.parseBoolean(kv[1]);
                default -> {
                    if (kv.length != 2) {
                        throw new IllegalArgumentException("unknown option " + arg);
                    }
                    properties.put(kv[0], kv[1]);
                }
            }
        }
        LocalStack stack = LocalStack.start(new LocalStack.Settings(port, data, concurrency, duplicates, properties));
        Runtime.getRuntime().addShutdownHook(new Thread(stack::close, "imageflow-shutdown"));
        System.out.printf("%nimageflow is running at http://localhost:%d%n"
                + "  curl -F file=@photo.jpg -F effects=bw,blur http://localhost:%d/upload%n"
                + "Objects are kept in %s. Stop with Ctrl-C.%n%n", port, port, data.toAbsolutePath());
        Thread.currentThread().join();
    }
}
