package dev.imageflow.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.imageflow.core.test.Kustomize;
import io.fabric8.knative.serving.v1.Service;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Quantity;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Karpenter's NodePool and EC2NodeClass (infra/karpenter/), for the Knative Services they give nodes to. fabric8
 * has no Karpenter model, so each is read as a GenericKubernetesResource and its fields checked against the names
 * of Karpenter's v1 API (a misspelt field would be dropped by the API server without a word); then the pool must
 * fit the Services: every pod on its smallest node, every Service at its max-scale under its CPU limit, and nodes
 * removed only after Knative has scaled their pods to zero.
 */
class NodePoolTest {

    private static final Path REPO = Path.of("../..");
    private static final Path KARPENTER = REPO.resolve("infra/karpenter");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    /** Knative's queue-proxy sidecar asks 25m of CPU beside every pod's container (config-deployment default). */
    private static final BigDecimal QUEUE_PROXY_CPU = new BigDecimal("0.025");
    /** What a node keeps for the kubelet and the daemonsets (aws-node, kube-proxy, ebs-csi-node, pod identity). */
    private static final BigDecimal NODE_OVERHEAD_CPU = new BigDecimal("0.4");
    /** The smallest memory per vCPU of the categories the pool allows: c is 2 GiB a vCPU. */
    private static final long MIB_PER_VCPU = 2048;
    /** Knative's stable window, its default: no Service here sets autoscaling.knative.dev/window. */
    private static final Duration KNATIVE_STABLE_WINDOW = Duration.ofSeconds(60);

    /** The v1 API's fields this directory may use, by path. */
    private static final Map<String, Set<String>> FIELDS = Map.of(
            "NodePool.spec", Set.of("template", "disruption", "limits", "weight"),
            "NodePool.spec.template", Set.of("metadata", "spec"),
            "NodePool.spec.template.spec",
                    Set.of(
                            "nodeClassRef",
                            "requirements",
                            "expireAfter",
                            "taints",
                            "startupTaints",
                            "terminationGracePeriod"),
            "NodePool.spec.disruption", Set.of("consolidationPolicy", "consolidateAfter", "budgets"),
            "EC2NodeClass.spec",
                    Set.of(
                            "amiSelectorTerms",
                            "role",
                            "instanceProfile",
                            "subnetSelectorTerms",
                            "securityGroupSelectorTerms",
                            "metadataOptions",
                            "blockDeviceMappings",
                            "userData",
                            "tags",
                            "kubelet",
                            "associatePublicIPAddress",
                            "detailedMonitoring",
                            "instanceStorePolicy"),
            "EC2NodeClass.spec.metadataOptions",
                    Set.of("httpEndpoint", "httpProtocolIPv6", "httpPutResponseHopLimit", "httpTokens"));

