package dev.freshen.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerBehavior;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The custom resources the manifests use, checked by hand against their published schemas (the parts Freshen uses,
 * field names exact): Strimzi KafkaTopic kafka.strimzi.io/v1beta2, KEDA ScaledObject keda.sh/v1alpha1, Prometheus
 * Operator ServiceMonitor and PrometheusRule monitoring.coreos.com/v1, External Secrets ExternalSecret external-secrets.io/v1. Unknown
 * fields and missing required ones are errors; embedded Kubernetes types are read strictly with the fabric8 model.
 */
final class CrdShapes {

    /** A check of one node; adds "path: problem" lines. */
    interface Shape {
        void check(JsonNode node, String path, List<String> errors);
    }

    record Field(String name, boolean required, Shape shape) {
    }

    static final Map<String, Shape> BY_TYPE = new LinkedHashMap<>();

    static {
        Shape kafkaTopicSpec = object(
                optional("topicName", string()),
                required("partitions", integer()),
                required("replicas", integer()),
                optional("config", mapOf(scalar())));
        BY_TYPE.put("kafka.strimzi.io/v1beta2 KafkaTopic", resource(kafkaTopicSpec));

        Shape kafkaTrigger = object(
                optional("bootstrapServers", string()), optional("bootstrapServersFromEnv", string()),
                required("consumerGroup", string()), optional("topic", string()),
                optional("lagThreshold", string()), optional("activationLagThreshold", string()),
                optional("offsetResetPolicy", oneOf("earliest", "latest")),
                optional("allowIdleConsumers", oneOf("true", "false")),
                optional("excludePersistentLag", oneOf("true", "false")),
                optional("limitToPartitionsWithLag", oneOf("true", "false")),
                optional("scaleToZeroOnInvalidOffset", oneOf("true", "false")),
                optional("sasl", string()), optional("tls", string()), optional("version", string()));
        Shape trigger = object(
                required("type", oneOf("kafka")), optional("name", string()), required("metadata", kafkaTrigger),
                optional("authenticationRef", object(required("name", string()), optional("kind", string()))),
                optional("metricType", oneOf("AverageValue", "Value")), optional("useCachedMetrics", bool()));
        Shape scaledObjectSpec = object(
                required("scaleTargetRef", object(optional("apiVersion", string()), optional("kind", string()),
                        required("name", string()), optional("envSourceContainerName", string()))),
                optional("pollingInterval", integer()), optional("cooldownPeriod", integer()),
                optional("initialCooldownPeriod", integer()), optional("idleReplicaCount", integer()),
                optional("minReplicaCount", integer()), optional("maxReplicaCount", integer()),
                optional("advanced", object(optional("restoreToOriginalReplicaCount", bool()),
                        optional("horizontalPodAutoscalerConfig", object(optional("name", string()),
                                optional("behavior", model(HorizontalPodAutoscalerBehavior.class)))))),
                optional("fallback", object(required("failureThreshold", integer()), required("replicas", integer()))),
                required("triggers", listOf(trigger)));
        BY_TYPE.put("keda.sh/v1alpha1 ScaledObject", resource(scaledObjectSpec));

        Shape endpoint = object(
                optional("port", string()), optional("targetPort", scalar()), optional("path", string()),
                optional("scheme", oneOf("http", "https")), optional("interval", duration()),
                optional("scrapeTimeout", duration()), optional("honorLabels", bool()));
        Shape serviceMonitorSpec = object(
                required("selector", model(LabelSelector.class)), optional("jobLabel", string()),
                optional("namespaceSelector", object(optional("any", bool()), optional("matchNames", listOf(string())))),
                required("endpoints", listOf(endpoint)));
        BY_TYPE.put("monitoring.coreos.com/v1 ServiceMonitor", resource(serviceMonitorSpec));

        Shape rule = object(optional("alert", string()), optional("record", string()), required("expr", string()),
                optional("for", duration()), optional("labels", mapOf(string())),
                optional("annotations", mapOf(string())));
        Shape prometheusRuleSpec = object(required("groups", listOf(object(required("name", string()),
                optional("interval", duration()), required("rules", listOf(rule))))));
        BY_TYPE.put("monitoring.coreos.com/v1 PrometheusRule", resource(prometheusRuleSpec));

        Shape externalSecretSpec = object(
                required("secretStoreRef", object(required("name", string()),
                        optional("kind", oneOf("SecretStore", "ClusterSecretStore")))),
                optional("refreshInterval", duration()),
                required("target", object(optional("name", string()),
                        optional("creationPolicy", oneOf("Owner", "Orphan", "Merge", "None")),
                        optional("deletionPolicy", oneOf("Delete", "Merge", "Retain")))),
                required("data", listOf(object(required("secretKey", string()),
                        required("remoteRef", object(required("key", string()), optional("property", string()),
                                optional("version", string())))))));
        BY_TYPE.put("external-secrets.io/v1 ExternalSecret", resource(externalSecretSpec));
    }

