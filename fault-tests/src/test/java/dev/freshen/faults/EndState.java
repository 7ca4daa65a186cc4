package dev.freshen.faults;

import dev.freshen.events.CloudEventEnvelope;
import dev.freshen.events.EventJson;
import dev.freshen.events.EventType;
import dev.freshen.events.FailureKind;
import dev.freshen.events.FreshenEvent;
import dev.freshen.events.ImageBuilt;
import dev.freshen.events.ImagePublished;
import dev.freshen.events.ImageVerified;
import dev.freshen.events.InvalidEventException;
import dev.freshen.events.PipelineFailed;
import dev.freshen.events.Topics;
import dev.freshen.events.image.Digest;
import dev.freshen.events.image.ImageReference;
import dev.freshen.events.image.VersionTag;
import dev.freshen.registry.RegistryClient;
import dev.freshen.testing.EventTopics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.awaitility.core.ConditionTimeoutException;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a set of images ended up as, read from every event topic, the dead-letter topics and the company registry;
 * and the promises of the failure model checked against it: every run ends {@code ImagePublished} or
 * {@code PipelineFailed}; each published run has exactly one version tag; no tag of a target repository names a
 * digest that was not verified (only staging repositories hold unverified images); no {@code candidate-<runId>} tag
 * survives a run that has ended (published, or failed in test or publish: the candidate of a run that failed with
 * kind {@code internal} or timed out without an answer stays, for its replay); nothing was lost (runs started = runs
 * ended).
 *
 * <p>The stack stages candidates as the builder does by default, in {@code <target repository>-staging}.
 */
