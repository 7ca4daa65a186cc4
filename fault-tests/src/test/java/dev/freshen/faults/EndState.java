package dev.freshen.faults;

import dev.freshen.events.CloudEventEnvelope;
import dev.freshen.events.EventJson;
import dev.freshen.events.EventType;
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

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a set of images ended up as, read from every event topic, the dead-letter topics and the company registry;
 * and the promises of the failure model checked against it: every run ends {@code ImagePublished} or
 * {@code PipelineFailed}; each published run has exactly one version tag; no tag names a digest that was not
 * verified; nothing was lost (runs started = runs ended).
 */
record EndState(Set<String> runs, Map<String, Set<String>> versionsByRun, Set<String> failedRuns, int builtEvents,
                Set<Digest> verified, Map<String, Map<String, Digest>> tagsByRepository, int deadLetters) {

    private static final List<String> DLQS = List.of(Topics.WATCHER_DLQ, Topics.BUILDER_DLQ, Topics.TESTER_DLQ,
            Topics.PUBLISHER_DLQ, Topics.NOTIFIER_DLQ);

    static EndState read(EventTopics topics, RegistryClient registry, String registryHost, List<String> imageIds) {
        Set<String> runs = new LinkedHashSet<>();
        Map<String, Set<String>> versions = new HashMap<>();
        Set<String> failed = new HashSet<>();
        Set<Digest> verified = new HashSet<>();
        int builtEvents = 0;
        for (EventType type : EventType.runEvents()) {
            for (FreshenEvent event : events(topics, type, imageIds)) {
                if (event instanceof ImagePublished p) {
                    versions.computeIfAbsent(p.runId(), r -> new HashSet<>()).add(p.version());
                } else if (event instanceof PipelineFailed f) {
                    failed.add(f.runId());
                } else if (event instanceof ImageVerified v) {
                    verified.add(v.candidate().digest());
                } else if (event instanceof ImageBuilt) {
                    builtEvents++; // a redelivered request is answered again: more than one per run is allowed
                } else {
                    runs.add(event.runId()); // BaseImageUpdated, ForceUpdateRequested: a run started
                }
            }
        }
        Map<String, Map<String, Digest>> tags = new HashMap<>();
        for (String repository : imageIds) {
            Map<String, Digest> byTag = new HashMap<>();
            for (String tag : registry.tags(registryHost, repository)) {
                registry.manifestDigest(ImageReference.parse(registryHost + "/" + repository + ":" + tag))
                        .ifPresent(d -> byTag.put(tag, d));
            }
            tags.put(repository, byTag);
        }
        int deadLetters = 0;
        for (String dlq : DLQS) {
            deadLetters += (int) topics.readAll(dlq).stream().filter(r -> imageIds.contains(r.key())).count();
        }
        return new EndState(runs, versions, failed, builtEvents, verified, tags, deadLetters);
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
        tagsByRepository.forEach((repository, tags) -> tags.forEach((tag, digest) -> {
            if (!tag.startsWith("candidate-")) {
                assertTrue(verified.contains(digest), repository + ":" + tag + " names " + digest
                        + ", which no ImageVerified vouches for");
            }
        }));
    }

    /** The counts for the report. */
    String counts() {
        return "runs=%d published=%d failed=%d image-built=%d versions=%d dead-lettered=%d".formatted(runs.size(),
                published(), failedRuns.size(), builtEvents, versionTags(), deadLetters);
    }
}
