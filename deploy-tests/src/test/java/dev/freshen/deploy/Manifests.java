package dev.freshen.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.Deployment;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The objects one kustomization renders: as YAML trees, and the built-in kinds as fabric8 model objects. */
final class Manifests {

    private static final YAMLMapper YAML = new YAMLMapper();

    final String name;
    final List<JsonNode> documents;

    private Manifests(String name, List<JsonNode> documents) {
        this.name = name;
        this.documents = documents;
    }

    static Manifests parse(String name, String yaml) {
        List<JsonNode> documents = new ArrayList<>();
        try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(yaml)) {
            while (it.hasNext()) {
                JsonNode document = it.next();
                if (document != null && !document.isNull() && !document.isEmpty()) {
                    documents.add(document);
                }
            }
        } catch (IOException e) {
            throw new AssertionError(name + ": kubectl kustomize printed YAML that does not parse: " + e.getMessage(), e);
        }
        return new Manifests(name, documents);
    }

    List<JsonNode> ofKind(String kind) {
        return documents.stream().filter(d -> d.path("kind").asText().equals(kind)).toList();
    }

    Optional<JsonNode> find(String kind, String name) {
        return ofKind(kind).stream().filter(d -> d.path("metadata").path("name").asText().equals(name)).findFirst();
    }

    List<Deployment> deployments() {
        return ofKind("Deployment").stream().map(d -> (Deployment) Strict.read(d)).toList();
    }

    Deployment deployment(String name) {
        return find("Deployment", name).map(d -> (Deployment) Strict.read(d))
                .orElseThrow(() -> new AssertionError(this.name + ": no Deployment " + name));
    }

    <T extends HasMetadata> List<T> typed(String kind, Class<T> type) {
        return ofKind(kind).stream().map(d -> type.cast(Strict.read(d))).toList();
    }

    Optional<Map<String, String>> configMap(String name) {
        return find("ConfigMap", name).map(d -> {
            ConfigMap map = (ConfigMap) Strict.read(d);
            return map.getData() == null ? Map.<String, String>of() : map.getData();
        });
    }

    /**
     * The keys of a Secret: one rendered here, or one the External Secrets Operator makes from an ExternalSecret
     * rendered here (its target name, or its own name, and the secretKey of each data entry).
     */
    Optional<Set<String>> secretKeys(String name) {
        Optional<JsonNode> rendered = find("Secret", name);
        if (rendered.isPresent()) {
            Secret secret = (Secret) Strict.read(rendered.get());
            Set<String> keys = new LinkedHashSet<>();
            if (secret.getData() != null) {
                keys.addAll(secret.getData().keySet());
            }
            if (secret.getStringData() != null) {
                keys.addAll(secret.getStringData().keySet());
            }
            return Optional.of(keys);
        }
        for (JsonNode external : ofKind("ExternalSecret")) {
            String target = external.path("spec").path("target").path("name")
                    .asText(external.path("metadata").path("name").asText());
            if (target.equals(name)) {
                Set<String> keys = new LinkedHashSet<>();
                external.path("spec").path("data").forEach(d -> keys.add(d.path("secretKey").asText()));
                return Optional.of(keys);
            }
        }
        return Optional.empty();
    }

    /** name -> labels of every Service. */
    Map<String, Map<String, String>> serviceLabels() {
        Map<String, Map<String, String>> labels = new LinkedHashMap<>();
        for (JsonNode service : ofKind("Service")) {
            Map<String, String> l = new LinkedHashMap<>();
            service.path("metadata").path("labels").fields().forEachRemaining(e -> l.put(e.getKey(), e.getValue().asText()));
            labels.put(service.path("metadata").path("name").asText(), l);
        }
        return labels;
    }

    @Override
    public String toString() {
        return name;
    }
}
