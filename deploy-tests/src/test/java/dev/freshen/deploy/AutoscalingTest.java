package dev.freshen.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Autoscalers fit the consumers they scale: a KEDA ScaledObject watches the service's own consumer group
 * (quarkus.application.name) on exactly the topics it consumes, with a broker address the Deployment has; and no
 * autoscaler (KEDA or HPA) asks for more pods than the input topics have partitions for, given that each pod runs
 * `concurrency` consumers per input (application.properties, resolved with the pod's environment).
 */
class AutoscalingTest {

    private static final Pattern EXPRESSION = Pattern.compile("\\$\\{([A-Z0-9_]+)(?::([^}]*))?}");

    @TestFactory
    Stream<DynamicTest> autoscalersFitTheirConsumers() {
        return Kustomize.overlays().stream().map(dir -> DynamicTest.dynamicTest(RenderTest.name(dir), () -> {
            Manifests manifests = Kustomize.render(dir);
            List<String> errors = new ArrayList<>();
            for (JsonNode scaled : manifests.ofKind("ScaledObject")) {
                String target = scaled.path("spec").path("scaleTargetRef").path("name").asText();
                errors.addAll(scaledObject(manifests, scaled, target));
                errors.addAll(partitions(manifests, target, scaled.path("spec").path("maxReplicaCount").asInt(100)));
            }
            for (HorizontalPodAutoscaler hpa : manifests.typed("HorizontalPodAutoscaler", HorizontalPodAutoscaler.class)) {
                errors.addAll(partitions(manifests, hpa.getSpec().getScaleTargetRef().getName(), hpa.getSpec().getMaxReplicas()));
            }
            assertTrue(errors.isEmpty(), manifests + ":\n  " + String.join("\n  ", errors));
        }));
    }

    private static List<String> scaledObject(Manifests manifests, JsonNode scaled, String target) {
        String id = Strict.describe(scaled);
        ServiceSpec spec = service(target);
        if (spec == null) {
            return List.of(id + " scales " + target + ", not a Freshen service");
        }
        List<String> errors = new ArrayList<>();
        PodEnv pod = new PodEnv(manifests, manifests.deployment(target), spec.name());
        Set<String> topics = new TreeSet<>();
        for (JsonNode trigger : scaled.path("spec").path("triggers")) {
            JsonNode m = trigger.path("metadata");
            topics.add(m.path("topic").asText());
            if (!m.path("consumerGroup").asText().equals(spec.applicationName())) {
                errors.add(id + ": consumerGroup must be the " + spec.name() + "'s group " + spec.applicationName()
                        + " (quarkus.application.name), is " + m.path("consumerGroup"));
            }
            String fromEnv = m.path("bootstrapServersFromEnv").asText("");
            if (!fromEnv.isEmpty() && !pod.environment.containsKey(fromEnv)) {
                errors.add(id + ": bootstrapServersFromEnv names " + fromEnv + ", which " + target + " does not have");
            }
        }
        if (!topics.equals(spec.incomingTopics())) {
            errors.add(id + ": triggers watch " + topics + ", the " + spec.name() + " consumes " + spec.incomingTopics());
        }
        return errors;
    }

    /** maxReplicas x consumers per pod must not exceed the partitions of any input topic. */
    private static List<String> partitions(Manifests manifests, String target, int maxReplicas) {
        ServiceSpec spec = service(target);
        if (spec == null) {
            return List.of();
        }
        PodEnv pod = new PodEnv(manifests, manifests.deployment(target), spec.name());
        List<String> errors = new ArrayList<>();
        for (String topic : spec.incomingTopics()) {
            int consumers = concurrency(spec, topic, pod);
            OptionalInt partitions = partitionsOf(manifests, topic);
            if (partitions.isPresent() && maxReplicas * consumers > partitions.getAsInt()) {
                errors.add(target + ": up to " + maxReplicas + " pods x " + consumers + " consumers on " + topic
                        + ", which has " + partitions.getAsInt() + " partitions: the extra consumers would idle");
            }
        }
        return errors;
    }

    /** mp.messaging.incoming."topic".concurrency (the prod profile's if set), with ${VAR:default} resolved. */
    private static int concurrency(ServiceSpec spec, String topic, PodEnv pod) {
        var properties = spec.applicationProperties();
        String key = "mp.messaging.incoming.\"" + topic + "\".concurrency";
        String value = properties.getProperty("%prod." + key, properties.getProperty(key, "1"));
        Matcher m = EXPRESSION.matcher(value);
        StringBuilder resolved = new StringBuilder();
        while (m.find()) {
            String replacement = pod.environment.getOrDefault(m.group(1), m.group(2) == null ? "" : m.group(2));
            m.appendReplacement(resolved, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(resolved);
        return Integer.parseInt(resolved.toString().strip());
    }

    /** From a KafkaTopic, else from the overlay's own broker's KAFKA_NUM_PARTITIONS (topics created on first use). */
    private static OptionalInt partitionsOf(Manifests manifests, String topic) {
        for (JsonNode t : manifests.ofKind("KafkaTopic")) {
            if (t.path("spec").path("topicName").asText(t.path("metadata").path("name").asText()).equals(topic)) {
                return OptionalInt.of(t.path("spec").path("partitions").asInt());
            }
        }
        for (Deployment d : manifests.deployments()) {
            for (var c : d.getSpec().getTemplate().getSpec().getContainers()) {
                for (EnvVar var : PodEnv.nonNull(c.getEnv())) {
                    if (var.getName().equals("KAFKA_NUM_PARTITIONS")) {
                        return OptionalInt.of(Integer.parseInt(var.getValue()));
                    }
                }
            }
        }
        return OptionalInt.empty();
    }

    private static ServiceSpec service(String deployment) {
        return ServiceSpec.ALL.stream().filter(s -> s.deployment().equals(deployment)).findFirst().orElse(null);
    }
}
