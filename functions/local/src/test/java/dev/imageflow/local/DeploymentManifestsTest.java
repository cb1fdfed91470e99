package dev.imageflow.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.imageflow.core.image.HeapBudget;
import dev.imageflow.core.image.ImageLimits;
import dev.imageflow.core.test.Kustomize;
import io.fabric8.knative.eventing.v1.Broker;
import io.fabric8.knative.eventing.v1.Trigger;
import io.fabric8.knative.serving.v1.Service;
import io.fabric8.knative.sources.v1.SinkBinding;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

/**
 * The cluster side, checked without a cluster: every manifest in {@code knative/} and {@code eventing/} is read
 * into fabric8's Knative model and must use no field the model does not know (a typo Kubernetes would drop
 * silently), and the pieces must fit each other and the code.
 */
class DeploymentManifestsTest {

    private static final Path REPO = Path.of("../..");
    /** What every effect Service shares, patched onto each by knative/kustomization.yaml. */
    private static final String SHARED_EFFECT_PATCH = "effect-service.yaml";

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    /** Read by the JVM, by glibc or by Knative's queue-proxy, not by Spring. */
    private static final Set<String> RUNTIME_VARIABLES = Set.of("JAVA_TOOL_OPTIONS", "MALLOC_ARENA_MAX", "K_SINK");
    /** The gateway's bearer token (imageflow.gateway.auth.token) and the Secret it comes from. */
    private static final String AUTH_TOKEN_VARIABLE = "IMAGEFLOW_GATEWAY_AUTH_TOKEN";

    private static final String AUTH_SECRET = "imageflow-gateway-auth";

    /** The file of each Service as written (an effect's holds only what differs), checked field by field. */
    private static Map<String, Path> serviceFiles() throws IOException {
        Map<String, Path> files = new LinkedHashMap<>();
        for (Path file : manifests("knative")) {
            if (file.endsWith(SHARED_EFFECT_PATCH)) {
                continue;
            }
            JsonNode doc = YAML.readTree(file.toFile());
            assertThat(doc.path("apiVersion").asText()).as(file.toString()).isEqualTo("serving.knative.dev/v1");
            assertThat(doc.path("kind").asText()).as(file.toString()).isEqualTo("Service");
            Service service = YAML.treeToValue(doc, Service.class);
            assertThat(unknownFields(service, file.getFileName().toString())).isEmpty();
            assertThat(file.getFileName().toString())
                    .isEqualTo(service.getMetadata().getName() + ".yaml");
            files.put(service.getMetadata().getName(), file);
        }
        return files;
    }

    /** The Services as a cluster gets them: {@code kubectl kustomize knative}, the shared effect part patched in. */
    private static Map<String, Service> services() throws Exception {
        Map<String, Service> services = new LinkedHashMap<>();
        for (JsonNode doc : Kustomize.render(REPO.resolve("knative"))) {
            Service service = YAML.treeToValue(doc, Service.class);
            assertThat(unknownFields(
                            service, "rendered " + service.getMetadata().getName()))
                    .isEmpty();
            services.put(service.getMetadata().getName(), service);
        }
        assertThat(services.keySet()).isEqualTo(serviceFiles().keySet());
        return services;
    }

    /** The JVM flags a container starts with: its JAVA_TOOL_OPTIONS. */
    private static String jvmFlags(Container container) {
        return container.getEnv().stream()
                .filter(e -> e.getName().equals("JAVA_TOOL_OPTIONS"))
                .findFirst()
                .orElseThrow()
                .getValue();
    }

    @Test
    void theGatewayAndEveryEffectHaveExactlyOneKnativeServiceOfTheirName() throws Exception {
        List<String> expected = new ArrayList<>(ShippedEffects.names());
        expected.add("gateway");
        assertThat(services().keySet()).containsExactlyInAnyOrderElementsOf(expected);
    }

