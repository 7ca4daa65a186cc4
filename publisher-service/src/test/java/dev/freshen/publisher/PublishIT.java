package dev.freshen.publisher;

import dev.freshen.events.EventJson;
import dev.freshen.events.FailureKind;
import dev.freshen.events.ImageLabels;
import dev.freshen.events.ImagePublished;
import dev.freshen.events.ImageVerified;
import dev.freshen.events.PipelineFailed;
import dev.freshen.events.Stage;
import dev.freshen.events.Topics;
import dev.freshen.events.image.Digest;
import dev.freshen.events.image.ImageReference;
import dev.freshen.registry.RegistryClient;
import dev.freshen.registry.RegistrySettings;
import dev.freshen.testing.EventTopics;
import dev.freshen.testing.KafkaBroker;
import dev.freshen.testing.LocalRegistry;
import dev.freshen.testing.SampleEvents;
import dev.freshen.testing.ServiceProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The packaged publisher as its own process with the real Kafka broker and a real OCI registry (CNCF distribution):
 * versions, extra tags, promotion by digest within and across repositories, idempotency across a restart, and two
 * runs of one image at once.
 */
class PublishIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(90);
    private static final String PREFIX = "10.0-noble";

    private static LocalRegistry registry;
    private static RegistryClient client;
    private static EventTopics topics;
    private static ServiceProcess publisher;

    @BeforeAll
    static void start(@TempDir Path platformImages) throws IOException {
        registry = LocalRegistry.shared();
        client = new RegistryClient(RegistrySettings.defaults());
        topics = new EventTopics(KafkaBroker.bootstrapServers());
        for (String name : List.of("first", "highest", "staged", "redelivered", "together", "cleaned",
                "unstaged")) {
            descriptor(platformImages, name, "['10.0', latest, 'run-{runId}', 'nightly-{date}']");
        }
        publisher = ServiceProcess.start(Paths.get("").toAbsolutePath(), Map.of(
                "kafka.bootstrap.servers", KafkaBroker.bootstrapServers(),
                "freshen.platform-images-dir", platformImages.toString(),
                "freshen.target-registry", registry.host(),
                "freshen.publisher.initial-backoff", "200ms"), TIMEOUT);
    }

    @AfterAll
    static void stop() {
        if (publisher != null) {
            publisher.close();
        }
        topics.close();
    }

    @Test
    void theFirstPublishIs100AndTheNextBumpsTheMinorWhileTheExtraTagsMove() {
        ImageReference one = candidate("first", "candidate-");
        ImagePublished first = publish("fixture/first", one);

        assertEquals("1.0.0", first.version());
        assertEquals(registry.host() + "/platform/first:" + PREFIX + "-1.0.0@" + one.digest(), first.image().toString());
        assertEquals(registry.host(), first.registry());
        assertEquals("platform/first", first.repository());
        assertEquals(one.digest(), first.digest());
        String date = DateTimeFormatter.ofPattern("yyyyMMdd").withZone(ZoneOffset.UTC)
                .format(first.timings().get(1).finishedAt()); // the verification time
        assertEquals(List.of(PREFIX + "-1.0.0", "10.0", "latest", "run-" + first.runId(), "nightly-" + date), first.tags());
        assertEquals(List.of(Stage.BUILD, Stage.TEST, Stage.PUBLISH), first.timings().stream().map(t -> t.stage()).toList());
        for (String tag : first.tags()) {
            assertEquals(Optional.of(one.digest()), digestOf("platform/first", tag), "read back " + tag);
        }

        ImageReference two = candidate("first", "candidate-");
        ImagePublished second = publish("fixture/first", two);
        assertEquals("1.1.0", second.version());
        assertEquals(Optional.of(two.digest()), digestOf("platform/first", PREFIX + "-1.1.0"));
        assertEquals(Optional.of(two.digest()), digestOf("platform/first", "latest"), "latest moved");
        assertEquals(Optional.of(two.digest()), digestOf("platform/first", "10.0"), "10.0 moved");
        assertEquals(Optional.of(one.digest()), digestOf("platform/first", PREFIX + "-1.0.0"), "1.0.0 stays");
        assertEquals(Optional.of(one.digest()), digestOf("platform/first", "run-" + first.runId()));
    }

    @Test
    void theHighestVersionTagCountsNotLatestAndNotTagsThatMerelyContainThePrefix() {
        ImageReference old = candidate("highest", "old-");
        for (String tag : List.of(PREFIX + "-1.3.0", PREFIX + "-1.10.0", "latest", PREFIX + "-chiseled-7.0.0",
                "x" + PREFIX + "-8.0.0", PREFIX + "-9.0.0-rc1")) {
            client.putManifest(registry.host(), "platform/highest", tag, client.manifest(old).orElseThrow());
        }
        ImagePublished published = publish("fixture/highest", candidate("highest", "candidate-"));
        assertEquals("1.11.0", published.version());
        assertEquals(Optional.of(published.digest()), digestOf("platform/highest", PREFIX + "-1.11.0"));
    }

    @Test
    void aCandidateStagedInAnotherRepositoryIsBroughtInByBlobMountAndPublishedByDigest() {
        ImageReference staged = CandidateImages.push(client, registry.host(), "staging/staged", "candidate-x",
                SampleEvents.runId());
        ImagePublished published = publish("fixture/staged", staged);

        assertEquals(staged.digest(), published.digest());
        assertEquals(Optional.of(staged.digest()), digestOf("platform/staged", PREFIX + "-1.0.0"));
        ImageReference target = ImageReference.parse(registry.host() + "/platform/staged@" + staged.digest());
        assertEquals(client.imageConfig(staged).labels().get(ImageLabels.RUN_ID),
                client.imageConfig(target).labels().get(ImageLabels.RUN_ID), "config blob is in the target repository");
        assertTrue(publisher.logText().contains("into " + registry.host() + "/platform/staged: 2 blobs mounted"),
                "mounted, not copied");
    }

    @Test
    void aRedeliveredEventGetsTheSameVersionAgainEvenAfterARestart() {
        ImageReference candidate = candidate("redelivered", "candidate-");
        ImageVerified event = CandidateImages.verified(SampleEvents.runId(), "fixture/redelivered", candidate);
        topics.send(event);
        ImagePublished first = topics.awaitEvent(ImagePublished.class, e -> e.runId().equals(event.runId()), TIMEOUT);

        publisher.restart(TIMEOUT);
        topics.send(event);
        List<ImagePublished> both = topics.awaitRecords(Topics.IMAGE_PUBLISHED, r -> new String(r.value())
                .contains(event.runId()), 2, TIMEOUT).stream().map(r -> EventJson.read(r.value(), ImagePublished.class)).toList();

        assertEquals(first.image(), both.get(1).image());
        assertEquals(first.tags(), both.get(1).tags());
        assertEquals(Set.of(PREFIX + "-1.0.0"), versionTags("platform/redelivered"));
    }

    @Test
    void theCandidateLeavesStagingOnceItsRunHasEndedAndARedeliveredPublishIsThenANoOp() {
        String runId = SampleEvents.runId();
        ImageReference staged = CandidateImages.push(client, registry.host(), "platform/cleaned-staging",
                "candidate-" + runId, runId);
        ImageVerified event = CandidateImages.verified(runId, "fixture/cleaned", staged);
        topics.send(event);
        ImagePublished published = topics.awaitEvent(ImagePublished.class, e -> e.runId().equals(runId), TIMEOUT);
        await().atMost(TIMEOUT).until(() -> client.manifest(staged).isEmpty());
        assertEquals(Optional.empty(), digestOf("platform/cleaned-staging", "candidate-" + runId));
        assertEquals(Optional.of(staged.digest()), digestOf("platform/cleaned", published.image().tag()),
                "the target repository keeps its copy");

        topics.send(event); // redelivered: the version tag names the digest, the staging manifest is gone
        List<ImagePublished> both = topics.awaitRecords(Topics.IMAGE_PUBLISHED, r -> new String(r.value())
                .contains(runId), 2, TIMEOUT).stream().map(r -> EventJson.read(r.value(), ImagePublished.class)).toList();
        assertEquals(published.image(), both.get(1).image());
        assertEquals(published.tags(), both.get(1).tags());
        assertEquals(Set.of(PREFIX + "-1.0.0"), versionTags("platform/cleaned"));

        String failedRun = SampleEvents.runId();
        ImageReference failedCandidate = CandidateImages.push(client, registry.host(), "platform/cleaned-staging",
                "candidate-" + failedRun, failedRun);
        topics.send(new PipelineFailed(failedRun, "fixture/cleaned", 1, java.time.Instant.now(), Stage.TEST,
                FailureKind.PERMANENT, "the test app exited", null, dev.freshen.events.Trigger.baseImageUpdated())
                .withCandidate(failedCandidate));
        await().atMost(TIMEOUT).until(() -> client.manifest(failedCandidate).isEmpty());
    }

    @Test
    void aCandidateStagedInTheTargetRepositoryIsNotDeletedWithTheVersionTagOnItsDigest() {
        String runId = SampleEvents.runId();
        ImageReference staged = CandidateImages.push(client, registry.host(), "platform/unstaged", "candidate-" + runId,
                runId);
        topics.send(CandidateImages.verified(runId, "fixture/unstaged", staged));
        ImagePublished published = topics.awaitEvent(ImagePublished.class, e -> e.runId().equals(runId), TIMEOUT);
        publish("fixture/unstaged", candidate("unstaged", "candidate-")); // handled after the first one's clean-up

        assertEquals(Optional.of(staged.digest()), digestOf("platform/unstaged", published.image().tag()));
        assertEquals(Optional.of(staged.digest()), digestOf("platform/unstaged", "candidate-" + runId),
                "deleting by digest would have taken the version tag with it");
    }

    @Test
    void twoRunsOfOneImageAtOnceGetTwoVersions() {
        ImageReference a = candidate("together", "candidate-");
        ImageReference b = candidate("together", "candidate-");
        ImageVerified first = CandidateImages.verified(SampleEvents.runId(), "fixture/together", a);
        ImageVerified second = CandidateImages.verified(SampleEvents.runId(), "fixture/together", b);
        topics.send(first);
        topics.send(second);
        ImagePublished one = topics.awaitEvent(ImagePublished.class, e -> e.runId().equals(first.runId()), TIMEOUT);
        ImagePublished two = topics.awaitEvent(ImagePublished.class, e -> e.runId().equals(second.runId()), TIMEOUT);

        assertNotEquals(one.version(), two.version());
        assertEquals(Set.of(PREFIX + "-1.0.0", PREFIX + "-1.1.0"), versionTags("platform/together"));
        assertEquals(Optional.of(a.digest()), digestOf("platform/together", one.image().tag()));
        assertEquals(Optional.of(b.digest()), digestOf("platform/together", two.image().tag()));
        ImagePublished newest = one.version().equals("1.1.0") ? one : two;
        assertEquals(Optional.of(newest.digest()), digestOf("platform/together", "latest"));
    }

    @Test
    void aVerifiedImageThatIsGoneFailsTheRunPermanently() {
        ImageReference gone = ImageReference.parse(registry.host() + "/platform/first@" + SampleEvents.digest('e'));
        ImageVerified event = CandidateImages.verified(SampleEvents.runId(), "fixture/first", gone);
        topics.send(event);
        PipelineFailed failed = topics.awaitEvent(PipelineFailed.class, e -> e.runId().equals(event.runId()), TIMEOUT);
        assertEquals(Stage.PUBLISH, failed.stage());
        assertEquals(FailureKind.PERMANENT, failed.kind());
        assertTrue(failed.reason().contains(gone.toString()) && failed.reason().contains("no longer exists"), failed.reason());
    }

    private static ImagePublished publish(String imageId, ImageReference candidate) {
        ImageVerified event = CandidateImages.verified(SampleEvents.runId(), imageId, candidate);
        topics.send(event);
        return topics.awaitEvent(ImagePublished.class, e -> e.runId().equals(event.runId()), TIMEOUT);
    }

    /** A candidate in the image's target repository (staging-repository={repository}), tagged for another run. */
    private static ImageReference candidate(String name, String tagPrefix) {
        String runId = SampleEvents.runId();
        return CandidateImages.push(client, registry.host(), "platform/" + name, tagPrefix + runId, runId);
    }

    private static Optional<Digest> digestOf(String repository, String tag) {
        return client.manifestDigest(ImageReference.parse(registry.host() + "/" + repository + ":" + tag));
    }

    private static Set<String> versionTags(String repository) {
        return client.tags(registry.host(), repository).stream().filter(t -> t.startsWith(PREFIX + "-1."))
                .collect(Collectors.toSet());
    }

    private static void descriptor(Path root, String name, String extraTags) throws IOException {
        Path dir = Files.createDirectories(root.resolve("fixture/" + name));
        Files.writeString(dir.resolve("Dockerfile"), "FROM 127.0.0.1:5000/dotnet/runtime:10.0\n");
        Files.writeString(dir.resolve("platform-image.yaml"), "target: {repository: platform/" + name + ", tagPrefix: "
                + PREFIX + ", extraTags: " + extraTags + "}\n");
    }
}
