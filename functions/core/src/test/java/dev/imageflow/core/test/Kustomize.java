package dev.imageflow.core.test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/** {@code kubectl kustomize}, which renders a kustomization without a cluster; a machine without kubectl skips. */
public final class Kustomize {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private Kustomize() {}

    public static Path kubectl() {
        Path kubectl = Stream.of("/usr/bin/kubectl", "/usr/local/bin/kubectl")
                .map(Path::of)
                .filter(Files::isExecutable)
                .findFirst()
                .orElse(null);
        Assumptions.assumeTrue(kubectl != null, "kubectl is not installed");
        return kubectl;
    }

    /** The documents {@code kubectl kustomize dir} prints. */
    public static List<JsonNode> render(Path dir) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(kubectl().toString(), "kustomize", dir.toString()).start();
        byte[] out = process.getInputStream().readAllBytes();
        String errors = new String(process.getErrorStream().readAllBytes());
        if (process.waitFor() != 0) {
            throw new IllegalStateException("kubectl kustomize " + dir + " failed: " + errors);
        }
        List<JsonNode> documents = new ArrayList<>();
        YAML.getFactory().createParser(out).readValuesAs(JsonNode.class).forEachRemaining(documents::add);
        return documents;
    }
}
