package dev.imageflow.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * infra/terraform, checked where Terraform is not installed (it is not a Debian package, and its registry is out
 * of reach here, so {@code terraform validate} cannot run): every file parses as HCL, and what validate would reject
 * for a name that does not resolve is rejected here too. Every {@code var.}, {@code local.}, {@code module.},
 * {@code data.} and resource reference names something declared, a resource made with {@code count} is referred
 * to by index, every provider alias a block names exists, every variable and output says what it is, and
 * deploy.sh reads only outputs that exist. What it cannot see: attribute names of resources and modules (the
 * providers' schemas), and types.
 */
class TerraformConfigurationTest {

    private static final Path TERRAFORM = Path.of("../../infra/terraform");
    private static final Path DEPLOY = Path.of("../../infra/overlays/aws/deploy.sh");

    /** A reference in an expression: var.x, local.x, module.x, data.t.x, or t.x for a resource type t. */
    private static final Pattern REFERENCE = Pattern.compile(
            "(?<![\\w.\\-\"/])(var\\.\\w+|local\\.\\w+|module\\.\\w+|data\\.\\w+\\.\\w+|(?:aws|helm|random|kubernetes|tls|null)_\\w+\\.\\w+)(\\[)?");
    /** depends_on = [...]: there a resource made with count is named whole, without an index. */
    private static final Pattern DEPENDS_ON = Pattern.compile("depends_on\\s*=\\s*\\[[^\\]]*\\]");
    /** provider = aws.billing inside a block. */
    private static final Pattern PROVIDER_ALIAS = Pattern.compile("\\bprovider\\s*=\\s*(\\w+\\.\\w+)");

    private record Reference(Path file, String address, boolean indexed, boolean dependency) {}

    private static List<Reference> references(TerraformModule module) {
        List<Reference> found = new ArrayList<>();
        module.code().forEach((file, code) -> {
            List<int[]> dependencies = new ArrayList<>();
            Matcher d = DEPENDS_ON.matcher(code);
            while (d.find()) {
                dependencies.add(new int[] {d.start(), d.end()});
            }
            Matcher m = REFERENCE.matcher(code);
            while (m.find()) {
                int at = m.start();
                boolean dependency = dependencies.stream().anyMatch(r -> r[0] <= at && at < r[1]);
                found.add(new Reference(file.getFileName(), m.group(1), m.group(2) != null, dependency));
            }
        });
        return found;
    }

    private static List<String> unresolved(TerraformModule module) {
        Set<String> declared = module.addresses();
        List<String> problems = new ArrayList<>();
        for (Reference reference : references(module)) {
            if (!declared.contains(reference.address())) {
                problems.add(reference.file() + ": " + reference.address() + " is not declared");
                continue;
            }
            if (reference.address().startsWith("var.") || reference.address().startsWith("local.")) {
                continue;
            }
            boolean counted = module.block(reference.address()).body().containsKey("count");
            if (counted && !reference.indexed() && !reference.dependency()) {
                problems.add(reference.file() + ": " + reference.address() + " is made with count: refer to it as "
                        + reference.address() + "[0] or [*]");
            }
        }
        module.code().forEach((file, code) -> {
            Matcher m = PROVIDER_ALIAS.matcher(code);
            while (m.find()) {
                if (!module.providers().contains(m.group(1))) {
                    problems.add(
                            file.getFileName() + ": provider " + m.group(1) + " has no provider block with that alias");
                }
            }
        });
        return problems;
    }

    @Test
    void everyReferenceNamesSomethingTheConfigurationDeclares() throws Exception {
        TerraformModule module = TerraformModule.read(TERRAFORM);
        assertThat(references(module)).as("references found").hasSizeGreaterThan(50);
        assertThat(unresolved(module)).isEmpty();
    }

    @Test
    void aReferenceToSomethingUndeclaredOrACountedResourceWithoutItsIndexIsCaught(@TempDir Path dir) throws Exception {
        try (var files = Files.list(TERRAFORM)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".tf")).toList()) {
                Files.copy(file, dir.resolve(file.getFileName()));
            }
        }
        Path outputs = dir.resolve("outputs.tf");
        String good = Files.readString(outputs);
        Files.writeString(outputs, good.replace("aws_s3_bucket.images.bucket", "aws_s3_bucket.imagez.bucket"));
        assertThat(unresolved(TerraformModule.read(dir)))
                .containsExactly("outputs.tf: aws_s3_bucket.imagez is not declared");

        Files.writeString(outputs, good.replace("var.region", "var.regoin"));
        assertThat(unresolved(TerraformModule.read(dir))).contains("outputs.tf: var.regoin is not declared");

        Files.writeString(
                outputs, good.replace("aws_secretsmanager_secret.kafka[0].arn", "aws_secretsmanager_secret.kafka.arn"));
        assertThat(unresolved(TerraformModule.read(dir)))
                .containsExactly("outputs.tf: aws_secretsmanager_secret.kafka is made with count: refer to it as"
                        + " aws_secretsmanager_secret.kafka[0] or [*]");

        Files.writeString(outputs, good);
        Path cost = dir.resolve("cost.tf");
        Files.writeString(cost, Files.readString(cost).replace("aws.billing", "aws.bililng"));
        assertThat(unresolved(TerraformModule.read(dir)))
                .contains("cost.tf: provider aws.bililng has no provider block with that alias");
    }

    @Test
    void aFileThatDoesNotParseIsCaught(@TempDir Path dir) throws Exception {
        String variables = Files.readString(TERRAFORM.resolve("variables.tf"));
        // A block never closed: hcl4j alone would let it through.
        Files.writeString(dir.resolve("variables.tf"), variables.substring(0, variables.lastIndexOf('}')));
        assertThatThrownBy(() -> TerraformModule.read(dir)).hasMessageContaining("is never closed");
        Files.writeString(dir.resolve("variables.tf"), variables.replaceFirst("default", "default = "));
        assertThatThrownBy(() -> TerraformModule.read(dir)).hasMessageContaining("not valid HCL");
    }

    @Test
    void everyVariableIsDescribedTypedAndUsedAndEveryOutputDescribed() throws Exception {
        TerraformModule module = TerraformModule.read(TERRAFORM);
        Set<String> used = new LinkedHashSet<>();
        references(module).forEach(r -> used.add(r.address()));
        for (TerraformModule.Block variable : module.blocks("variable")) {
            assertThat(variable.body()).as(variable.address()).containsKeys("description", "type");
            assertThat(used).as("%s is used somewhere", variable.address()).contains(variable.address());
        }
        for (TerraformModule.Block output : module.blocks("output")) {
            assertThat(output.body()).as(output.address()).containsKeys("description", "value");
        }
        for (TerraformModule.Block child : module.blocks("module")) {
            // A module without a pinned version changes under an apply.
            assertThat(child.body()).as(child.address()).containsKeys("source", "version");
        }
    }

    @Test
    void deployShReadsOnlyOutputsTheConfigurationHas() throws Exception {
        TerraformModule module = TerraformModule.read(TERRAFORM);
        Matcher read = Pattern.compile("\\$\\(tf (\\w+)\\)").matcher(Files.readString(DEPLOY));
        List<String> outputs = new ArrayList<>();
        while (read.find()) {
            outputs.add(read.group(1));
        }
        assertThat(outputs).contains("bucket", "broker_class", "kafka_bootstrap_servers", "karpenter_node_role");
        for (String output : outputs) {
            assertThat(module.addresses())
                    .as("deploy.sh reads output %s", output)
                    .contains("output." + output);
        }
    }

    @Test
    void theBillingAlarmIsInUsEast1WhereBillingMetricsAre() throws Exception {
        TerraformModule module = TerraformModule.read(TERRAFORM);
        Map<String, Object> alarm =
                module.block("aws_cloudwatch_metric_alarm.estimated_charges").body();
        assertThat(alarm).containsEntry("namespace", "AWS/Billing").containsEntry("metric_name", "EstimatedCharges");
        assertThat(String.valueOf(alarm.get("provider"))).isEqualTo("aws.billing");
        assertThat(module.code().get(TERRAFORM.resolve("versions.tf")))
                .containsPattern("alias\\s*=\\s*\"billing\"\\s*\\n\\s*region\\s*=\\s*\"us-east-1\"");
    }
}
