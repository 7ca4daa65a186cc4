package dev.freshen.deploy;

import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * deploy/k8s/README.md's settings table cannot drift from the code: every setting of every service's
 * @ConfigMapping is a row naming that service, with the default the code has; every FRESHEN_* row is a setting of
 * the services it names; and the ConfigMap (or Deployment env) it says the setting goes into is what the base gives
 * those services.
 */
class SettingsTableTest {

    private static final Pattern CODE = Pattern.compile("`([^`]+)`");
    private static final Pattern HASH = Pattern.compile("-[a-z0-9]{10}$");

    record Row(String variable, List<String> services, String where, String defaultValue) {
    }

    @Test
    void tableListsEverySettingWithItsDefault() {
        Map<String, Row> rows = rows();
        List<String> errors = new ArrayList<>();
        for (ServiceSpec spec : ServiceSpec.ALL) {
            spec.properties().forEach((property, description) -> {
                String variable = ServiceSpec.environmentName(property);
                Row row = rows.get(variable);
                if (row == null || !row.services().contains(spec.name())) {
                    errors.add(variable + " (" + property + ", " + spec.name() + ") is missing from the table"
                            + (row == null ? "" : " for the " + spec.name()));
                    return;
                }
                ServiceSpec.defaultOf(description).ifPresent(d -> {
                    if (!firstCode(row.defaultValue()).equals(Optional.of(d))) {
                        errors.add(variable + ": the code's default is `" + d + "`, the table says " + row.defaultValue());
                    }
                });
            });
        }
        assertTrue(errors.isEmpty(), "deploy/k8s/README.md settings table:\n  " + String.join("\n  ", errors));
    }

    @Test
    void everyRowIsASettingWhereTheTableSays() {
        Manifests base = Kustomize.render(RepoFiles.k8s().resolve("base"));
        Set<String> configMaps = base.ofKind("ConfigMap").stream()
                .map(c -> HASH.matcher(c.path("metadata").path("name").asText()).replaceAll("")).collect(Collectors.toSet());
        List<String> errors = new ArrayList<>();
        for (Row row : rows().values()) {
            for (String service : row.services()) {
                ServiceSpec spec = ServiceSpec.of(service);
                String variable = row.variable();
                if (variable.startsWith("FRESHEN_") && !spec.environmentReferences().contains(variable)
                        && spec.properties().keySet().stream().map(ServiceSpec::environmentName).noneMatch(variable::equals)) {
                    errors.add(variable + " is not a setting of the " + service);
                }
                Deployment deployment = base.deployment(spec.deployment());
                var container = deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
                // a row of several services may name one ConfigMap per service: one of them must be given to it
                List<String> listed = codes(row.where()).stream().filter(configMaps::contains).toList();
                if (!listed.isEmpty()) {
                    boolean given = PodEnv.nonNull(container.getEnvFrom()).stream().map(EnvFromSource::getConfigMapRef)
                            .anyMatch(ref -> ref != null && listed.contains(HASH.matcher(ref.getName()).replaceAll("")));
                    if (!given) {
                        errors.add(variable + ": the table says ConfigMap " + String.join(" or ", listed) + ", none of "
                                + "which the " + service + " is given");
                    }
                } else if (row.where().startsWith("Deployment env")
                        && PodEnv.nonNull(container.getEnv()).stream().noneMatch(e -> e.getName().equals(variable))) {
                    errors.add(variable + ": the table says Deployment env, the " + service + "'s has no such variable");
                }
            }
        }
        assertTrue(errors.isEmpty(), "deploy/k8s/README.md settings table:\n  " + String.join("\n  ", errors));
    }

    /** variable -> row, for the rows of the table under "## Settings" whose first cell is a `VARIABLE`. */
    static Map<String, Row> rows() {
        String readme = RepoFiles.read(RepoFiles.k8s().resolve("README.md"));
        int start = readme.indexOf("\n## Settings");
        int end = readme.indexOf("\n## ", start + 1);
        Map<String, Row> rows = new LinkedHashMap<>();
        for (String line : readme.substring(start, end < 0 ? readme.length() : end).split("\n")) {
            if (!line.startsWith("| `")) {
                continue;
            }
            String[] cells = line.substring(1, line.length() - 1).split("\\|");
            String variable = firstCode(cells[0]).orElseThrow();
            if (!variable.matches("[A-Z][A-Z0-9_<>*]*")) {
                continue;
            }
            if (cells.length != 5) {
                throw new AssertionError("a settings row needs 5 cells: " + line);
            }
            String services = cells[1].strip();
            List<String> names = services.equals("all") ? ServiceSpec.ALL.stream().map(ServiceSpec::name).toList()
                    : List.of(services.split(",\\s*"));
            if (rows.put(variable, new Row(variable, names, cells[2].strip(), cells[3].strip())) != null) {
                throw new AssertionError("the settings table lists " + variable + " twice");
            }
        }
        return rows;
    }

    private static Optional<String> firstCode(String cell) {
        Matcher m = CODE.matcher(cell);
        return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }

    private static List<String> codes(String cell) {
        List<String> codes = new ArrayList<>();
        Matcher m = CODE.matcher(cell);
        while (m.find()) {
            codes.add(m.group(1));
        }
        return codes;
    }
}
