package dev.imageflow.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import io.fabric8.knative.eventing.v1.Trigger;
import io.fabric8.knative.serving.v1.Service;

/** infra/kn/deploy.sh makes what knative/ and eventing/ declare: the same Services, sizes, scaling and Triggers. */
class KnScriptTest {

    private static final Path REPO = Path.of("../..");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private static String script() throws IOException {
        return Files.readString(REPO.resolve("infra/kn/deploy.sh")).replace("\\\n", " ");
    }

    private static Map<String, String> flags(String command) {
        Map<String, String> flags = new LinkedHashMap<>();
        Matcher m = Pattern.compile("--([a-z-]+) (\\S+)").matcher(command);
        while (m.find()) {
            flags.merge(m.group(1), m.group(2), (a, b) -> a + " " + b);
        }
        return flags;
    }

    @Test
    void everyServiceIsCreatedWithTheScalingSizesAndVisibilityOfItsYaml() throws IOException {
        Matcher m = Pattern.compile("(?m)^kn service create (\\S+)(.*)$").matcher(script());
        Set<String> created = new HashSet<>();
        while (m.find()) {
            String name = m.group(1);
            created.add(name);
            Map<String, String> kn = flags(m.group(2));
            Service yaml = YAML.readValue(REPO.resolve("knative/" + name + ".yaml").toFile(), Service.class);
            Map<String, String> annotations = yaml.getSpec().getTemplate().getMetadata().getAnnotations();
            var spec = yaml.getSpec().getTemplate().getSpec();
            var resources = spec.getContainers().get(0).getResources();
            assertThat(kn).as(name)
                    .containsEntry("scale-min", annotations.get("autoscaling.knative.dev/min-scale"))
                    .containsEntry("scale-max", annotations.get("autoscaling.knative.dev/max-scale"))
                    .containsEntry("scale-target", annotations.get("autoscaling.knative.dev/target"))
                    .containsEntry("concurrency-limit", String.valueOf(spec.getContainerConcurrency()))
                    .containsEntry("timeout", String.valueOf(spec.getTimeoutSeconds()))
                    .containsEntry("request", "cpu=" + resources.getRequests().get("cpu") + ",memory="
                            + resources.getRequests().get("memory"))
                    .containsEntry("limit", "cpu=" + resources.getLimits().get("cpu") + ",memory="
                            + resources.getLimits().get("memory"));
            assertThat(m.group(2)).as(name).contains("autoscaling.knative.dev/scale-down-delay="
                    + annotations.get("autoscaling.knative.dev/scale-down-delay"));
            String visibility = yaml.getMetadata().getLabels().get("networking.knative.dev/visibility");
            if (visibility != null) {
                assertThat(kn.get("label")).as(name).contains("networking.knative.dev/visibility=" + visibility);
            } else {
                assertThat(kn).as(name).doesNotContainKey("label");
            }
        }
        try (Stream<Path> files = Files.list(REPO.resolve("knative"))) {
            assertThat(created).containsExactlyInAnyOrderElementsOf(files.map(f -> f.getFileName().toString())
                    .filter(f -> f.endsWith(".yaml") && !f.equals("kustomization.yaml"))
                    .map(f -> f.substring(0, f.length() - ".yaml".length())).toList());
        }
    }

    @Test
    void theBrokerAndTheSinkBindingComeBeforeTheGatewaySoItStartsWithKSink() throws IOException {
        String script = script();
        int gateway = script.indexOf("kn service create gateway");
        assertThat(script.indexOf("kn broker create default")).isBetween(0, gateway);
        assertThat(script.indexOf("kn source binding create gateway")).isBetween(0, gateway);
        assertThat(script).doesNotContain("2>/dev/null || true");
    }

    @Test
    void everyTriggerInEventingIsMadeByTheScript() throws IOException {
        String script = script();
        Set<String> made = new HashSet<>();
        Matcher loop = Pattern.compile("for effect in ([a-z ]+); do\\s+trigger \"\\$effect\"").matcher(script);
        while (loop.find()) {
            made.addAll(List.of(loop.group(1).trim().split(" ")));
        }
        Matcher single = Pattern.compile("(?m)^trigger ([a-z-]+) ").matcher(script);
        while (single.find()) {
            made.add(single.group(1));
        }
        Set<String> declared = new HashSet<>();
        try (Stream<Path> files = Files.list(REPO.resolve("eventing"))) {
            for (Path f : files.filter(f -> f.getFileName().toString().startsWith("trigger-")).toList()) {
                declared.add(YAML.readValue(f.toFile(), Trigger.class).getMetadata().getName());
            }
        }
        assertThat(made).containsExactlyInAnyOrderElementsOf(declared);
    }
}
