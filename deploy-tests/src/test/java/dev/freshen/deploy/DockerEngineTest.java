package dev.freshen.deploy;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.VolumeMount;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Builder and tester reach a Docker engine in their own pod: DOCKER_HOST names the socket a sidecar's dockerd
 * listens on, through a volume both mount (or a TCP port on the pod's loopback); the sidecar is a native sidecar
 * that answers before the service starts; the service may open the rootless daemon's socket; and every registry the
 * service speaks plain HTTP to, the daemon does too.
 */
class DockerEngineTest {

    @TestFactory
    Stream<DynamicTest> builderAndTesterReachTheirEngine() {
        return Kustomize.overlays().stream().flatMap(dir -> Stream.of("builder", "tester").map(service ->
                DynamicTest.dynamicTest(RenderTest.name(dir) + " " + service, () -> {
                    Manifests manifests = Kustomize.render(dir);
                    PodEnv pod = new PodEnv(manifests, manifests.deployment("freshen-" + service), service);
                    List<String> errors = check(pod);
                    assertTrue(errors.isEmpty(), manifests + " freshen-" + service + ":\n  " + String.join("\n  ", errors));
                })));
    }

    private static List<String> check(PodEnv pod) {
        List<String> errors = new ArrayList<>();
        PodSpec spec = pod.deployment.getSpec().getTemplate().getSpec();
        String host = pod.environment.get("DOCKER_HOST");
        if (host == null) {
            return List.of("DOCKER_HOST is not set");
        }
        Optional<Container> engine = sidecars(spec).stream().filter(c -> listensOn(c, pod.container, spec, host)).findFirst();
        if (engine.isEmpty()) {
            return List.of("no sidecar's dockerd listens on DOCKER_HOST=" + host + " (through a volume both mount, or "
                    + "tcp://127.0.0.1): sidecars " + sidecars(spec).stream().map(Container::getName).toList());
        }
        Container docker = engine.get();
        if (docker.getStartupProbe() == null) {
            errors.add("sidecar " + docker.getName() + " has no startupProbe: the service would start before the engine answers");
        }
        if (host.startsWith("unix://")) {
            Long group = docker.getSecurityContext() == null ? null : docker.getSecurityContext().getRunAsGroup();
            List<Long> groups = spec.getSecurityContext() == null ? List.of()
                    : PodEnv.nonNull(spec.getSecurityContext().getSupplementalGroups());
            if (group != null && group != 0 && !groups.contains(group)) {
                errors.add("the socket belongs to group " + group + " (mode 0660), which the pod's supplementalGroups "
                        + groups + " lack");
            }
        }
        String insecure = pod.environment.getOrDefault("FRESHEN_REGISTRIES_INSECURE", "");
        for (String registry : insecure.split(",")) {
            String h = registry.strip();
            if (!h.isEmpty() && !h.matches("(127\\.0\\.0\\.1|localhost)(:\\d+)?")
                    && PodEnv.nonNull(docker.getArgs()).stream().noneMatch(a -> a.startsWith("--insecure-registry=" + h))) {
                errors.add("the service speaks plain HTTP to " + h + ", the engine does not (--insecure-registry=" + h
                        + "[:port] missing in " + docker.getName() + "'s args)");
            }
        }
        return errors;
    }

    /** Init containers that keep running (restartPolicy Always) and the pod's other containers. */
    private static List<Container> sidecars(PodSpec spec) {
        List<Container> sidecars = new ArrayList<>();
        PodEnv.nonNull(spec.getInitContainers()).stream().filter(c -> "Always".equals(c.getRestartPolicy()))
                .forEach(sidecars::add);
        return sidecars;
    }

    private static boolean listensOn(Container docker, Container service, PodSpec spec, String host) {
        List<String> args = PodEnv.nonNull(docker.getArgs());
        if (host.startsWith("tcp://127.0.0.1:")) {
            return args.contains("--host=" + host);
        }
        if (!host.startsWith("unix://")) {
            return false;
        }
        String socket = host.substring("unix://".length());
        String dir = socket.substring(0, socket.lastIndexOf('/'));
        String file = socket.substring(socket.lastIndexOf('/') + 1);
        Optional<VolumeMount> shared = service.getVolumeMounts().stream().filter(m -> m.getMountPath().equals(dir)).findFirst();
        if (shared.isEmpty()) {
            return false;
        }
        return PodEnv.nonNull(docker.getVolumeMounts()).stream()
                .filter(m -> m.getName().equals(shared.get().getName()))
                .anyMatch(m -> args.contains("--host=unix://" + m.getMountPath() + "/" + file));
    }
}