    private static GenericKubernetesResource read(String file) throws Exception {
        return YAML.readValue(KARPENTER.resolve(file).toFile(), GenericKubernetesResource.class);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> spec(GenericKubernetesResource resource) {
        return (Map<String, Object>) resource.getAdditionalProperties().get("spec");
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> requirements() throws Exception {
        Map<String, Object> template =
                (Map<String, Object>) spec(read("nodepool.yaml")).get("template");
        return (List<Map<String, Object>>) ((Map<String, Object>) template.get("spec")).get("requirements");
    }

    @SuppressWarnings("unchecked")
    private static List<String> requirement(String key) throws Exception {
        return requirements().stream()
                .filter(r -> r.get("key").equals(key))
                .map(r -> (List<String>) r.get("values"))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no requirement on " + key));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> disruption() throws Exception {
        return (Map<String, Object>) spec(read("nodepool.yaml")).get("disruption");
    }

    private static List<Service> services() throws Exception {
        List<Service> services = new ArrayList<>();
        for (JsonNode doc : Kustomize.render(REPO.resolve("knative"))) {
            services.add(YAML.treeToValue(doc, Service.class));
        }
        return services;
    }

    private static BigDecimal request(Service service, String resource) {
        Quantity requested = service.getSpec()
                .getTemplate()
                .getSpec()
                .getContainers()
                .get(0)
                .getResources()
                .getRequests()
                .get(resource);
        return requested.getNumericalAmount();
    }

    private static String annotation(Service service, String key) {
        return service.getSpec().getTemplate().getMetadata().getAnnotations().get(key);
    }

    @Test
    void bothAreKarpenterV1ResourcesWithOnlyFieldsTheApiHas() throws Exception {
        GenericKubernetesResource pool = read("nodepool.yaml");
        GenericKubernetesResource nodeClass = read("ec2nodeclass.yaml");
        assertThat(pool.getApiVersion()).isEqualTo("karpenter.sh/v1");
        assertThat(pool.getKind()).isEqualTo("NodePool");
        assertThat(nodeClass.getApiVersion()).isEqualTo("karpenter.k8s.aws/v1");
        assertThat(nodeClass.getKind()).isEqualTo("EC2NodeClass");
        assertThat(pool.getAdditionalProperties().keySet()).containsOnly("spec");
        assertThat(nodeClass.getAdditionalProperties().keySet()).containsOnly("spec");

        List<String> unknown = new ArrayList<>();
        for (GenericKubernetesResource resource : List.of(pool, nodeClass)) {
            collectUnknown(resource.getKind() + ".spec", spec(resource), unknown);
        }
        assertThat(unknown).isEmpty();

        @SuppressWarnings("unchecked")
        Map<String, Object> ref = (Map<String, Object>)
                ((Map<String, Object>) ((Map<String, Object>) spec(pool).get("template")).get("spec"))
                        .get("nodeClassRef");
        assertThat(ref)
                .containsEntry("group", "karpenter.k8s.aws")
                .containsEntry("kind", "EC2NodeClass")
                .containsEntry("name", nodeClass.getMetadata().getName());
    }

    @SuppressWarnings("unchecked")
    private static void collectUnknown(String path, Map<String, Object> node, List<String> unknown) {
        Set<String> allowed = FIELDS.get(path);
        if (allowed == null) {
            return;
        }
        node.forEach((key, value) -> {
            if (!allowed.contains(key)) {
                unknown.add(path + "." + key);
            } else if (value instanceof Map<?, ?> child) {
                collectUnknown(path + "." + key, (Map<String, Object>) child, unknown);
            }
        });
    }

    @Test
    void everyPodFitsTheSmallestNodeThePoolMayLaunch() throws Exception {
        int smallest = requirement("karpenter.k8s.aws/instance-cpu").stream()
                .mapToInt(Integer::parseInt)
                .min()
                .orElseThrow();
        assertThat(requirement("karpenter.k8s.aws/instance-category")).contains("c");
        BigDecimal room = BigDecimal.valueOf(smallest).subtract(NODE_OVERHEAD_CPU);
        for (Service service : services()) {
            BigDecimal cpu = request(service, "cpu").add(QUEUE_PROXY_CPU);
            assertThat(cpu)
                    .as("%s's pod on a %d-vCPU node", service.getMetadata().getName(), smallest)
                    .isLessThanOrEqualTo(room);
            BigDecimal memory = request(service, "memory");
            assertThat(memory.longValue() >> 20)
                    .as("%s's memory request in MiB", service.getMetadata().getName())
                    .isLessThan(smallest * MIB_PER_VCPU / 2);
        }
    }

    @Test
    void theCpuLimitHoldsEveryServiceAtItsMaxScale() throws Exception {
        BigDecimal atMaxScale = BigDecimal.ZERO;
        for (Service service : services()) {
            int maxScale = Integer.parseInt(annotation(service, "autoscaling.knative.dev/max-scale"));
            atMaxScale =
                    atMaxScale.add(request(service, "cpu").add(QUEUE_PROXY_CPU).multiply(BigDecimal.valueOf(maxScale)));
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> limits =
                (Map<String, Object>) spec(read("nodepool.yaml")).get("limits");
        BigDecimal limit = new Quantity(String.valueOf(limits.get("cpu"))).getNumericalAmount();
        // Room for every Service at its ceiling, but not unbounded: the limit is the cost ceiling of a burst.
        assertThat(limit).as("CPU at every max-scale: %s", atMaxScale).isGreaterThanOrEqualTo(atMaxScale);
        assertThat(limit).isLessThanOrEqualTo(atMaxScale.multiply(BigDecimal.valueOf(2)));
    }

    @Test
    void nodesAreRemovedOnlyOnceKnativeHasScaledTheirPodsToZero() throws Exception {
        Duration scaleToZero = Duration.ZERO;
        for (Service service : services()) {
            assertThat(annotation(service, "autoscaling.knative.dev/window")).isNull();
            String delay = annotation(service, "autoscaling.knative.dev/scale-down-delay");
            Duration candidate = KNATIVE_STABLE_WINDOW.plus(delay == null ? Duration.ZERO : goDuration(delay));
            if (annotation(service, "autoscaling.knative.dev/min-scale").equals("0")
                    && candidate.compareTo(scaleToZero) > 0) {
                scaleToZero = candidate;
            }
        }
        assertThat(scaleToZero).isEqualTo(Duration.ofSeconds(90));
        assertThat(disruption()).containsEntry("consolidationPolicy", "WhenEmptyOrUnderutilized");
        assertThat(goDuration((String) disruption().get("consolidateAfter")))
                .as("consolidateAfter against Knative's %s to zero", scaleToZero)
                .isGreaterThan(scaleToZero)
                .isLessThanOrEqualTo(Duration.ofMinutes(10));
    }

    private static Duration goDuration(String text) {
        Matcher part = Pattern.compile("(\\d+)(h|m|s)").matcher(text);
        Duration total = Duration.ZERO;
        int consumed = 0;
        while (part.find()) {
            long n = Long.parseLong(part.group(1));
            total = total.plus(
                    switch (part.group(2)) {
                        case "h" -> Duration.ofHours(n);
                        case "m" -> Duration.ofMinutes(n);
                        default -> Duration.ofSeconds(n);
                    });
            consumed += part.group().length();
        }
        assertThat(consumed).as("a duration: %s", text).isEqualTo(text.length()).isPositive();
        return total;
    }

    @Test
    void everyScalingChoiceSaysWhyInACommentAboveIt() throws Exception {
        List<String> lines = Files.readAllLines(KARPENTER.resolve("nodepool.yaml"));
        int checked = 0;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).trim();
            if (line.startsWith("- key:")
                    || line.startsWith("expireAfter:")
                    || line.startsWith("consolidationPolicy:")
                    || line.startsWith("consolidateAfter:")
                    || line.startsWith("budgets:")
                    || line.startsWith("limits:")) {
                assertThat(lines.get(i - 1).trim())
                        .as("the line above %s", line)
                        .startsWith("#");
                checked++;
            }
        }
        assertThat(checked).isEqualTo(requirements().size() + 5);
    }

    /**
     * deploy.sh patches the NodePool from Terraform's outputs by position (requirements 0 and 1) and the node class
     * by path; what is written here is what Terraform's defaults make, so the files read true as they are.
     */
    @Test
    void theWrittenValuesAreTerraformsDefaultsWhereDeployShPatchesThem() throws Exception {
        assertThat(requirements().get(0)).containsEntry("key", "kubernetes.io/arch");
        assertThat(requirements().get(1)).containsEntry("key", "karpenter.sh/capacity-type");
        String deploy = Files.readString(REPO.resolve("infra/overlays/aws/deploy.sh"));
        assertThat(deploy)
                .contains("/spec/template/spec/requirements/0/values, value: $ARCHITECTURES")
                .contains("/spec/template/spec/requirements/1/values, value: $CAPACITY_TYPES")
                .contains("/spec/limits/cpu")
                .contains("/spec/role")
                .contains("/spec/subnetSelectorTerms/0/tags/karpenter.sh~1discovery")
                .contains("/spec/securityGroupSelectorTerms/0/tags/karpenter.sh~1discovery");

        TerraformModule terraform = TerraformModule.read(REPO.resolve("infra/terraform"));
        Object name = terraform.block("var.name").body().get("default");
        // amd64 only until the images are built for arm64 too: an arm64 node would crash-loop an amd64 image.
        assertThat(requirement("kubernetes.io/arch"))
                .isEqualTo(terraform.block("var.node_architectures").body().get("default"))
                .containsExactly("amd64");
        assertThat(requirement("karpenter.sh/capacity-type"))
                .isEqualTo(terraform.block("var.node_capacity_types").body().get("default"));
        @SuppressWarnings("unchecked")
        Map<String, Object> limits =
                (Map<String, Object>) spec(read("nodepool.yaml")).get("limits");
        assertThat(new BigDecimal(String.valueOf(limits.get("cpu"))))
                .isEqualByComparingTo(String.valueOf(
                        terraform.block("var.karpenter_cpu_limit").body().get("default")));

        Map<String, Object> nodeClass = spec(read("ec2nodeclass.yaml"));
        assertThat(nodeClass.get("role")).isEqualTo(name + "-karpenter-node");
        assertThat(terraform.block("module.karpenter").body().get("node_iam_role_name"))
                .hasToString("var.name-karpenter-node");
        assertThat(nodeClass.get("subnetSelectorTerms").toString())
                .isEqualTo(nodeClass.get("securityGroupSelectorTerms").toString())
                .isEqualTo("[{tags={karpenter.sh/discovery=" + name + "}}]");
    }
}