    @Test
    void everyEffectServiceRunsTheEffectsImageAndAppliesTheEffectOfItsName() throws Exception {
        for (String effect : ShippedEffects.names()) {
            Service service = services().get(effect);
            assertThat(service.getMetadata().getLabels()).containsEntry("app.kubernetes.io/component", "effect");
            // Knative's K_SERVICE (the Service's name) is the function definition: no per-Service setting to forget.
            assertThat(service.getSpec()
                            .getTemplate()
                            .getSpec()
                            .getContainers()
                            .get(0)
                            .getImage())
                    .startsWith("imageflow/effects:");
        }
    }

    @Test
    void onlyTheGatewayIsPublicEveryEffectIsClusterLocal() throws Exception {
        for (Service service : services().values()) {
            String visibility = service.getMetadata().getLabels().get("networking.knative.dev/visibility");
            if (service.getMetadata().getName().equals("gateway")) {
                assertThat(visibility).as("gateway").isNull();
            } else {
                assertThat(visibility).as(service.getMetadata().getName()).isEqualTo("cluster-local");
            }
        }
    }

    @Test
    void effectsScaleOnConcurrencyDownToZeroAndSayWhyInComments() throws Exception {
        List<String> shared = Files.readAllLines(REPO.resolve("knative/" + SHARED_EFFECT_PATCH));
        for (String name : ShippedEffects.names()) {
            Service service = services().get(name);
            Map<String, String> annotations =
                    service.getSpec().getTemplate().getMetadata().getAnnotations();
            assertThat(annotations)
                    .as(name)
                    .containsEntry("autoscaling.knative.dev/class", "kpa.autoscaling.knative.dev")
                    .containsEntry("autoscaling.knative.dev/metric", "concurrency")
                    .containsEntry("autoscaling.knative.dev/min-scale", "0")
                    .containsKeys(
                            "autoscaling.knative.dev/target",
                            "autoscaling.knative.dev/max-scale",
                            "autoscaling.knative.dev/scale-down-delay");
            List<String> own = Files.readAllLines(REPO.resolve("knative/" + name + ".yaml"));
            for (String key : annotations.keySet()) {
                int at = indexOf(own, l -> l.trim().startsWith(key + ":"));
                // Each choice has its reason in the comment above it, in the effect's file or the shared patch
                // (where class and metric share one, above the first of the two operations).
                List<String> lines = at >= 0 ? own : shared;
                if (at < 0) {
                    at = indexOf(
                            shared,
                            l -> l.trim()
                                    .equals("path: /spec/template/metadata/annotations/" + key.replace("/", "~1")));
                }
                assertThat(at)
                        .as("%s in %s.yaml or %s", key, name, SHARED_EFFECT_PATCH)
                        .isNotNegative();
                assertThat(lines.subList(Math.max(0, at - (lines == own ? 2 : 5)), at))
                        .as("a comment above %s", key)
                        .anyMatch(l -> l.trim().startsWith("#"));
            }
        }
    }

    private static int indexOf(List<String> lines, java.util.function.Predicate<String> test) {
        for (int i = 0; i < lines.size(); i++) {
            if (test.test(lines.get(i))) {
                return i;
            }
        }
        return -1;
    }