record EndState(Set<String> runs, Map<String, Set<String>> versionsByRun, Set<String> failedRuns, int builtEvents,
                Set<Digest> verified, Map<String, Map<String, Digest>> tagsByRepository, int deadLetters,
                Set<String> cleanedRuns, Map<String, Map<String, Digest>> stagingTags) {

    /** The default staging repository of a target repository ({@code Staging.DEFAULT_TEMPLATE}). */
    static String stagingOf(String repository) {
        return repository + "-staging";
    }

    /** How long the publisher may take to delete the candidates of ended runs after their last event. */
    private static final java.time.Duration CLEAN_UP = java.time.Duration.ofSeconds(30);

    private static final List<String> DLQS = List.of(Topics.WATCHER_DLQ, Topics.BUILDER_DLQ, Topics.TESTER_DLQ,
            Topics.PUBLISHER_DLQ, Topics.NOTIFIER_DLQ);

    static EndState read(EventTopics topics, RegistryClient registry, String registryHost, List<String> imageIds) {
        Set<String> runs = new LinkedHashSet<>();
        Map<String, Set<String>> versions = new HashMap<>();
        Set<String> failed = new HashSet<>();
        Set<Digest> verified = new HashSet<>();
        Set<String> cleaned = new HashSet<>();
        int builtEvents = 0;
        for (EventType type : EventType.runEvents()) {
            for (FreshenEvent event : events(topics, type, imageIds)) {
                if (event instanceof ImagePublished p) {
                    versions.computeIfAbsent(p.runId(), r -> new HashSet<>()).add(p.version());
                    cleaned.add(p.runId());
                } else if (event instanceof PipelineFailed f) {
                    failed.add(f.runId());
                    if (f.candidate() != null && !FailureKind.INTERNAL.equals(f.kind())) {
                        cleaned.add(f.runId());
                    }
                } else if (event instanceof ImageVerified v) {
                    verified.add(v.candidate().digest());
                } else if (event instanceof ImageBuilt) {
                    builtEvents++; // a redelivered request is answered again: more than one per run is allowed
                } else {
                    runs.add(event.runId()); // BaseImageUpdated, ForceUpdateRequested: a run started
                }
            }
        }
        Map<String, Map<String, Digest>> tags = tags(registry, registryHost, imageIds);
        List<String> staging = imageIds.stream().map(EndState::stagingOf).toList();
        Map<String, Map<String, Digest>> stagingTags;
        try { // the candidates of the last runs are deleted after their last event: give the publisher a moment
            stagingTags = await().atMost(CLEAN_UP).pollInterval(java.time.Duration.ofMillis(500))
                    .until(() -> tags(registry, registryHost, staging), t -> leftOver(t, cleaned).isEmpty());
        } catch (ConditionTimeoutException e) {
            stagingTags = tags(registry, registryHost, staging); // assertConsistent names what is left
        }
        int deadLetters = 0;
        for (String dlq : DLQS) {
            deadLetters += (int) topics.readAll(dlq).stream().filter(r -> imageIds.contains(r.key())).count();
        }
        return new EndState(runs, versions, failed, builtEvents, verified, tags, deadLetters, cleaned, stagingTags);
    }

    /** Every tag of each repository with its digest; a repository that does not exist has none. */
    private static Map<String, Map<String, Digest>> tags(RegistryClient registry, String registryHost,
                                                         List<String> repositories) {
        Map<String, Map<String, Digest>> tags = new HashMap<>();
        for (String repository : repositories) {
            Map<String, Digest> byTag = new HashMap<>();
            for (String tag : registry.tags(registryHost, repository)) {
                registry.manifestDigest(ImageReference.parse(registryHost + "/" + repository + ":" + tag))
                        .ifPresent(d -> byTag.put(tag, d));
            }
            tags.put(repository, byTag);
        }
        return tags;
    }

    /** The {@code repository:candidate-<runId>} tags of {@code runs} in {@code tags}. */
    private static List<String> leftOver(Map<String, Map<String, Digest>> tags, Set<String> runs) {
        List<String> left = new ArrayList<>();
        tags.forEach((repository, byTag) -> byTag.keySet().stream()
                .filter(t -> t.startsWith("candidate-") && runs.contains(t.substring("candidate-".length())))
                .forEach(t -> left.add(repository + ":" + t)));
        return left;
    }

    private static List<FreshenEvent> events(EventTopics topics, EventType type, List<String> imageIds) {
        List<FreshenEvent> events = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> record : topics.readAll(type.topic())) {
            var ceType = record.headers().lastHeader(CloudEventEnvelope.HEADER_TYPE);
            if (!imageIds.contains(record.key()) || ceType == null
                    || !type.cloudEventType().equals(new String(ceType.value(), StandardCharsets.UTF_8))) {
                continue; // another image's, or a poison record of another type (the services dead-letter it)
            }
            try {
                events.add(EventJson.read(record.value(), type));
            } catch (InvalidEventException e) {
                // a poison record: counted through the dead-letter topics
            }
        }
        return events;
    }

    int published() {
        return versionsByRun.size();
    }

    /** Version tags in all repositories ({@code <prefix>-<major>.<minor>.<patch>}). */
    int versionTags() {
        return (int) tagsByRepository.values().stream().flatMap(t -> t.keySet().stream())
                .filter(t -> VersionTag.parse("10.0", t).isPresent()).count();
    }

    /** Checks the promises of the failure model; the message names what broke. */
    void assertConsistent() {
        for (String run : runs) {
            assertTrue(versionsByRun.containsKey(run) || failedRuns.contains(run),
                    "run " + run + " ended neither published nor failed: " + this);
        }
        versionsByRun.forEach((run, versions) -> assertEquals(1, versions.size(),
                "run " + run + " was published as more than one version: " + versions));
        assertEquals(published(), versionTags(), "one version tag per published run: " + tagsByRepository);
        tagsByRepository.forEach((repository, tags) -> tags.forEach((tag, digest) ->
                assertTrue(verified.contains(digest), repository + ":" + tag + " names " + digest
                        + ", which no ImageVerified vouches for: only staging repositories hold unverified images")));
        List<String> left = new ArrayList<>(leftOver(stagingTags, cleanedRuns));
        left.addAll(leftOver(tagsByRepository, cleanedRuns));
        assertEquals(List.of(), left, "candidates of ended runs are deleted from staging");
    }

    /** The counts for the report. */
    String counts() {
        return "runs=%d published=%d failed=%d image-built=%d versions=%d dead-lettered=%d".formatted(runs.size(),
                published(), failedRuns.size(), builtEvents, versionTags(), deadLetters);
    }
}
