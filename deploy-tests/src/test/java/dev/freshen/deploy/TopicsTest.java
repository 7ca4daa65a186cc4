package dev.freshen.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.freshen.events.Topics;
import dev.freshen.notifier.messaging.KafkaDeliveryLedger;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The KafkaTopics are exactly the topics the code uses (Topics, the services' inputs and dead-letter topics, the
 * notifier's delivery records, the CLI's replay records), with the retention each kind needs, on the Strimzi cluster
 * the services connect to.
 */
class TopicsTest {

    private static final Duration EVENTS = Duration.ofDays(7);
    private static final Duration DEAD_LETTERS = Duration.ofDays(30);

    /** Every topic name the code of the services and the CLI uses. */
    static Set<String> codeTopics() throws ReflectiveOperationException {
        Set<String> topics = new TreeSet<>();
        for (Field field : Topics.class.getFields()) {
            if (Modifier.isStatic(field.getModifiers()) && field.getType() == String.class) {
                topics.add((String) field.get(null));
            }
        }
        topics.addAll(ledgers());
        ServiceSpec.ALL.forEach(s -> {
            topics.addAll(s.incomingTopics());
            topics.addAll(s.deadLetterTopics());
        });
        return topics;
    }

    /**
     * The compacted topics: the notifier's delivery records, the CLI's replay records, the image watch states and
     * the check health announcements (the watcher reads the last one of each image back at start-up).
     */
    static Set<String> ledgers() throws ReflectiveOperationException {
        Field replays = Class.forName("dev.freshen.cli.DlqCommand").getDeclaredField("REPLAYS");
        replays.setAccessible(true);
        return Set.of(KafkaDeliveryLedger.TOPIC, (String) replays.get(null), Topics.IMAGE_WATCH_CHANGED,
                Topics.CHECKS_FAILED, Topics.CHECKS_RECOVERED);
    }

    @TestFactory
    Stream<DynamicTest> topicsAreTheCodesTopics() {
        return kustomizationsWithTopics().map(dir -> DynamicTest.dynamicTest(RenderTest.name(dir), () -> {
            Manifests manifests = Kustomize.render(dir);
            Map<String, JsonNode> topics = new TreeMap<>();
            manifests.ofKind("KafkaTopic").forEach(t -> topics.put(
                    t.path("spec").path("topicName").asText(t.path("metadata").path("name").asText()), t));
            assertEquals(codeTopics(), topics.keySet(), manifests + ": KafkaTopics vs the topics the code uses");
            List<String> errors = new ArrayList<>();
            topics.forEach((name, topic) -> errors.addAll(topicSettings(name, topic.path("spec"))));
            assertTrue(errors.isEmpty(), manifests + ":\n  " + String.join("\n  ", errors));
        }));
    }

    @TestFactory
    Stream<DynamicTest> topicsBelongToTheClusterTheServicesUse() {
        return Kustomize.overlays().stream().filter(dir -> !Kustomize.render(dir).ofKind("KafkaTopic").isEmpty())
                .map(dir -> DynamicTest.dynamicTest(RenderTest.name(dir), () -> {
                    Manifests manifests = Kustomize.render(dir);
                    String servers = new PodEnv(manifests, manifests.deployment("freshen-builder"), "builder")
                            .environment.get("KAFKA_BOOTSTRAP_SERVERS");
                    for (JsonNode topic : manifests.ofKind("KafkaTopic")) {
                        String cluster = topic.path("metadata").path("labels").path("strimzi.io/cluster").asText();
                        assertTrue(servers.startsWith(cluster + "-kafka-bootstrap"), Strict.describe(topic)
                                + " is for Strimzi cluster '" + cluster + "', the services use " + servers);
                    }
                }));
    }

    private static List<String> topicSettings(String name, JsonNode spec) {
        List<String> errors = new ArrayList<>();
        JsonNode config = spec.path("config");
        String policy = config.path("cleanup.policy").asText("delete");
        boolean ledger;
        try {
            ledger = ledgers().contains(name);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
        if (ledger) {
            if (!policy.equals("compact")) {
                errors.add(name + ": a ledger read from the beginning must be compacted (cleanup.policy: compact)");
            }
        } else {
            Duration retention = name.endsWith(".dlq") ? DEAD_LETTERS : EVENTS;
            if (!policy.equals("delete") || config.path("retention.ms").asLong() != retention.toMillis()) {
                errors.add(name + ": cleanup.policy delete and retention.ms " + retention.toMillis() + " (" + retention
                        + ") expected, has " + policy + " / " + config.path("retention.ms"));
            }
        }
        if (config.has("min.insync.replicas") && config.path("min.insync.replicas").asInt() >= spec.path("replicas").asInt()) {
            errors.add(name + ": min.insync.replicas must be below replicas, or no broker may ever be down");
        }
        return errors;
    }

    private static Stream<java.nio.file.Path> kustomizationsWithTopics() {
        return Kustomize.kustomizations().stream().filter(dir -> !Kustomize.render(dir).ofKind("KafkaTopic").isEmpty());
    }
}
