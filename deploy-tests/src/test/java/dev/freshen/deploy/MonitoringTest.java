package dev.freshen.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * deploy/monitoring: the alert rules pass {@code promtool check rules} and their unit tests
 * ({@code promtool test rules}, Debian's {@code prometheus} package, installed by {@code deploy/local/stack.sh up}),
 * the k8s monitoring add-on ships the same rules, and the dashboard is a Grafana dashboard. That every metric the rules
 * and the dashboard name is served by the services is checked after a real run in e2e-tests ({@code PipelineIT}).
 */
class MonitoringTest {

    private static final Path MONITORING = RepoFiles.root().resolve("deploy/monitoring");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void theRulesPassPromtoolCheck() {
        String out = promtool("check", "rules", "freshen-rules.yml");
        assertTrue(out.contains("SUCCESS: 4 rules found"), out);
    }

    @Test
    void theRulesPassTheirPromtoolUnitTests() {
        String out = promtool("test", "rules", "freshen-rules.test.yml");
        assertTrue(out.contains("SUCCESS"), out);
    }

    @Test
    void theRulesAreTheFourTheDocsName() throws IOException {
        JsonNode rules = YAML.readTree(MONITORING.resolve("freshen-rules.yml").toFile()).path("groups").get(0).path("rules");
        List<String> alerts = rules.findValuesAsText("alert");
        assertEquals(List.of("FreshenImageStale", "FreshenRunFailed", "FreshenChecksFailing", "FreshenDeadLetters"), alerts);
        String docs = RepoFiles.read(RepoFiles.root().resolve("docs/observability.md"));
        alerts.forEach(alert -> assertTrue(docs.contains("`" + alert + "`"), alert + " is not in docs/observability.md"));
    }

    @Test
    void theKubernetesAddOnShipsTheSameRules() throws IOException {
        JsonNode rules = YAML.readTree(MONITORING.resolve("freshen-rules.yml").toFile());
        JsonNode shipped = YAML.readTree(RepoFiles.k8s().resolve("addons/monitoring/prometheusrule.yaml").toFile());
        assertEquals("PrometheusRule", shipped.path("kind").asText());
        assertEquals(rules.path("groups"), shipped.path("spec").path("groups"),
                "addons/monitoring/prometheusrule.yaml differs from deploy/monitoring/freshen-rules.yml: run "
                        + "deploy/monitoring/prometheusrule.sh");
    }

    @Test
    void theDashboardIsAGrafanaDashboardWithAQueryInEveryPanel() throws IOException {
        JsonNode dashboard = JSON.readTree(MONITORING.resolve("freshen-dashboard.json").toFile());
        assertEquals("freshen", dashboard.path("uid").asText());
        JsonNode panels = dashboard.path("panels");
        assertTrue(panels.size() >= 6, "freshness, runs, durations, retries, dead letters, check health");
        for (JsonNode panel : panels) {
            JsonNode targets = panel.path("targets");
            assertTrue(targets.size() > 0 && targets.findValuesAsText("expr").stream().allMatch(e -> e.contains("freshen_")),
                    "panel " + panel.path("title") + " queries Freshen's metrics");
            assertEquals("${datasource}", panel.path("datasource").path("uid").asText(), panel.path("title").asText());
        }
    }

    /** Runs promtool in deploy/monitoring; its output, or a failure naming what went wrong. */
    private static String promtool(String... args) {
        String promtool = onPath("promtool");
        try {
            Path log = Files.createTempFile("promtool-", ".log");
            try {
                Process process = new ProcessBuilder(concat(promtool, args)).directory(MONITORING.toFile())
                        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
                assertTrue(process.waitFor(60, TimeUnit.SECONDS), "promtool " + String.join(" ", args) + " took over 60 s");
                String out = Files.readString(log, StandardCharsets.UTF_8);
                assertEquals(0, process.exitValue(), "promtool " + String.join(" ", args) + " failed:\n" + out);
                return out;
            } finally {
                Files.deleteIfExists(log);
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, tool))) {
                return Path.of(dir, tool).toString();
            }
        }
        throw new IllegalStateException(tool + " is not installed: the deployment tests validate deploy/monitoring with "
                + "it. `deploy/local/stack.sh up` installs it (Debian: `apt-get install prometheus`).");
    }

    private static List<String> concat(String first, String... rest) {
        var all = new java.util.ArrayList<String>();
        all.add(first);
        all.addAll(List.of(rest));
        return all;
    }
}
