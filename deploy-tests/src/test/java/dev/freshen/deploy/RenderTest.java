package dev.freshen.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every kustomization under deploy/k8s renders with `kubectl kustomize`, and every object it renders is a kind this
 * project knows, with only known fields, and with the fields Kubernetes requires.
 */
class RenderTest {

    /** Built-in API versions Kubernetes 1.25+ serves (the model also knows removed ones such as policy/v1beta1). */
    private static final Set<String> SERVED = Set.of("v1", "apps/v1", "policy/v1", "autoscaling/v2", "batch/v1",
            "networking.k8s.io/v1", "rbac.authorization.k8s.io/v1");

    @Test
    void bothOverlaysExist() {
        assertEquals(List.of("local", "production"),
                Kustomize.overlays().stream().map(p -> p.getFileName().toString()).toList());
    }

    @TestFactory
    Stream<DynamicTest> everyObjectIsKnownComplete() {
        return Kustomize.kustomizations().stream().map(dir -> DynamicTest.dynamicTest(name(dir), () -> {
            Manifests manifests = Kustomize.render(dir);
            assertFalse(manifests.documents.isEmpty(), dir + " renders nothing");
            List<String> errors = new ArrayList<>();
            Set<String> seen = new HashSet<>();
            for (JsonNode document : manifests.documents) {
                String id = document.path("apiVersion").asText() + " " + Strict.describe(document);
                if (!seen.add(id)) {
                    errors.add("twice: " + id);
                }
                HasMetadata object = Strict.read(document);
                if (object instanceof GenericKubernetesResource) {
                    errors.addAll(CrdShapes.check(document));
                } else if (!SERVED.contains(object.getApiVersion())) {
                    errors.add(id + ": " + object.getApiVersion() + " is removed or deprecated; use one of " + SERVED);
                } else {
                    errors.addAll(Strict.unknownFields(object, Strict.describe(document)));
                    errors.addAll(requiredFields(object));
                }
            }
            assertTrue(errors.isEmpty(), manifests + ":\n  " + String.join("\n  ", errors));
        }));
    }

    @TestFactory
    Stream<DynamicTest> overlaysPutEverythingInTheirNamespace() {
        return Kustomize.overlays().stream().map(dir -> DynamicTest.dynamicTest(name(dir), () -> {
            Manifests manifests = Kustomize.render(dir);
            List<JsonNode> namespaces = manifests.ofKind("Namespace");
            assertEquals(1, namespaces.size(), manifests + " should create its namespace");
            String namespace = namespaces.get(0).path("metadata").path("name").asText();
            for (JsonNode document : manifests.documents) {
                if (!document.path("kind").asText().equals("Namespace")) {
                    assertEquals(namespace, document.path("metadata").path("namespace").asText(),
                            manifests + ": namespace of " + Strict.describe(document));
                }
            }
        }));
    }

    private static List<String> requiredFields(HasMetadata object) {
        List<String> errors = new ArrayList<>();
        String id = object.getKind() + "/" + object.getMetadata().getName();
        if (object.getMetadata().getName() == null || object.getMetadata().getName().isBlank()) {
            errors.add(object.getKind() + " without metadata.name");
        }
        if (object instanceof Deployment deployment) {
            var spec = deployment.getSpec();
            if (spec == null || spec.getSelector() == null || spec.getSelector().getMatchLabels() == null) {
                errors.add(id + ": spec.selector.matchLabels is required");
                return errors;
            }
            Map<String, String> labels = spec.getTemplate().getMetadata().getLabels();
            spec.getSelector().getMatchLabels().forEach((k, v) -> {
                if (labels == null || !v.equals(labels.get(k))) {
                    errors.add(id + ": the pod template lacks selector label " + k + "=" + v);
                }
            });
            var pod = spec.getTemplate().getSpec();
            if (pod.getContainers() == null || pod.getContainers().isEmpty()) {
                errors.add(id + ": no containers");
                return errors;
            }
            List<Container> all = new ArrayList<>(pod.getContainers());
            all.addAll(PodEnv.nonNull(pod.getInitContainers()));
            for (Container c : all) {
                if (c.getName() == null || c.getImage() == null || c.getImage().isBlank()) {
                    errors.add(id + ": a container without name or image");
                }
            }
        } else if (object instanceof Service service) {
            if (service.getSpec().getPorts() == null || service.getSpec().getPorts().isEmpty()
                    || service.getSpec().getPorts().stream().anyMatch(p -> p.getPort() == null)) {
                errors.add(id + ": spec.ports[].port is required");
            }
            if (service.getSpec().getSelector() == null || service.getSpec().getSelector().isEmpty()) {
                errors.add(id + ": no selector");
            }
        } else if (object instanceof PodDisruptionBudget pdb) {
            if (pdb.getSpec().getSelector() == null
                    || (pdb.getSpec().getMinAvailable() == null) == (pdb.getSpec().getMaxUnavailable() == null)) {
                errors.add(id + ": needs a selector and exactly one of minAvailable, maxUnavailable");
            }
        } else if (object instanceof HorizontalPodAutoscaler hpa) {
            if (hpa.getSpec().getScaleTargetRef() == null || hpa.getSpec().getMaxReplicas() == null) {
                errors.add(id + ": scaleTargetRef and maxReplicas are required");
            }
        }
        return errors;
    }

    static String name(Path dir) {
        return RepoFiles.k8s().relativize(dir).toString();
    }
}
