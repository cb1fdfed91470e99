package dev.imageflow.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.imageflow.core.test.Kustomize;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * infra/kn/deploy.sh makes what knative/ and eventing/ declare, from the same files: it is run here against a
 * stand-in {@code kn} that records every call (and finds nothing existing), with the real {@code kubectl} rendering
 * the manifests.
 */
class KnScriptTest {

    private static final Path REPO = Path.of("../..");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    @TempDir
    static Path work;

    static List<String> calls;
    static Map<String, JsonNode> created = new LinkedHashMap<>();

    @BeforeAll
    static void runTheScript() throws Exception {
        Path kubectl = Kustomize.kubectl();
        Path bin = Files.createDirectories(work.resolve("bin"));
        Path kn = bin.resolve("kn");
        // Records its arguments; keeps a copy of each --filename; "describe" finds nothing, so everything is created.
        Files.writeString(kn, """
                #!/usr/bin/env bash
                echo "kn $*" >> "$KN_LOG"
                [[ $2 == describe || $3 == describe ]] && exit 1
                args=("$@")
                for i in "${!args[@]}"; do
                  [[ ${args[$i]} == --filename ]] && cp "${args[$((i + 1))]}" "$KN_FILES/$3.yaml"
                done
                exit 0
                """);
        Files.setPosixFilePermissions(kn, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path files = Files.createDirectories(work.resolve("files"));
        ProcessBuilder script =
                new ProcessBuilder("bash", REPO.resolve("infra/kn/deploy.sh").toString()).redirectErrorStream(true);
        script.environment().put("PATH", bin + ":" + kubectl.getParent() + ":" + System.getenv("PATH"));
        script.environment().put("KN_LOG", work.resolve("kn.log").toString());
        script.environment().put("KN_FILES", files.toString());
        script.environment().put("IMAGE_PREFIX", "registry.example/imageflow");
        Process process = script.start();
        String out = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor()).as(out).isZero();
        calls = Files.readAllLines(work.resolve("kn.log"));
        try (var list = Files.list(files)) {
            for (Path file : list.toList()) {
                created.put(file.getFileName().toString().replace(".yaml", ""), YAML.readTree(file.toFile()));
            }
        }
    }

    @Test
    void everyServiceIsCreatedFromItsRenderedYamlWithTheImagesUnderTheGivenRegistry() throws Exception {
        Map<String, JsonNode> declared = new LinkedHashMap<>();
        for (JsonNode service : Kustomize.render(REPO.resolve("knative"))) {
            JsonNode container = service.path("spec")
                    .path("template")
                    .path("spec")
                    .path("containers")
                    .get(0);
            ((com.fasterxml.jackson.databind.node.ObjectNode) container)
                    .put(
                            "image",
                            container.path("image").asText().replace("imageflow/", "registry.example/imageflow/"));
            declared.put(service.path("metadata").path("name").asText(), service);
        }
        assertThat(created).isEqualTo(declared);
    }

    @Test
    void theBrokerAndTheSinkBindingComeBeforeTheGatewaySoItStartsWithKSink() {
        int gateway = indexOf("kn service create gateway");
        assertThat(indexOf("kn broker create default")).isBetween(0, gateway);
        assertThat(indexOf("kn source binding create gateway")).isBetween(0, gateway);
    }

    @Test
    void everyTriggerInEventingIsMadeWithItsFilters() throws Exception {
        List<String> made = new ArrayList<>();
        for (String call : calls) {
            if (call.startsWith("kn trigger create ")) {
                made.add(call.split(" ")[3]);
            }
        }
        List<String> declared = new ArrayList<>();
        for (JsonNode doc : Kustomize.render(REPO.resolve("eventing"))) {
            if (doc.path("kind").asText().equals("Trigger")) {
                String name = doc.path("metadata").path("name").asText();
                declared.add(name);
                String call = calls.stream()
                        .filter(c -> c.startsWith("kn trigger create " + name + " "))
                        .findFirst()
                        .orElseThrow();
                doc.path("spec")
                        .path("filter")
                        .path("attributes")
                        .fields()
                        .forEachRemaining(f -> assertThat(call)
                                .as(name)
                                .contains("--filter " + f.getKey() + "="
                                        + f.getValue().asText()));
            }
        }
        assertThat(made).containsExactlyInAnyOrderElementsOf(declared);
    }

    private static int indexOf(String prefix) {
        for (int i = 0; i < calls.size(); i++) {
            if (calls.get(i).startsWith(prefix)) {
                return i;
            }
        }
        return -1;
    }
}
