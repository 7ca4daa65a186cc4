package dev.freshen.publisher;

import dev.freshen.descriptor.PlatformImageCatalog;
import dev.freshen.events.FailureKind;
import dev.freshen.events.FreshenEvent;
import dev.freshen.events.ImagePublished;
import dev.freshen.events.ImageVerified;
import dev.freshen.events.PipelineFailed;
import dev.freshen.events.Stage;
import dev.freshen.events.StageTiming;
import dev.freshen.events.Trigger;
import dev.freshen.events.image.Digest;
import dev.freshen.events.image.Platform;
import dev.freshen.events.image.PlatformDigest;
import dev.freshen.registry.ImageIndexes;
import dev.freshen.registry.MediaTypes;
import dev.freshen.registry.Manifest;
import dev.freshen.retry.RetryPolicy;
import dev.freshen.retry.StopRequested;
import dev.freshen.testing.SampleEvents;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PublishStageTest {

    private static final Instant NOW = Instant.parse("2026-11-27T10:00:00Z");
    private static final String IMAGE = "fixture/app";
    private static final String REPO = "platform/app";

    private FakeTargetRegistry registry;
    private PublishStage stage;
    private Path root;

    private PublishStage stage(RetryPolicy retries) {
        return new PublishStage(new PlatformImageCatalog(root)::scan, registry, new PublishSettings(retries, 4),
                Clock.fixed(NOW, ZoneOffset.UTC));
    }

    @BeforeEach
    void setUp(@TempDir Path root) throws IOException {
        Path dir = Files.createDirectories(root.resolve(IMAGE));
        Files.writeString(dir.resolve("Dockerfile"), "FROM registry.example.com/dotnet/runtime:10.0\n");
        Files.writeString(dir.resolve("platform-image.yaml"), "target: {repository: " + REPO
                + ", tagPrefix: 10.0-noble, extraTags: ['10.0', latest, 'run-{runId}']}\n");
        registry = new FakeTargetRegistry();
        this.root = root;
        stage = stage(new RetryPolicy(3, Duration.ZERO, Duration.ZERO));
    }

    @Test
    void anUnknownImageEndsTheRunPermanently() {
        ImageVerified event = SampleEvents.imageVerified();
        PipelineFailed failed = assertInstanceOf(PipelineFailed.class, stage.publish(event));
        assertEquals(Stage.PUBLISH, failed.stage());
        assertEquals(FailureKind.PERMANENT, failed.kind());
        assertTrue(failed.reason().startsWith("unknown platform image"), failed.reason());
        assertEquals(event.trigger(), failed.trigger());
    }

    @Test
    void theFirstPublishIs100WithTheVersionTagFirstThenTheExtraTags() {
        Manifest image = registry.image("one");
        ImageVerified event = verified(image);
        ImagePublished published = assertInstanceOf(ImagePublished.class, stage.publish(event));

        assertEquals("1.0.0", published.version());
        assertEquals(null, published.replaces(), "the first version replaces none");
        assertEquals(List.of("10.0-noble-1.0.0", "10.0", "latest", "run-" + event.runId()), published.tags());
        assertEquals(registry.puts, published.tags(), "tags put in this order");
        assertEquals(FakeTargetRegistry.HOST + "/" + REPO + ":10.0-noble-1.0.0@" + image.digest(), published.image().toString());
        assertEquals(image.digest(), published.digest());
        assertEquals(event.baseImages(), published.baseImages());
        assertEquals(event.trigger(), published.trigger());
        assertEquals(List.of(Stage.BUILD, Stage.PUBLISH), published.timings().stream().map(StageTiming::stage).toList());
        for (String tag : published.tags()) {
            assertEquals(Optional.of(image.digest()), registry.tagged(REPO, tag), tag);
        }
    }

    @Test
    void aMultiPlatformImageIsPublishedAsItsIndexEveryTagOnTheIndexDigestWithItsManifests() {
        Digest amd64 = registry.image("amd64").digest();
        Digest arm64 = registry.image("arm64").digest();
        Manifest index = ImageIndexes.write(List.of(
                new ImageIndexes.Entry(MediaTypes.OCI_MANIFEST, amd64, 100, Platform.LINUX_AMD64, Map.of()),
                new ImageIndexes.Entry(MediaTypes.OCI_MANIFEST, arm64, 100, Platform.parse("linux/arm64"), Map.of())),
                Map.of());
        registry.images.put(index.digest(), index);
        List<PlatformDigest> manifests = List.of(new PlatformDigest(Platform.LINUX_AMD64, amd64),
                new PlatformDigest(Platform.parse("linux/arm64"), arm64));
        ImageVerified event = verified(index).withManifests(manifests);

        ImagePublished published = assertInstanceOf(ImagePublished.class, stage.publish(event));
        assertEquals(index.digest(), published.digest(), "the verified index digest");
        assertEquals(manifests, published.manifests());
        assertEquals(List.of(event.candidate()), registry.imports);
        for (String tag : published.tags()) {
            assertEquals(Optional.of(index.digest()), registry.tagged(REPO, tag), tag + " names the index");
        }
        ImagePublished single = assertInstanceOf(ImagePublished.class, stage.publish(verified(registry.image("one"))));
        assertEquals(List.of(), single.manifests(), "a single-platform image has none");
    }

    @Test
    void theNextPublishBumpsTheMinorOfTheHighestVersionNotOfLatest() {
        Digest old = registry.image("old").digest();
        registry.tag(REPO, "10.0-noble-1.3.0", old);
        registry.tag(REPO, "10.0-noble-1.10.0", old);
        registry.tag(REPO, "10.0-noble-1.9.0", old);
        registry.tag(REPO, "latest", registry.image("latest-points-at-1.3.0").digest());
        registry.tag(REPO, "10.0-noble-chiseled-7.0.0", old);
        registry.tag(REPO, "x10.0-noble-8.0.0", old);
        registry.tag(REPO, "10.0-noble-9.0.0-rc1", old);

        ImagePublished published = assertInstanceOf(ImagePublished.class, stage.publish(verified(registry.image("new"))));
        assertEquals("1.11.0", published.version());
        assertEquals("10.0-noble-1.10.0", published.replaces(), "the highest version before it, compared numerically");
    }

    @Test
    void aRedeliveredEventIsAnnouncedAgainWithTheSameVersionAndNoNewOne() {
        ImageVerified event = verified(registry.image("one"));
        ImagePublished first = assertInstanceOf(ImagePublished.class, stage.publish(event));
        ImagePublished again = assertInstanceOf(ImagePublished.class, stage.publish(event));

        assertEquals(first.image(), again.image());
        assertEquals(first.tags(), again.tags());
        assertEquals(Set.of("10.0-noble-1.0.0"), versionTags());
    }

    @Test
    void aRunBuiltTwiceGetsOneVersionTheSecondCandidateIsAnnouncedAsTheFirstsVersion() {
        ImageVerified first = verified(registry.image("built-by-builder-1"));
        ImageVerified second = withCandidate(first, registry.image("built-by-builder-2"));
        ImagePublished published = assertInstanceOf(ImagePublished.class, stage.publish(first));
        ImagePublished again = assertInstanceOf(ImagePublished.class, stage.publish(second));

        assertEquals(published.image(), again.image(), "the first build's digest, announced again");
        assertEquals("1.0.0", again.version());
        assertEquals(Set.of("10.0-noble-1.0.0"), versionTags(), "no second version for one run");
        ImagePublished next = assertInstanceOf(ImagePublished.class, stage.publish(verified(registry.image("next-run"))));
        assertEquals("1.1.0", next.version(), "another run still gets the next version");
    }

    @Test
    void aRedeliveredEventWhoseCandidateLeftStagingIsAnnouncedAgainFromTheTargetRepository() {
        ImageVerified event = verified(registry.image("one"));
        ImagePublished first = assertInstanceOf(ImagePublished.class, stage.publish(event));
        registry.stagingEmpty = true; // the clean-up deleted the candidate after the first publish
        registry.imports.clear();
        registry.puts.clear();

        ImagePublished again = assertInstanceOf(ImagePublished.class, stage.publish(event));
        assertEquals(first.image(), again.image());
        assertEquals(first.tags(), again.tags());
        assertTrue(registry.imports.isEmpty(), "read from the target repository by digest, not imported from staging");
        assertEquals(Set.of("10.0-noble-1.0.0"), versionTags());
    }

    @Test
    void aPublishFailureNamesTheCandidateForTheCleanUp() {
        Manifest gone = registry.image("gone");
        registry.stagingEmpty = true;
        ImageVerified event = verified(gone);
        PipelineFailed failed = assertInstanceOf(PipelineFailed.class, stage.publish(event));
        assertEquals(event.candidate(), failed.candidate());
    }

    @Test
    void movingTagsNeverGoBackToAnOlderVersion() {
        ImageVerified older = verified(registry.image("older"));
        stage.publish(older);
        Manifest newer = registry.image("newer");
        stage.publish(verified(newer));

        ImagePublished redelivered = assertInstanceOf(ImagePublished.class, stage.publish(older));
        assertEquals("1.0.0", redelivered.version());
        assertEquals(null, redelivered.replaces(), "announced again: still the first version");
        assertEquals(List.of("10.0-noble-1.0.0", "run-" + older.runId()), redelivered.tags());
        assertEquals(Optional.of(newer.digest()), registry.tagged(REPO, "latest"));
        assertEquals(Optional.of(newer.digest()), registry.tagged(REPO, "10.0"));
    }

    @Test
    void aVersionTakenByAnotherPublisherAtTheSameTimeIsDetectedAndTheVersionRecomputed() {
        Digest rival = registry.image("rival").digest();
        registry.afterPut = (tag, digest) -> {
            if (tag.equals("10.0-noble-1.0.0") && !digest.equals(rival)) {
                registry.tag(REPO, tag, rival); // the other publisher's PUT landed just after ours
            }
        };
        Manifest mine = registry.image("mine");
        ImagePublished published = assertInstanceOf(ImagePublished.class, stage.publish(verified(mine)));

        assertEquals("1.1.0", published.version());
        assertEquals(Optional.of(rival), registry.tagged(REPO, "10.0-noble-1.0.0"));
        assertEquals(Optional.of(mine.digest()), registry.tagged(REPO, "10.0-noble-1.1.0"));
        assertEquals(Optional.of(mine.digest()), registry.tagged(REPO, "latest"));
    }

    @Test
    void anImmutableVersionTagRefusedByTheRegistryIsRetriedWithTheNextVersion() {
        registry.immutable = true;
        Digest rival = registry.image("rival").digest();
        registry.beforePut = (tag, digest) -> {
            if (tag.equals("10.0-noble-1.0.0") && !digest.equals(rival)) {
                registry.tag(REPO, tag, rival); // the rival got there between our check and our put
            }
        };
        Manifest mine = registry.image("mine");
        ImagePublished published = assertInstanceOf(ImagePublished.class, stage.publish(verified(mine)));

        assertEquals("1.1.0", published.version());
        assertEquals(Optional.of(rival), registry.tagged(REPO, "10.0-noble-1.0.0"));
        assertEquals(Optional.of(mine.digest()), registry.tagged(REPO, "10.0-noble-1.1.0"));
    }

    @Test
    void anImmutableExtraTagFailsTheRunPermanentlyNamingTheTag() {
        registry.immutable = true;
        registry.tag(REPO, "latest", registry.image("someone else's").digest());
        PipelineFailed failed = assertInstanceOf(PipelineFailed.class, stage.publish(verified(registry.image("mine"))));
        assertEquals(FailureKind.PERMANENT, failed.kind());
        assertTrue(failed.reason().contains("10.0-noble-1.0.0 is published, but extra tag 'latest' cannot be put"),
                failed.reason());
    }

    @Test
    void registryFailuresAreNotRetriedHereTheRegistryClientRetriedThemAlready() {
        registry.failures.add(PublishFailure.transientFailure(PublishFailure.REGISTRY_ERROR, "registry.example.com answered 503 (gave up after 4 attempts)",
                null));
        registry.failures.add(PublishFailure.transientFailure(PublishFailure.REGISTRY_ERROR, "never reached", null));
        PipelineFailed exhausted = assertInstanceOf(PipelineFailed.class, stage.publish(verified(registry.image("two"))));
        assertEquals(FailureKind.TRANSIENT_EXHAUSTED, exhausted.kind());
        assertTrue(exhausted.reason().contains("503"), exhausted.reason());
        assertEquals(1, registry.failures.size(), "no second attempt of the publish");
        registry.failures.clear();

        registry.failures.add(PublishFailure.permanent(PublishFailure.ECR_ERROR, "ECR PutImage failed: AccessDeniedException: not authorized"));
        registry.failures.add(PublishFailure.transientFailure(PublishFailure.REGISTRY_ERROR, "never reached", null));
        PipelineFailed denied = assertInstanceOf(PipelineFailed.class, stage.publish(verified(registry.image("three"))));
        assertEquals(FailureKind.PERMANENT, denied.kind());
        assertTrue(denied.reason().contains("AccessDeniedException"), denied.reason());
        assertEquals(1, registry.failures.size(), "no second attempt after a permanent failure");
    }

    @Test
    void aVersionRaceLostEveryTimeInOneAttemptIsTriedAgainAfterAPause() {
        Digest rival = registry.image("rival").digest();
        AtomicInteger taken = new AtomicInteger();
        registry.afterPut = (tag, digest) -> {
            if (tag.startsWith("10.0-noble-") && !digest.equals(rival) && taken.incrementAndGet() <= 4) {
                registry.tag(REPO, tag, rival); // another publisher wins each of the 4 versions of the first attempt
            }
        };
        ImagePublished published = assertInstanceOf(ImagePublished.class, stage.publish(verified(registry.image("mine"))));

        assertEquals("1.4.0", published.version(), "1.0.0 to 1.3.0 went to the rival in the first attempt");
    }

    @Test
    void aVersionRaceLostInEveryAttemptFailsTheRunTransientExhausted() {
        Digest rival = registry.image("rival").digest();
        registry.afterPut = (tag, digest) -> {
            if (tag.startsWith("10.0-noble-") && !digest.equals(rival)) {
                registry.tag(REPO, tag, rival);
            }
        };
        PipelineFailed failed = assertInstanceOf(PipelineFailed.class, stage.publish(verified(registry.image("mine"))));

        assertEquals(FailureKind.TRANSIENT_EXHAUSTED, failed.kind());
        assertTrue(failed.reason().contains("other publishers kept taking the computed version first"), failed.reason());
        assertEquals(3 * 4, versionTags().size(), "3 attempts of 4 versions each");
    }

    @Test
    void anInterruptWhileWaitingToTryAgainLeavesTheEventForRedeliveryInsteadOfFailingTheRun() throws Exception {
        Digest rival = registry.image("rival").digest();
        registry.afterPut = (tag, digest) -> {
            if (tag.startsWith("10.0-noble-") && !digest.equals(rival)) {
                registry.tag(REPO, tag, rival);
            }
        };
        PublishStage patient = stage(new RetryPolicy(3, Duration.ofSeconds(30), Duration.ofMinutes(1)));
        ImageVerified event = verified(registry.image("mine"));
        AtomicReference<Object> outcome = new AtomicReference<>();
        Thread listener = new Thread(() -> {
            try {
                outcome.set(patient.publish(event));
            } catch (RuntimeException e) {
                outcome.set(e);
            }
        });
        listener.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> versionTags().size() == 4
                && listener.getState() == Thread.State.TIMED_WAITING);
        listener.interrupt();
        listener.join(10_000);

        assertInstanceOf(StopRequested.class, outcome.get(), "no PipelineFailed: " + outcome.get());
        assertEquals(4, versionTags().size(), "no attempt after the interrupt");
    }

    @Test
    void anUnknownTemplateInTheExtraTagsFailsTheRunBeforeAnyVersionIsTaken(@TempDir Path root) throws IOException {
        Path dir = Files.createDirectories(root.resolve(IMAGE));
        Files.writeString(dir.resolve("Dockerfile"), "FROM registry.example.com/dotnet/runtime:10.0\n");
        Files.writeString(dir.resolve("platform-image.yaml"), "target: {repository: " + REPO
                + ", tagPrefix: 10.0-noble, extraTags: [latest, 'build-{buildNumber}']}\n");
        PublishStage withBadTemplate = new PublishStage(new PlatformImageCatalog(root)::scan, registry,
                new PublishSettings(new RetryPolicy(3, Duration.ZERO, Duration.ZERO), 4), Clock.fixed(NOW, ZoneOffset.UTC));

        PipelineFailed failed = assertInstanceOf(PipelineFailed.class, withBadTemplate.publish(verified(registry.image("x"))));
        assertEquals(FailureKind.PERMANENT, failed.kind());
        assertTrue(failed.reason().contains("unknown template {buildNumber}"), failed.reason());
        assertTrue(registry.puts.isEmpty(), "no version taken");
    }

    @Test
    void aVerifiedImageThatIsGoneFailsPermanently() {
        Manifest gone = registry.image("gone");
        registry.images.remove(gone.digest());
        PipelineFailed failed = assertInstanceOf(PipelineFailed.class, stage.publish(verified(gone)));
        assertEquals(FailureKind.PERMANENT, failed.kind());
        assertTrue(failed.reason().contains("no longer exists"), failed.reason());
    }

    @Test
    void twoRunsOfOneImageAtOnceGetTwoVersions() throws Exception {
        CyclicBarrier together = new CyclicBarrier(2);
        ImageVerified a = verified(registry.image("a"));
        ImageVerified b = verified(registry.image("b"));
        var first = CompletableFuture.supplyAsync(() -> awaitThen(together, () -> stage.publish(a)));
        var second = CompletableFuture.supplyAsync(() -> awaitThen(together, () -> stage.publish(b)));
        Set<String> versions = Set.of(((ImagePublished) first.get()).version(), ((ImagePublished) second.get()).version());
        assertEquals(Set.of("1.0.0", "1.1.0"), versions);
    }

    @Test
    void retentionDeletesOldVersionsWithoutTheirOwnTagsAndKeepsThoseOtherTagsName() throws IOException {
        Files.writeString(root.resolve(IMAGE).resolve("platform-image.yaml"), "target: {repository: " + REPO
                + ", tagPrefix: 10.0-noble, extraTags: ['10.0', latest], retention: {keepVersions: 2}}\n");
        Digest first = registry.image("first").digest();
        Digest second = registry.image("second").digest();
        Digest sibling = registry.image("sibling").digest();
        registry.tag(REPO, "10.0-noble-1.0.0", first);
        registry.tag(REPO, "10.0-noble-1.1.0", second);
        registry.tag(REPO, "10.0-noble-1.2.0", registry.image("third").digest());
        registry.tag(REPO, "pinned-by-someone", second);
        registry.tag(REPO, "10.0-noble-chiseled-1.0.0", sibling);

        ImagePublished published = assertInstanceOf(ImagePublished.class, stage.publish(verified(registry.image("new"))));
        assertEquals("1.3.0", published.version());
        assertEquals(List.of("10.0-noble-1.0.0"), registry.deletes, "1.1.0 stays: another tag names its image");
        assertEquals(Set.of("10.0-noble-1.1.0", "10.0-noble-1.2.0", "10.0-noble-1.3.0", "10.0-noble-chiseled-1.0.0"),
                versionTags());
        assertEquals(Optional.of(sibling), registry.tagged(REPO, "10.0-noble-chiseled-1.0.0"), "another image's version");
    }

    @Test
    void aFailedRetentionIsLoggedAndTheRunIsStillPublished() throws IOException {
        Files.writeString(root.resolve(IMAGE).resolve("platform-image.yaml"), "target: {repository: " + REPO
                + ", tagPrefix: 10.0-noble, retention: {keepVersions: 1}}\n");
        registry.tag(REPO, "10.0-noble-1.0.0", registry.image("first").digest());
        registry.deleteFailure = PublishFailure.permanent(PublishFailure.REGISTRY_ERROR, "deletes are not allowed");
        ImagePublished published = assertInstanceOf(ImagePublished.class, stage.publish(verified(registry.image("new"))));
        assertEquals("1.1.0", published.version());
        assertEquals(List.of(), registry.deletes);
        assertEquals(Set.of("10.0-noble-1.0.0", "10.0-noble-1.1.0"), versionTags());
    }

    private Set<String> versionTags() {
        return registry.repositories.get(REPO).keySet().stream().filter(t -> t.startsWith("10.0-noble-"))
                .collect(Collectors.toSet());
    }

    @Test
    void theTestersScanFindingsAreCarriedUnchangedAndNoneStaysNone() {
        ImageVerified event = verified(registry.image("scanned"));
        dev.freshen.events.ScanFindings scan = dev.freshen.events.ScanFindings.complete(java.util.Map.of("HIGH", 2))
                .withDelta("10.0-noble-0.9.0", new dev.freshen.events.ScanDelta(java.util.Map.of("CRITICAL", 1),
                        java.util.Map.of()));
        ImageVerified scanned = new ImageVerified(event.runId(), event.imageId(), 1, event.occurredAt(), event.trigger(),
                event.baseImages(), event.candidate(), event.checks(), event.timings(), scan);
        assertEquals(scan, assertInstanceOf(ImagePublished.class, stage.publish(scanned)).scan());
        assertEquals(null, assertInstanceOf(ImagePublished.class, stage.publish(verified(registry.image("unscanned"))))
                .scan());
    }

    private static FreshenEvent awaitThen(CyclicBarrier barrier, java.util.function.Supplier<FreshenEvent> action) {
        try {
            barrier.await();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return action.get();
    }

    private static ImageVerified withCandidate(ImageVerified event, Manifest image) {
        return new ImageVerified(event.runId(), event.imageId(), event.attempt(), event.occurredAt(), event.trigger(),
                event.baseImages(), FakeTargetRegistry.candidate(image.digest()), event.checks(), event.timings(),
                event.scan());
    }

    private static ImageVerified verified(Manifest image) {
        return new ImageVerified(SampleEvents.runId(), IMAGE, 1, NOW.minusSeconds(5), Trigger.baseImageUpdated(),
                List.of(SampleEvents.BASE), FakeTargetRegistry.candidate(image.digest()), List.of(),
                List.of(new StageTiming(Stage.BUILD, NOW.minusSeconds(60), NOW.minusSeconds(30))));
    }
}
