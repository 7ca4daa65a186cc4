package dev.freshen.deploy;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A container's environment and files as Kubernetes will give them: env and envFrom resolved against the ConfigMaps
 * and Secrets of the same rendering (Secret values are unknown here: a stand-in is used), and the files its Secret
 * volumes put where.
 */
final class PodEnv {

    /** What a Secret-sourced variable holds in these checks: long enough for any minimum length. */
    static final String SECRET_VALUE = "secret-value-from-a-kubernetes-secret";

    final Deployment deployment;
    final Container container;
    final Map<String, String> environment = new LinkedHashMap<>();
    /** Mounted file path -> "Secret name/key" for every key a Secret volume puts into the container. */
    final Map<String, String> secretFiles = new LinkedHashMap<>();
    final List<String> problems = new ArrayList<>();
    private final Manifests manifests;

    PodEnv(Manifests manifests, Deployment deployment, String containerName) {
        this.manifests = manifests;
        this.deployment = deployment;
        PodSpec pod = deployment.getSpec().getTemplate().getSpec();
        this.container = pod.getContainers().stream().filter(c -> c.getName().equals(containerName)).findFirst()
                .orElseThrow(() -> new AssertionError(manifests + ": Deployment " + name() + " has no container "
                        + containerName));
        resolveEnvFrom();
        resolveEnv();
        resolveSecretFiles(pod);
    }

    String name() {
        return deployment.getMetadata().getName();
    }

    /** The volume mounted at exactly this path in the container, if any. */
    Optional<Volume> volumeAt(String path) {
        PodSpec pod = deployment.getSpec().getTemplate().getSpec();
        return container.getVolumeMounts().stream().filter(m -> m.getMountPath().equals(path)).findFirst()
                .flatMap(m -> pod.getVolumes().stream().filter(v -> v.getName().equals(m.getName())).findFirst());
    }

    private void resolveEnvFrom() {
        Map<String, String> sourceOf = new LinkedHashMap<>();
        for (EnvFromSource from : nonNull(container.getEnvFrom())) {
            String prefix = from.getPrefix() == null ? "" : from.getPrefix();
            Map<String, String> values;
            String source;
            boolean optional;
            if (from.getConfigMapRef() != null) {
                source = "ConfigMap " + from.getConfigMapRef().getName();
                optional = Boolean.TRUE.equals(from.getConfigMapRef().getOptional());
                values = manifests.configMap(from.getConfigMapRef().getName()).orElse(null);
            } else {
                source = "Secret " + from.getSecretRef().getName();
                optional = Boolean.TRUE.equals(from.getSecretRef().getOptional());
                values = manifests.secretKeys(from.getSecretRef().getName())
                        .map(keys -> asSecretValues(keys)).orElse(null);
            }
            if (values == null) {
                if (!optional) {
                    problems.add("envFrom names " + source + ", which is not in " + manifests);
                }
                continue;
            }
            values.forEach((key, value) -> {
                String previous = sourceOf.put(prefix + key, source);
                if (previous != null) {
                    problems.add(prefix + key + " comes from both " + previous + " and " + source);
                }
                environment.put(prefix + key, value);
            });
        }
    }

    private void resolveEnv() {
        for (EnvVar var : nonNull(container.getEnv())) {
            if (var.getValueFrom() == null) {
                environment.put(var.getName(), var.getValue() == null ? "" : var.getValue());
            } else if (var.getValueFrom().getConfigMapKeyRef() != null) {
                var ref = var.getValueFrom().getConfigMapKeyRef();
                String value = manifests.configMap(ref.getName()).map(m -> m.get(ref.getKey())).orElse(null);
                if (value != null) {
                    environment.put(var.getName(), value);
                } else if (!Boolean.TRUE.equals(ref.getOptional())) {
                    problems.add(var.getName() + " reads key " + ref.getKey() + " of ConfigMap " + ref.getName()
                            + ", which " + manifests + " does not have");
                }
            } else if (var.getValueFrom().getSecretKeyRef() != null) {
                var ref = var.getValueFrom().getSecretKeyRef();
                boolean present = manifests.secretKeys(ref.getName()).map(k -> k.contains(ref.getKey())).orElse(false);
                if (present) {
                    environment.put(var.getName(), SECRET_VALUE);
                } else if (!Boolean.TRUE.equals(ref.getOptional())) {
                    problems.add(var.getName() + " reads key " + ref.getKey() + " of Secret " + ref.getName()
                            + ", which " + manifests + " does not have");
                }
            } else {
                environment.put(var.getName(), "from-the-downward-api");
            }
        }
    }

    private void resolveSecretFiles(PodSpec pod) {
        for (VolumeMount mount : nonNull(container.getVolumeMounts())) {
            Volume volume = pod.getVolumes().stream().filter(v -> v.getName().equals(mount.getName())).findFirst()
                    .orElse(null);
            if (volume == null) {
                problems.add("volumeMount " + mount.getName() + " names no volume of the pod");
                continue;
            }
            if (volume.getSecret() == null) {
                continue;
            }
            String secret = volume.getSecret().getSecretName();
            Optional<Set<String>> keys = manifests.secretKeys(secret);
            if (keys.isEmpty()) {
                if (!Boolean.TRUE.equals(volume.getSecret().getOptional())) {
                    problems.add("volume " + volume.getName() + " mounts Secret " + secret + ", which is not in " + manifests);
                }
                continue;
            }
            List<KeyToPath> items = nonNull(volume.getSecret().getItems());
            if (items.isEmpty()) {
                keys.get().forEach(k -> secretFiles.put(mount.getMountPath() + "/" + k, secret + "/" + k));
            }
            for (KeyToPath item : items) {
                if (!keys.get().contains(item.getKey())) {
                    problems.add("volume " + volume.getName() + " wants key " + item.getKey() + " of Secret " + secret
                            + ", which has " + keys.get());
                }
                secretFiles.put(mount.getMountPath() + "/" + item.getPath(), secret + "/" + item.getKey());
            }
        }
    }

    private static Map<String, String> asSecretValues(Set<String> keys) {
        Map<String, String> values = new LinkedHashMap<>();
        keys.forEach(k -> values.put(k, SECRET_VALUE));
        return values;
    }

    static <T> List<T> nonNull(List<T> list) {
        return list == null ? List.of() : list;
    }
}
