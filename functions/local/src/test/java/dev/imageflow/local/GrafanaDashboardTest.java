package dev.imageflow.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.imageflow.core.test.TestImages;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.web.context.WebServerApplicationContext;

/**
 * infra/grafana/imageflow-dashboard.json asks only for metrics that something exports: the functions' own, as
 * their /actuator/prometheus serves them after a real job, or one of a few from the cluster's standard exporters,
 * each named here with what exports it. A renamed timer or a misspelt metric would otherwise leave a panel empty
 * without a word.
 */
class GrafanaDashboardTest extends OnLocalStack {

    private static final Path DASHBOARD = Path.of("../../infra/grafana/imageflow-dashboard.json");

    /** Metrics the functions do not export, and what does: a standard install, scraped as the README says. */
    private static final Map<String, String> CLUSTER_METRICS = Map.of(
            "autoscaler_actual_pods", "Knative Serving 1.17's autoscaler (knative-serving/autoscaler, port 9090)",
            "autoscaler_desired_pods", "Knative Serving 1.17's autoscaler (knative-serving/autoscaler, port 9090)",
            "kube_pod_status_phase", "kube-state-metrics v2 (kube-prometheus-stack's default)",
            "kube_node_info", "kube-state-metrics v2",
            "kube_node_status_allocatable", "kube-state-metrics v2");

    private static final Set<String> PROMQL_WORDS = Set.of(
            "by", "without", "on", "ignoring", "group_left", "group_right", "bool", "and", "or", "unless", "offset");
    private static final Pattern IDENTIFIER = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");

    @BeforeAll
    static void start() {
        startStack(LocalStack.Settings.forTests());
    }

    private static JsonNode dashboard() throws Exception {
        return new ObjectMapper().readTree(DASHBOARD.toFile());
    }

    /** The metric names a PromQL expression selects: identifiers that are not functions, keywords or labels. */
    static Set<String> metrics(String promql) {
        String bare = promql.replaceAll("\"(\\\\.|[^\"\\\\])*\"", "\"\"") // string literals
                .replaceAll("\\{[^}]*\\}", "") // label matchers
                .replaceAll("\\[[^]]*\\]", "") // ranges
                .replaceAll("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", ""); // label lists
        Set<String> names = new TreeSet<>();
        Matcher m = IDENTIFIER.matcher(bare);
        while (m.find()) {
            String rest = bare.substring(m.end()).stripLeading();
            boolean function = rest.startsWith("(");
            boolean number = m.start() > 0 && Character.isDigit(bare.charAt(m.start() - 1));
            if (!function && !number && !PROMQL_WORDS.contains(m.group())) {
                names.add(m.group());
            }
        }
        return names;
    }

    @Test
    void readingAnExpressionFindsItsMetricsAndNothingElse() {
        assertThat(metrics("histogram_quantile(0.95, sum by (le, effect) (rate(imageflow_step_effect_seconds_bucket"
                        + "{namespace=~\"$namespace\"}[5m])))"))
                .containsExactly("imageflow_step_effect_seconds_bucket");
        assertThat(metrics("sum by (service) (label_replace(kube_pod_status_phase{phase=\"Pending\"}, \"service\","
                        + " \"$1\", \"pod\", \"(.+)-[0-9]+-deployment-.+\")) / 1e6 + count(kube_node_info)"))
                .containsExactly("kube_node_info", "kube_pod_status_phase");
    }

    @Test
    void everyPanelAsksForMetricsThatSomethingExports() throws Exception {
        Uploads.Answer answer = gateway.upload(TestImages.jpeg(TestImages.photo(200, 150)), "bw,blur,thumbnail");
        assertThat(answer.status()).isEqualTo(200);
        Set<String> exported = new HashSet<>();
        for (String function : List.of("gateway", "bw", "blur", "thumbnail")) {
            exported.addAll(scrapedNames(function));
        }
        assertThat(exported).contains("imageflow_jobs_total", "imageflow_step_effect_seconds_bucket");

        Set<String> usedFromCluster = new TreeSet<>();
        List<String> missing = new ArrayList<>();
        int targets = 0;
        for (JsonNode panel : dashboard().path("panels")) {
            for (JsonNode target : panel.path("targets")) {
                targets++;
                Set<String> names = metrics(target.path("expr").asText());
                assertThat(names).as(panel.path("title").asText()).isNotEmpty();
                for (String name : names) {
                    if (CLUSTER_METRICS.containsKey(name)) {
                        usedFromCluster.add(name);
                    } else if (!exported.contains(name)) {
                        missing.add(panel.path("title").asText() + ": " + name);
                    }
                }
            }
        }
        assertThat(targets).isGreaterThan(10);
        assertThat(missing).as("metrics no function exports").isEmpty();
        assertThat(usedFromCluster).as("cluster metrics listed here and used").isEqualTo(CLUSTER_METRICS.keySet());
    }

    /** Issue 15: pods per service over time, beside jobs and step latency. */
    @Test
    void podsPerServiceSitBesideJobsAndStepLatencyAndNoPanelsOverlap() throws Exception {
        JsonNode jobs = panel("Jobs per second");
        JsonNode steps = panel("Step time p95 by effect (decode + effect + encode)");
        JsonNode pods = panel("Pods per service: running, and wanted by Knative's autoscaler");
        assertThat(List.of(steps, pods))
                .allSatisfy(p -> assertThat(p.path("gridPos").path("y"))
                        .isEqualTo(jobs.path("gridPos").path("y")));
        assertThat(pods.path("targets").toString()).contains("sum by (service_name)");

        Set<Integer> ids = new HashSet<>();
        Set<String> cells = new HashSet<>();
        for (JsonNode panel : dashboard().path("panels")) {
            assertThat(ids.add(panel.path("id").asInt()))
                    .as("id of " + panel.path("title"))
                    .isTrue();
            JsonNode at = panel.path("gridPos");
            assertThat(at.path("x").asInt() + at.path("w").asInt()).isLessThanOrEqualTo(24);
            for (int x = at.path("x").asInt();
                    x < at.path("x").asInt() + at.path("w").asInt();
                    x++) {
                for (int y = at.path("y").asInt();
                        y < at.path("y").asInt() + at.path("h").asInt();
                        y++) {
                    assertThat(cells.add(x + "," + y))
                            .as("%s overlaps another panel", panel.path("title"))
                            .isTrue();
                }
            }
        }
    }

    private static JsonNode panel(String title) throws Exception {
        for (JsonNode panel : dashboard().path("panels")) {
            if (panel.path("title").asText().equals(title)) {
                return panel;
            }
        }
        throw new AssertionError("no panel " + title);
    }

    private static Set<String> scrapedNames(String function) {
        int port = ((WebServerApplicationContext) stack.function(function))
                .getWebServer()
                .getPort();
        String text = new Uploads(URI.create("http://127.0.0.1:" + port))
                .get("/actuator/prometheus")
                .text();
        Set<String> names = new HashSet<>();
        Matcher line = Pattern.compile("(?m)^([a-zA-Z_:][a-zA-Z0-9_:]*)[{ ]").matcher(text);
        while (line.find()) {
            names.add(line.group(1));
        }
        return names;
    }
}
