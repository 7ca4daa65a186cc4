package dev.freshen.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * In each overlay, every name one object gives another resolves: ServiceAccounts, ConfigMaps and Secrets (and their
 * keys) of every container and volume, Service selectors and target ports, PodDisruptionBudget selectors,
 * autoscaler targets (one autoscaler per Deployment, and no `replicas` for it to fight), the ServiceMonitor's
 * Services, ports and path.
 */
class ReferencesTest {

    @TestFactory
    Stream<DynamicTest> everyReferenceResolves() {
        return Kustomize.overlays().stream().map(dir -> DynamicTest.dynamicTest(RenderTest.name(dir), () -> {
            Manifests manifests = Kustomize.render(dir);
            List<String> errors = new ArrayList<>();
            List<Deployment> deployments = manifests.deployments();
            for (Deployment d : deployments) {
                errors.addAll(podReferences(manifests, d));
            }
            for (Service service : manifests.typed("Service", Service.class)) {
                errors.addAll(serviceReferences(service, deployments));
            }
            for (PodDisruptionBudget pdb : manifests.typed("PodDisruptionBudget", PodDisruptionBudget.class)) {
                if (matching(pdb.getSpec().getSelector(), deployments).size() != 1) {
                    errors.add("PodDisruptionBudget " + pdb.getMetadata().getName() + " must select one Deployment's pods");
                }
            }
            errors.addAll(autoscalers(manifests, deployments));
            errors.addAll(serviceMonitors(manifests));
            assertTrue(errors.isEmpty(), manifests + ":\n  " + String.join("\n  ", errors));
        }));
    }

    private static List<String> podReferences(Manifests manifests, Deployment d) {
        List<String> errors = new ArrayList<>();
        String name = d.getMetadata().getName();
        PodSpec pod = d.getSpec().getTemplate().getSpec();
        if (pod.getServiceAccountName() != null && manifests.find("ServiceAccount", pod.getServiceAccountName()).isEmpty()) {
            errors.add(name + ": ServiceAccount " + pod.getServiceAccountName() + " does not exist");
        }
        for (Container c : pod.getContainers()) {
            new PodEnv(manifests, d, c.getName()).problems.forEach(p -> errors.add(name + "/" + c.getName() + ": " + p));
        }
        for (Volume v : PodEnv.nonNull(pod.getVolumes())) {
            if (v.getConfigMap() != null) {
                var map = manifests.configMap(v.getConfigMap().getName());
                if (map.isEmpty() && !Boolean.TRUE.equals(v.getConfigMap().getOptional())) {
                    errors.add(name + ": volume " + v.getName() + " names ConfigMap " + v.getConfigMap().getName()
                            + ", which does not exist");
                }
                map.ifPresent(m -> PodEnv.nonNull(v.getConfigMap().getItems()).stream()
                        .filter(i -> !m.containsKey(i.getKey()))
                        .forEach(i -> errors.add(name + ": volume " + v.getName() + " wants missing key " + i.getKey())));
            }
            if (v.getSecret() != null && manifests.secretKeys(v.getSecret().getSecretName()).isEmpty()
                    && !Boolean.TRUE.equals(v.getSecret().getOptional())) {
                errors.add(name + ": volume " + v.getName() + " names Secret " + v.getSecret().getSecretName()
                        + ", which does not exist");
            }
        }
        List<String> mounted = new ArrayList<>();
        Stream.concat(pod.getContainers().stream(), PodEnv.nonNull(pod.getInitContainers()).stream())
                .forEach(c -> PodEnv.nonNull(c.getVolumeMounts()).forEach(m -> mounted.add(m.getName())));
        PodEnv.nonNull(pod.getVolumes()).stream().filter(v -> !mounted.contains(v.getName()))
                .forEach(v -> errors.add(name + ": volume " + v.getName() + " is mounted nowhere"));
        return errors;
    }