    @Test
    void everyServiceIsProbedSizedAndBoundedInTime() throws Exception {
        for (Service service : services().values()) {
            var spec = service.getSpec().getTemplate().getSpec();
            Container container = spec.getContainers().get(0);
            assertThat(spec.getEnableServiceLinks()).isFalse();
            assertThat(spec.getTimeoutSeconds()).isPositive();
            assertThat(spec.getResponseStartTimeoutSeconds()).isPositive();
            assertThat(container.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/actuator/health/readiness");
            // Knative probes readiness aggressively while scaling from zero only when no period or delay is set.
            assertThat(container.getReadinessProbe().getPeriodSeconds())
                    .as("readiness periodSeconds")
                    .isNull();
            assertThat(container.getReadinessProbe().getInitialDelaySeconds())
                    .as("readiness initialDelaySeconds")
                    .isNull();
            assertThat(container.getStartupProbe()).as("startupProbe").isNull();
            assertThat(container.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/actuator/health/liveness");
            assertThat(container.getResources().getRequests()).containsKeys("cpu", "memory");
            assertThat(container.getResources().getLimits()).containsKey("memory");
            assertThat(container.getEnv()).extracting(EnvVar::getName).contains("JAVA_TOOL_OPTIONS");
            assertThat(container.getEnv())
                    .filteredOn(e -> e.getName().equals("JAVA_TOOL_OPTIONS"))
                    .singleElement()
                    .extracting(EnvVar::getValue)
                    .asString()
                    .contains("MaxRAMPercentage");
        }
    }

    /**
     * The gateway moves bytes, so it runs on C1 alone, which answers a cold start sooner; the effects' pixel loops
     * need C2 (a warm blur is ~60% slower without it).
     */
    @Test
    void onlyTheGatewayRunsWithoutTheC2Compiler() throws Exception {
        Map<String, Service> services = services();
        for (Map.Entry<String, Service> service : services.entrySet()) {
            String flags = jvmFlags(service.getValue()
                    .getSpec()
                    .getTemplate()
                    .getSpec()
                    .getContainers()
                    .get(0));
            if (service.getKey().equals("gateway")) {
                assertThat(flags).as("gateway").contains("-XX:TieredStopAtLevel=1");
            } else {
                assertThat(flags).as(service.getKey()).doesNotContain("TieredStopAtLevel");
            }
        }
    }

    /** The bench and the image check train and run each function with what infra/pod-flags.sh says its pod has. */
    @Test
    void podFlagsPrintsEveryServicesRenderedJvmFlags() throws Exception {
        for (Map.Entry<String, Service> service : services().entrySet()) {
            String rendered = jvmFlags(service.getValue()
                    .getSpec()
                    .getTemplate()
                    .getSpec()
                    .getContainers()
                    .get(0));
            Process script = new ProcessBuilder(
                            "bash", REPO.resolve("infra/pod-flags.sh").toString(), service.getKey())
                    .redirectError(ProcessBuilder.Redirect.INHERIT)
                    .start();
            String printed = new String(script.getInputStream().readAllBytes()).trim();
            assertThat(script.waitFor()).as(service.getKey()).isZero();
            assertThat(printed).as(service.getKey()).isEqualTo(rendered);
        }
    }

    /**
     * The largest image the limits accept, decoded, fits an effect pod's heap: the heap budget lets an image larger
     * than itself in alone (so the limits, not the budget, say what can be processed), and the heap is what is left
     * of the memory limit at the JVM's MaxRAMPercentage. More requests at once (containerConcurrency) then queue
     * for the budget instead of running the heap out.
     */
    @Test
    void theLargestAllowedImageFitsEveryEffectPodsHeap() throws Exception {
        ImageLimits limits = new Binder(new MapConfigurationPropertySource(Map.of()))
                .bindOrCreate("imageflow.image", ImageLimits.class);
        long largest = limits.maxPixels() * HeapBudget.BYTES_PER_PIXEL;
        for (String effect : ShippedEffects.names()) {
            Container container = services()
                    .get(effect)
                    .getSpec()
                    .getTemplate()
                    .getSpec()
                    .getContainers()
                    .get(0);
            String flags = jvmFlags(container);
            Matcher percent = Pattern.compile("-XX:MaxRAMPercentage=(\\d+)").matcher(flags);
            assertThat(percent.find()).as(effect + ": " + flags).isTrue();
            long memory = container
                    .getResources()
                    .getLimits()
                    .get("memory")
                    .getNumericalAmount()
                    .longValue();
            long heap = memory * Long.parseLong(percent.group(1)) / 100;
            assertThat(heap)
                    .as(
                            "%s: heap of %d MiB for a %.0f MP image at %d bytes a pixel",
                            effect, heap >> 20, limits.maxMegapixels(), HeapBudget.BYTES_PER_PIXEL)
                    .isGreaterThanOrEqualTo(largest);
        }
    }

    @Test
    void everyVariableAServiceOrOverlaySetsIsOneTheApplicationReads() throws Exception {
        Set<String> read = new HashSet<>(RUNTIME_VARIABLES);
        for (String property : configurationProperties()) {
            // Spring Boot binds both IMAGEFLOW_S3_PATHSTYLE and IMAGEFLOW_S3_PATH_STYLE to imageflow.s3.path-style.
            read.add(property.toUpperCase().replace('.', '_').replace("-", ""));
            read.add(property.toUpperCase().replace('.', '_').replace('-', '_'));
        }
        List<String> set = new ArrayList<>();
        for (Service service : services().values()) {
            service.getSpec()
                    .getTemplate()
                    .getSpec()
                    .getContainers()
                    .forEach(c -> c.getEnv().forEach(e -> set.add(e.getName())));
        }
        for (Path env : List.of(REPO.resolve("infra/overlays/aws/config.env"))) {
            Files.readAllLines(env).stream()
                    .filter(l -> l.contains("=") && !l.startsWith("#"))
                    .forEach(l -> set.add(l.substring(0, l.indexOf('='))));
        }
        for (String overlay : List.of("local")) {
            JsonNode kustomization = YAML.readTree(REPO.resolve("infra/overlays/" + overlay + "/kustomization.yaml")
                    .toFile());
            kustomization
                    .path("configMapGenerator")
                    .forEach(g -> g.path("literals")
                            .forEach(l ->
                                    set.add(l.asText().substring(0, l.asText().indexOf('=')))));
        }
        assertThat(set)
                .isNotEmpty()
                .allSatisfy(name ->
                        assertThat(read).as("a setting named by %s", name).contains(name));
    }

    @Test
    void onlyTheGatewayReadsTheTokenAndFromAnOptionalSecretNeverFromTheRepository() throws Exception {
        for (Service service : services().values()) {
            String name = service.getMetadata().getName();
            Container container =
                    service.getSpec().getTemplate().getSpec().getContainers().get(0);
            List<EnvVar> token = container.getEnv().stream()
                    .filter(e -> e.getName().equals(AUTH_TOKEN_VARIABLE))
                    .toList();
            boolean readsTheSecret = container.getEnv().stream()
                            .anyMatch(e -> e.getValueFrom() != null
                                    && e.getValueFrom().getSecretKeyRef() != null
                                    && AUTH_SECRET.equals(
                                            e.getValueFrom().getSecretKeyRef().getName()))
                    || container.getEnvFrom().stream()
                            .anyMatch(e -> e.getSecretRef() != null
                                    && AUTH_SECRET.equals(e.getSecretRef().getName()));
            if (!name.equals("gateway")) {
                assertThat(token).as(name).isEmpty();
                assertThat(readsTheSecret).as(name).isFalse();
                continue;
            }
            // Optional: a cluster without the Secret (kind, a demo) runs with the check off instead of not starting.
            assertThat(token).singleElement().satisfies(variable -> {
                assertThat(variable.getValue())
                        .as("a token written into the manifest")
                        .isNull();
                assertThat(variable.getValueFrom().getSecretKeyRef().getName()).isEqualTo(AUTH_SECRET);
                assertThat(variable.getValueFrom().getSecretKeyRef().getKey()).isEqualTo("token");
                assertThat(variable.getValueFrom().getSecretKeyRef().getOptional())
                        .isTrue();
            });
        }
        // The overlays make no token either: deploy.sh generates it into the cluster.
        assertThat(Files.readString(REPO.resolve("infra/overlays/aws/config.env")))
                .doesNotContain(AUTH_TOKEN_VARIABLE);
        for (String overlay : List.of("local", "aws")) {
            assertThat(Kustomize.render(REPO.resolve("infra/overlays/" + overlay)))
                    .as(overlay)
                    .noneMatch(d -> d.path("kind").asText().equals("Secret")
                            && d.path("metadata").path("name").asText().equals(AUTH_SECRET));
        }
    }

    @Test
    void theBrokerRetriesAndDeadLettersToTheGateway() throws IOException {
        Broker broker = YAML.readValue(REPO.resolve("eventing/broker.yaml").toFile(), Broker.class);

        assertThat(unknownFields(broker, "broker.yaml")).isEmpty();
        assertThat(broker.getSpec().getDelivery().getRetry()).isPositive();
        assertThat(broker.getSpec().getDelivery().getBackoffPolicy()).isEqualTo("exponential");
        assertThat(broker.getSpec().getDelivery().getDeadLetterSink().getRef().getName())
                .isEqualTo("gateway");
        assertThat(broker.getSpec().getDelivery().getDeadLetterSink().getUri()).isEqualTo("/jobDeadLettered");
    }

    /**
     * The durable Broker is the same Broker with another class: the Kafka overlay renders the channel overlay's
     * Broker with its class annotation and its config added and nothing else changed, so retries, backoff, timeout
     * and dead letters stay what eventing/broker.yaml says, in one place.
     */
    @Test
    void theKafkaBrokerDeliversAsTheChannelBrokerDoesOnlyItsClassAndConfigDiffer() throws Exception {
        List<JsonNode> channel = Kustomize.render(REPO.resolve("infra/overlays/aws"));
        List<JsonNode> kafka = Kustomize.render(REPO.resolve("infra/overlays/aws-kafka"));
        JsonNode channelBroker = only(channel, "Broker");
        JsonNode kafkaBroker = only(kafka, "Broker");

        Broker broker = YAML.treeToValue(kafkaBroker, Broker.class);
        assertThat(unknownFields(broker, "aws-kafka Broker")).isEmpty();
        assertThat(broker.getMetadata().getAnnotations()).containsEntry("eventing.knative.dev/broker.class", "Kafka");
        assertThat(kafkaBroker.path("spec").path("delivery"))
                .isNotEmpty()
                .isEqualTo(channelBroker.path("spec").path("delivery"));

        ObjectNode withoutClassAndConfig = kafkaBroker.deepCopy();
        ObjectNode annotations =
                (ObjectNode) withoutClassAndConfig.path("metadata").path("annotations");
        annotations.remove("eventing.knative.dev/broker.class");
        if (annotations.isEmpty()) {
            ((ObjectNode) withoutClassAndConfig.path("metadata")).remove("annotations");
        }
        ((ObjectNode) withoutClassAndConfig.path("spec")).remove("config");
        assertThat(withoutClassAndConfig).isEqualTo(channelBroker);

        // The config names a ConfigMap the overlay makes, in the namespace it names, with what the Kafka Broker reads.
        var config = broker.getSpec().getConfig();
        assertThat(config.getKind()).isEqualTo("ConfigMap");
        JsonNode configMap = kafka.stream()
                .filter(d -> d.path("kind").asText().equals("ConfigMap"))
                .filter(d -> d.path("metadata").path("name").asText().equals(config.getName()))
                .filter(d -> d.path("metadata").path("namespace").asText().equals(config.getNamespace()))
                .findFirst()
                .orElseThrow(
                        () -> new AssertionError("no ConfigMap " + config.getNamespace() + "/" + config.getName()));
        List<String> keys = new ArrayList<>();
        configMap.path("data").fieldNames().forEachRemaining(keys::add);
        assertThat(keys)
                .contains(
                        "bootstrap.servers",
                        "default.topic.partitions",
                        "default.topic.replication.factor",
                        "auth.secret.ref.name");

        // Everything else is the channel overlay's, document for document.
        List<JsonNode> rest = kafka.stream()
                .filter(d -> !d.path("kind").asText().equals("Broker") && d != configMap)
                .toList();
        assertThat(rest)
                .containsExactlyElementsOf(channel.stream()
                        .filter(d -> !d.path("kind").asText().equals("Broker"))
                        .toList());
    }

    @Test
    void theKafkaBrokerIsInstalledFromTheKnativeReleaseOfEverythingElse() throws IOException {
        String install = Files.readString(REPO.resolve("infra/knative/install.sh"));
        assertThat(install)
                .contains("KNATIVE_VERSION=${KNATIVE_VERSION:-knative-v1.17.")
                .contains("eventing-kafka-broker/releases/download/$KNATIVE_VERSION")
                .contains("eventing-kafka-controller.yaml")
                .contains("eventing-kafka-broker.yaml");
    }

    private static JsonNode only(List<JsonNode> documents, String kind) {
        List<JsonNode> found = documents.stream()
                .filter(d -> d.path("kind").asText().equals(kind))
                .toList();
        assertThat(found).as(kind).hasSize(1);
        return found.get(0);
    }

    @Test
    void everyTriggerIsWellFormedAndDeliversToAServiceInKnative() throws Exception {
        Set<String> services = services().keySet();
        int triggers = 0;
        for (Path file : manifests("eventing")) {
            JsonNode doc = YAML.readTree(file.toFile());
            switch (doc.path("kind").asText()) {
                case "Trigger" -> {
                    Trigger trigger = YAML.treeToValue(doc, Trigger.class);
                    assertThat(unknownFields(trigger, file.getFileName().toString()))
                            .isEmpty();
                    assertThat(trigger.getSpec().getBroker()).isEqualTo("default");
                    assertThat(trigger.getSpec().getFilter().getAttributes()).containsKey("type");
                    assertThat(trigger.getSpec().getSubscriber().getRef().getApiVersion())
                            .isEqualTo("serving.knative.dev/v1");
                    assertThat(services)
                            .contains(trigger.getSpec().getSubscriber().getRef().getName());
                    triggers++;
                }
                case "SinkBinding" -> {
                    SinkBinding binding = YAML.treeToValue(doc, SinkBinding.class);
                    assertThat(unknownFields(binding, file.getFileName().toString()))
                            .isEmpty();
                    assertThat(services).contains(binding.getSpec().getSubject().getName());
                    assertThat(binding.getSpec().getSink().getRef().getKind()).isEqualTo("Broker");
                }
                case "Broker" -> assertThat(YAML.treeToValue(doc, Broker.class)).isNotNull();
                default ->
                    throw new AssertionError("unexpected " + doc.path("kind").asText() + " in " + file);
            }
        }
        assertThat(triggers).isEqualTo(ShippedEffects.names().size() + 3);
    }

    @Test
    void theKustomizationsListEveryManifestAndEveryFileTheyNameExists() throws IOException {
        for (String dir : List.of(
                "knative",
                "eventing",
                "infra/redis",
                "infra/minio",
                "infra/karpenter",
                "infra/components/kafka-broker",
                "infra/overlays/local",
                "infra/overlays/aws",
                "infra/overlays/aws-kafka")) {
            Path base = REPO.resolve(dir);
            JsonNode kustomization =
                    YAML.readTree(base.resolve("kustomization.yaml").toFile());
            List<String> named = new ArrayList<>();
            kustomization.path("resources").forEach(r -> named.add(r.asText()));
            kustomization.path("components").forEach(c -> named.add(c.asText()));
            kustomization.path("configMapGenerator").forEach(g -> g.path("envs").forEach(e -> named.add(e.asText())));
            kustomization.path("patches").forEach(p -> {
                if (p.has("path")) {
                    named.add(p.path("path").asText());
                }
            });
            for (String name : named) {
                assertThat(base.resolve(name))
                        .as("%s/kustomization.yaml names %s", dir, name)
                        .exists();
            }
            if (!dir.startsWith("infra/overlays") && !dir.startsWith("infra/components")) {
                try (Stream<Path> files = Files.list(base)) {
                    List<String> yamls = files.map(f -> f.getFileName().toString())
                            .filter(f -> f.endsWith(".yaml") && !f.equals("kustomization.yaml"))
                            .toList();
                    assertThat(named).as("resources of %s", dir).containsExactlyInAnyOrderElementsOf(yamls);
                }
            }
        }
    }

    @Test
    void theOverlaysRenderWithKubectlWhereItIsInstalled() throws Exception {
        Path kubectl = Kustomize.kubectl();
        for (String overlay : List.of("local", "aws", "aws-kafka")) {
            Process process = new ProcessBuilder(
                            kubectl.toString(),
                            "kustomize",
                            REPO.resolve("infra/overlays/" + overlay).toString())
                    .redirectErrorStream(true)
                    .start();
            String out = new String(process.getInputStream().readAllBytes());
            assertThat(process.waitFor()).as(out).isZero();
            assertThat(out).contains("kind: Broker").contains("kind: Trigger").contains("name: imageflow-config");
        }
    }

    @Test
    void onEksRedissVolumeNamesAStorageClassTheOverlayCreates() throws Exception {
        Path kubectl = Kustomize.kubectl();
        Process process = new ProcessBuilder(
                        kubectl.toString(),
                        "kustomize",
                        REPO.resolve("infra/overlays/aws").toString())
                .start();
        List<JsonNode> rendered = new ArrayList<>();
        YAML.getFactory()
                .createParser(process.getInputStream())
                .readValuesAs(JsonNode.class)
                .forEachRemaining(rendered::add);
        assertThat(process.waitFor()).isZero();

        Set<String> classes = new HashSet<>();
        rendered.stream()
                .filter(d -> d.path("kind").asText().equals("StorageClass"))
                .forEach(d -> classes.add(d.path("metadata").path("name").asText()));
        List<String> claimed = rendered.stream()
                .filter(d -> d.path("kind").asText().equals("StatefulSet"))
                .flatMap(d -> java.util.stream.StreamSupport.stream(
                        d.path("spec").path("volumeClaimTemplates").spliterator(), false))
                .map(t -> t.path("spec").path("storageClassName").asText(""))
                .toList();
        assertThat(claimed)
                .isNotEmpty()
                .allSatisfy(c ->
                        assertThat(classes).as("EKS 1.30+ has no default class").contains(c));
    }

    private static List<Path> manifests(String dir) throws IOException {
        try (Stream<Path> files = Files.list(REPO.resolve(dir))) {
            return files.filter(f -> f.toString().endsWith(".yaml") && !f.endsWith("kustomization.yaml"))
                    .sorted()
                    .toList();
        }
    }

    private static Set<String> configurationProperties() throws IOException {
        Set<String> names = new HashSet<>();
        for (Resource r : new PathMatchingResourcePatternResolver()
                .getResources("classpath*:META-INF/spring-configuration-metadata.json")) {
            try (InputStream in = r.getInputStream()) {
                new ObjectMapper()
                        .readTree(in)
                        .path("properties")
                        .forEach(p -> names.add(p.path("name").asText()));
            }
        }
        assertThat(names).contains("imageflow.s3.bucket", "imageflow.gateway.sink");
        return names;
    }

    /** Fields the model did not know: fabric8 keeps them in additionalProperties instead of failing. */
    static List<String> unknownFields(Object node, String path) {
        List<String> unknown = new ArrayList<>();
        collectUnknown(node, path, unknown);
        return unknown;
    }

    private static void collectUnknown(Object node, String path, List<String> unknown) {
        if (node == null) {
            return;
        }
        if (node instanceof Collection<?> items) {
            int i = 0;
            for (Object item : items) {
                collectUnknown(item, path + "[" + i++ + "]", unknown);
            }
            return;
        }
        if (node instanceof Map<?, ?> map) {
            map.forEach((k, v) -> collectUnknown(v, path + "." + k, unknown));
            return;
        }
        if (!node.getClass().getName().startsWith("io.fabric8")) {
            return;
        }
        for (Method method : node.getClass().getMethods()) {
            if (method.getParameterCount() != 0
                    || Modifier.isStatic(method.getModifiers())
                    || !method.getName().startsWith("get")
                    || method.getName().equals("getClass")) {
                continue;
            }
            try {
                Object value = method.invoke(node);
                if (method.getName().equals("getAdditionalProperties")) {
                    if (value instanceof Map<?, ?> extra && !extra.isEmpty()) {
                        unknown.add(path + ": " + extra.keySet());
                    }
                } else {
                    collectUnknown(value, path + "." + method.getName().substring(3), unknown);
                }
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
