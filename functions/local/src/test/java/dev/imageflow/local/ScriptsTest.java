package dev.imageflow.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Every shell script passes shellcheck and every kustomization renders: the cluster paths cannot run here, so
 * these are what catches a script or a manifest that would fail on a user's first try. CI installs both tools
 * (.ci/run), so there these never skip.
 */
class ScriptsTest {

    private static final Path REPO = Path.of("../..").toAbsolutePath().normalize();

    @Test
    void everyShellScriptPassesShellcheck() throws Exception {
        Path shellcheck = installed("shellcheck");
        Assumptions.assumeTrue(shellcheck != null, "shellcheck is not installed (apt-get install shellcheck)");
        List<Path> scripts = files(p -> p.getFileName().toString().endsWith(".sh")
                || REPO.relativize(p).toString().equals(".ci/run"));
        assertThat(scripts).as("scripts found").isNotEmpty();
        List<String> command = new ArrayList<>(List.of(shellcheck.toString(), "--external-sources"));
        scripts.forEach(s -> command.add(s.toString()));
        Process process = new ProcessBuilder(command)
                .directory(REPO.toFile())
                .redirectErrorStream(true)
                .start();
        String out = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor()).as(out).isZero();
    }

    @Test
    void everyKustomizationRendersWithKubectl() throws Exception {
        Path kubectl = installed("kubectl");
        Assumptions.assumeTrue(kubectl != null, "kubectl is not installed");
        List<Path> kustomizations = files(p -> p.getFileName().toString().equals("kustomization.yaml"));
        assertThat(kustomizations).as("kustomizations found").hasSizeGreaterThanOrEqualTo(2);
        for (Path kustomization : kustomizations) {
            Process process = new ProcessBuilder(
                            kubectl.toString(),
                            "kustomize",
                            kustomization.getParent().toString())
                    .redirectErrorStream(true)
                    .start();
            String out = new String(process.getInputStream().readAllBytes());
            assertThat(process.waitFor()).as(kustomization + ": " + out).isZero();
            assertThat(out).as(kustomization.toString()).contains("kind: ");
        }
    }

    private static List<Path> files(java.util.function.Predicate<Path> matching) throws IOException {
        try (Stream<Path> all = Files.walk(REPO)) {
            return all.filter(
                            p -> !REPO.relativize(p)
                                    .toString()
                                    .matches(
                                            "(.*/)?(\\.git|target|node_modules|\\.imageflow)(/.*)?|infra/images/work/.*|bench/results/.*"))
                    .filter(Files::isRegularFile)
                    .filter(matching)
                    .sorted()
                    .toList();
        }
    }

    private static Path installed(String tool) {
        return Stream.of("/usr/bin/", "/usr/local/bin/")
                .map(dir -> Path.of(dir + tool))
                .filter(Files::isExecutable)
                .findFirst()
                .orElse(null);
    }
}