    private static List<String> serviceReferences(Service service, List<Deployment> deployments) {
        String name = service.getMetadata().getName();
        List<Deployment> targets = deployments.stream()
                .filter(d -> labelsMatch(service.getSpec().getSelector(), d.getSpec().getTemplate().getMetadata().getLabels()))
                .toList();
        if (targets.size() != 1) {
            return List.of("Service " + name + " selects " + targets.size() + " Deployments' pods, not one");
        }
        List<String> errors = new ArrayList<>();
        for (ServicePort port : service.getSpec().getPorts()) {
            boolean found = targets.get(0).getSpec().getTemplate().getSpec().getContainers().stream()
                    .flatMap(c -> PodEnv.nonNull(c.getPorts()).stream())
                    .anyMatch(p -> Objects.equals(p.getName(), port.getTargetPort().getStrVal())
                            || Objects.equals(p.getContainerPort(), port.getTargetPort().getIntVal()));
            if (!found) {
                errors.add("Service " + name + " port " + port.getName() + " targets " + port.getTargetPort().getValue()
                        + ", which no container of " + targets.get(0).getMetadata().getName() + " has");
            }
        }
        return errors;
    }

    private static List<String> autoscalers(Manifests manifests, List<Deployment> deployments) {
        Map<String, List<String>> byTarget = new TreeMap<>();
        for (HorizontalPodAutoscaler hpa : manifests.typed("HorizontalPodAutoscaler", HorizontalPodAutoscaler.class)) {
            byTarget.computeIfAbsent(hpa.getSpec().getScaleTargetRef().getName(), k -> new ArrayList<>())
                    .add("HorizontalPodAutoscaler " + hpa.getMetadata().getName());
        }
        for (JsonNode scaled : manifests.ofKind("ScaledObject")) {
            byTarget.computeIfAbsent(scaled.path("spec").path("scaleTargetRef").path("name").asText(), k -> new ArrayList<>())
                    .add("ScaledObject " + scaled.path("metadata").path("name").asText());
        }
        List<String> errors = new ArrayList<>();
        byTarget.forEach((target, scalers) -> {
            Deployment d = deployments.stream().filter(x -> x.getMetadata().getName().equals(target)).findFirst().orElse(null);
            if (d == null) {
                errors.add(scalers + " scale Deployment " + target + ", which does not exist");
            } else if (scalers.size() > 1) {
                errors.add(target + " has more than one autoscaler: " + scalers);
            } else if (d.getSpec().getReplicas() != null) {
                errors.add(target + " is autoscaled by " + scalers + " but sets replicas: every apply would reset it");
            }
        });
        return errors;
    }

    private static List<String> serviceMonitors(Manifests manifests) {
        List<String> errors = new ArrayList<>();
        for (JsonNode monitor : manifests.ofKind("ServiceMonitor")) {
            LabelSelector selector = Strict.read(monitor.path("spec").path("selector"), LabelSelector.class, "selector");
            List<String> selected = new ArrayList<>();
            for (Service service : manifests.typed("Service", Service.class)) {
                if (labelsMatch(selector.getMatchLabels(), service.getMetadata().getLabels())) {
                    selected.add(service.getMetadata().getName());
                    for (JsonNode endpoint : monitor.path("spec").path("endpoints")) {
                        boolean hasPort = service.getSpec().getPorts().stream()
                                .anyMatch(p -> endpoint.path("port").asText().equals(p.getName()));
                        if (!hasPort) {
                            errors.add("ServiceMonitor endpoint port " + endpoint.path("port") + " is not a port of "
                                    + service.getMetadata().getName());
                        }
                        if (!endpoint.path("path").asText().equals("/q/metrics")) {
                            errors.add("ServiceMonitor endpoint path must be /q/metrics (Quarkus' Prometheus endpoint)");
                        }
                    }
                }
            }
            for (ServiceSpec spec : ServiceSpec.ALL) {
                if (!selected.contains(spec.deployment())) {
                    errors.add("ServiceMonitor " + Strict.describe(monitor) + " does not select Service " + spec.deployment());
                }
            }
        }
        return errors;
    }

    private static List<Deployment> matching(LabelSelector selector, List<Deployment> deployments) {
        return deployments.stream().filter(d -> labelsMatch(selector.getMatchLabels(),
                d.getSpec().getTemplate().getMetadata().getLabels())).toList();
    }

    private static boolean labelsMatch(Map<String, String> selector, Map<String, String> labels) {
        return selector != null && !selector.isEmpty() && labels != null
                && selector.entrySet().stream().allMatch(e -> e.getValue().equals(labels.get(e.getKey())));
    }
}