    private CrdShapes() {
    }

    /** Errors of a custom resource; unknown apiVersion + kind is one. */
    static List<String> check(JsonNode document) {
        String type = document.path("apiVersion").asText() + " " + document.path("kind").asText();
        List<String> errors = new ArrayList<>();
        Shape shape = BY_TYPE.get(type);
        if (shape == null) {
            errors.add(Strict.describe(document) + ": unknown apiVersion/kind " + type + " (known custom resources: "
                    + BY_TYPE.keySet() + ")");
        } else {
            shape.check(document, Strict.describe(document), errors);
        }
        return errors;
    }

    private static Shape resource(Shape spec) {
        return object(required("apiVersion", string()), required("kind", string()),
                required("metadata", model(ObjectMeta.class)), required("spec", spec));
    }

    static Field required(String name, Shape shape) {
        return new Field(name, true, shape);
    }

    static Field optional(String name, Shape shape) {
        return new Field(name, false, shape);
    }

    static Shape object(Field... fields) {
        return (node, path, errors) -> {
            if (!node.isObject()) {
                errors.add(path + ": must be an object");
                return;
            }
            Map<String, Field> known = new LinkedHashMap<>();
            for (Field f : fields) {
                known.put(f.name(), f);
                if (f.required() && !node.has(f.name())) {
                    errors.add(path + ": required field '" + f.name() + "' is missing");
                }
            }
            for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
                String name = it.next();
                Field f = known.get(name);
                if (f == null) {
                    errors.add(path + ": unknown field '" + name + "' (known: " + known.keySet() + ")");
                } else {
                    f.shape().check(node.get(name), path + "." + name, errors);
                }
            }
        };
    }

    static Shape listOf(Shape item) {
        return (node, path, errors) -> {
            if (!node.isArray() || node.isEmpty()) {
                errors.add(path + ": must be a non-empty list");
                return;
            }
            for (int i = 0; i < node.size(); i++) {
                item.check(node.get(i), path + "[" + i + "]", errors);
            }
        };
    }

    static Shape mapOf(Shape value) {
        return (node, path, errors) -> {
            if (!node.isObject()) {
                errors.add(path + ": must be a map");
                return;
            }
            node.fields().forEachRemaining(e -> value.check(e.getValue(), path + "." + e.getKey(), errors));
        };
    }

    static Shape string() {
        return (node, path, errors) -> {
            if (!node.isTextual() || node.asText().isBlank()) {
                errors.add(path + ": must be a non-empty string, is " + node);
            }
        };
    }

    static Shape integer() {
        return (node, path, errors) -> {
            if (!node.isIntegralNumber() || node.asLong() < 0) {
                errors.add(path + ": must be a non-negative integer, is " + node);
            }
        };
    }

    static Shape bool() {
        return (node, path, errors) -> {
            if (!node.isBoolean()) {
                errors.add(path + ": must be true or false, is " + node);
            }
        };
    }

    static Shape scalar() {
        return (node, path, errors) -> {
            if (!node.isValueNode() || node.isNull()) {
                errors.add(path + ": must be a string, number or boolean, is " + node);
            }
        };
    }

    static Shape oneOf(String... values) {
        Set<String> allowed = Set.of(values);
        return (node, path, errors) -> {
            if (!node.isTextual() || !allowed.contains(node.asText())) {
                errors.add(path + ": must be one of " + allowed + " (a string), is " + node);
            }
        };
    }

    /** A Prometheus / Go duration such as 30s, 1h, 1m30s. */
    static Shape duration() {
        return (node, path, errors) -> {
            if (!node.isTextual() || !node.asText().matches("([0-9]+(ms|s|m|h|d|w|y))+")) {
                errors.add(path + ": must be a duration like 30s or 1h, is " + node);
            }
        };
    }

    /** A Kubernetes type embedded in a custom resource, read strictly with its fabric8 model class. */
    static Shape model(Class<?> type) {
        return (node, path, errors) -> {
            try {
                Strict.read(node, type, path);
            } catch (AssertionError e) {
                errors.add(path + ": " + e.getMessage());
            }
        };
    }
}
