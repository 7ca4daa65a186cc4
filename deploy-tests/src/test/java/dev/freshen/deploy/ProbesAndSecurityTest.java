package dev.freshen.deploy;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Probes and ports match what each service serves (quarkus-smallrye-health's /q/health/started, live, ready on
 * quarkus.http.port, and quarkus-micrometer-registry-prometheus's /q/metrics), every container has resource requests
 * and limits, and every container runs as non-root without privileges, except the Docker engine sidecar, which is
 * privileged but rootless (README.md, "Docker engine"), and the init container of the binfmt-qemu addon, which registers
 * QEMU with the node's kernel as root and then exits (README.md, "Multi-platform images").
 */
class ProbesAndSecurityTest {

    private static final Map<String, String> PROBES = Map.of(
            "startupProbe", "/q/health/started", "livenessProbe", "/q/health/live", "readinessProbe", "/q/health/ready");

    @TestFactory
    Stream<DynamicTest> probesAndPortsMatchTheService() {
        return Kustomize.overlays().stream().flatMap(dir -> ServiceSpec.ALL.stream().map(spec ->
                DynamicTest.dynamicTest(RenderTest.name(dir) + " " + spec.name(), () -> {
                    Manifests manifests = Kustomize.render(dir);
                    PodEnv pod = new PodEnv(manifests, manifests.deployment(spec.deployment()), spec.name());
                    List<String> errors = new ArrayList<>();
                    int port = Integer.parseInt(pod.environment.getOrDefault("QUARKUS_HTTP_PORT",
                            String.valueOf(spec.httpPort())));
                    ContainerPort http = PodEnv.nonNull(pod.container.getPorts()).stream()
                            .filter(p -> "http".equals(p.getName())).findFirst().orElse(null);
                    if (http == null || http.getContainerPort() != port) {
                        errors.add("container port 'http' must be " + port + " (quarkus.http.port), is "
                                + (http == null ? "missing" : http.getContainerPort()));
                    }
                    PROBES.forEach((kind, path) -> errors.addAll(probe(kind, probeOf(pod.container, kind), path, port)));
                    String pom = RepoFiles.pom(spec.name());
                    for (String extension : List.of("quarkus-smallrye-health", "quarkus-micrometer-registry-prometheus")) {
                        if (!pom.contains("<artifactId>" + extension + "</artifactId>")) {
                            errors.add("the " + spec.name() + " does not have " + extension + ": nothing serves the probes/metrics");
                        }
                    }
                    assertTrue(errors.isEmpty(), manifests + " " + spec.deployment() + ":\n  " + String.join("\n  ", errors));
                })));
    }

    @TestFactory
    Stream<DynamicTest> everyContainerIsBoundedAndUnprivileged() {
        return Kustomize.overlays().stream().map(dir -> DynamicTest.dynamicTest(RenderTest.name(dir), () -> {
            Manifests manifests = Kustomize.render(dir);
            List<String> errors = new ArrayList<>();
            for (Deployment deployment : manifests.deployments()) {
                String name = deployment.getMetadata().getName();
                PodSpec pod = deployment.getSpec().getTemplate().getSpec();
                if (pod.getSecurityContext() == null || !Boolean.TRUE.equals(pod.getSecurityContext().getRunAsNonRoot())
                        || pod.getSecurityContext().getSeccompProfile() == null) {
                    errors.add(name + ": the pod must set runAsNonRoot: true and a seccompProfile");
                }
                if (!Boolean.FALSE.equals(pod.getEnableServiceLinks())) {
                    errors.add(name + ": enableServiceLinks must be false (service links add FRESHEN_*_PORT variables)");
                }
                if (!Boolean.FALSE.equals(pod.getAutomountServiceAccountToken())) {
                    errors.add(name + ": automountServiceAccountToken must be false (no service calls the Kubernetes API)");
                }
                List<Container> containers = new ArrayList<>(pod.getContainers());
                containers.addAll(PodEnv.nonNull(pod.getInitContainers()));
                for (Container c : containers) {
                    errors.addAll(resources(name + "/" + c.getName(), c));
                    errors.addAll(security(name, c, pod));
                }
            }
            assertTrue(errors.isEmpty(), manifests + ":\n  " + String.join("\n  ", errors));
        }));
    }

    /** DaemonSet/container of the only containers that may run privileged as root: each one an init container. */
    private static final Set<String> PRIVILEGED_AS_ROOT = Set.of("freshen-binfmt-qemu/register");

    @TestFactory
    Stream<DynamicTest> addonDaemonSetsAreBoundedAndOnlyTheEmulationRegistrationIsPrivileged() {
        List<java.nio.file.Path> withDaemonSets = Kustomize.kustomizations().stream()
                .filter(dir -> !Kustomize.render(dir).ofKind("DaemonSet").isEmpty()).toList();
        assertTrue(withDaemonSets.stream().anyMatch(dir -> dir.endsWith("addons/binfmt-qemu")),
                "addons/binfmt-qemu renders no DaemonSet: " + withDaemonSets);
        return withDaemonSets.stream().map(dir -> DynamicTest.dynamicTest(RenderTest.name(dir), () -> {
            Manifests manifests = Kustomize.render(dir);
            List<String> errors = new ArrayList<>();
            for (DaemonSet daemonSet : manifests.typed("DaemonSet", DaemonSet.class)) {
                String name = daemonSet.getMetadata().getName();
                PodSpec pod = daemonSet.getSpec().getTemplate().getSpec();
                if (pod.getSecurityContext() == null || pod.getSecurityContext().getSeccompProfile() == null) {
                    errors.add(name + ": the pod must set a seccompProfile");
                }
                if (!Boolean.FALSE.equals(pod.getEnableServiceLinks()) || !Boolean.FALSE.equals(pod.getAutomountServiceAccountToken())) {
                    errors.add(name + ": enableServiceLinks and automountServiceAccountToken must be false");
                }
                for (Container c : PodEnv.nonNull(pod.getInitContainers())) {
                    errors.addAll(resources(name + "/" + c.getName(), c));
                    boolean allowed = PRIVILEGED_AS_ROOT.contains(name + "/" + c.getName()) && c.getRestartPolicy() == null;
                    if (!allowed) {
                        errors.addAll(security(name, c, pod));
                    } else if (c.getSecurityContext() == null || !Boolean.TRUE.equals(c.getSecurityContext().getPrivileged())) {
                        errors.add(name + "/" + c.getName() + ": allowed to be privileged, but is not: remove it from the allow-list");
                    }
                }
                for (Container c : pod.getContainers()) {
                    errors.addAll(resources(name + "/" + c.getName(), c));
                    errors.addAll(security(name, c, pod));
                    if (c.getSecurityContext() != null && !Boolean.TRUE.equals(c.getSecurityContext().getReadOnlyRootFilesystem())) {
                        errors.add(name + "/" + c.getName() + ": readOnlyRootFilesystem must be true");
                    }
                }
            }
            assertTrue(errors.isEmpty(), manifests + ":\n  " + String.join("\n  ", errors));
        }));
    }

    private static List<String> probe(String kind, Probe probe, String path, int port) {
        if (probe == null || probe.getHttpGet() == null) {
            return List.of(kind + " must be an httpGet of " + path);
        }
        var get = probe.getHttpGet();
        boolean portOk = "http".equals(get.getPort().getStrVal()) || Integer.valueOf(port).equals(get.getPort().getIntVal());
        if (!path.equals(get.getPath()) || !portOk) {
            return List.of(kind + " must get " + path + " on port http/" + port + ", gets " + get.getPath() + " on "
                    + get.getPort().getValue());
        }
        return List.of();
    }

    private static Probe probeOf(Container c, String kind) {
        return switch (kind) {
            case "startupProbe" -> c.getStartupProbe();
            case "livenessProbe" -> c.getLivenessProbe();
            default -> c.getReadinessProbe();
        };
    }

    private static List<String> resources(String id, Container c) {
        List<String> errors = new ArrayList<>();
        var r = c.getResources();
        for (String resource : List.of("cpu", "memory")) {
            Map<String, Quantity> requests = r == null ? null : r.getRequests();
            Map<String, Quantity> limits = r == null ? null : r.getLimits();
            if (requests == null || !requests.containsKey(resource) || limits == null || !limits.containsKey(resource)) {
                errors.add(id + ": needs a " + resource + " request and limit");
            } else if (Quantity.getAmountInBytes(requests.get(resource)).compareTo(
                    Quantity.getAmountInBytes(limits.get(resource))) > 0) {
                errors.add(id + ": " + resource + " request above its limit");
            }
        }
        return errors;
    }

    /** Non-root and unprivileged, except a rootless Docker engine sidecar (privileged, never as root). */
    private static List<String> security(String deployment, Container c, PodSpec pod) {
        String id = deployment + "/" + c.getName();
        SecurityContext s = c.getSecurityContext();
        if (s == null) {
            return List.of(id + ": no securityContext");
        }
        Long user = s.getRunAsUser() != null ? s.getRunAsUser() : pod.getSecurityContext().getRunAsUser();
        if (Boolean.FALSE.equals(s.getRunAsNonRoot()) || (user != null && user == 0)) {
            return List.of(id + ": runs as root");
        }
        boolean engine = c.getName().equals("docker") && "Always".equals(c.getRestartPolicy());
        if (Boolean.TRUE.equals(s.getPrivileged())) {
            return engine && user != null ? List.of()
                    : List.of(id + ": privileged (only the rootless Docker engine sidecar may be, with a non-root runAsUser)");
        }
        List<String> errors = new ArrayList<>();
        if (!Boolean.FALSE.equals(s.getAllowPrivilegeEscalation())) {
            errors.add(id + ": allowPrivilegeEscalation must be false");
        }
        if (s.getCapabilities() == null || !PodEnv.nonNull(s.getCapabilities().getDrop()).contains("ALL")) {
            errors.add(id + ": must drop ALL capabilities");
        }
        boolean freshen = ServiceSpec.ALL.stream().anyMatch(spec -> spec.deployment().equals(deployment));
        if (freshen && !Boolean.TRUE.equals(s.getReadOnlyRootFilesystem())) {
            errors.add(id + ": readOnlyRootFilesystem must be true (the services write only to /tmp)");
        }
        return errors;
    }
}
