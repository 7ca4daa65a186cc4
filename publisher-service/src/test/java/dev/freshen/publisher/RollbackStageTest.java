package dev.freshen.publisher;

import dev.freshen.descriptor.PlatformImageCatalog;
import dev.freshen.events.FailureKind;
import dev.freshen.events.ImagePublished;
import dev.freshen.events.ImageRolledBack;
import dev.freshen.events.ImageVerified;
import dev.freshen.events.PipelineFailed;
import dev.freshen.events.RollbackRequested;
import dev.freshen.events.RunIds;
import dev.freshen.events.Stage;
import dev.freshen.events.Trigger;
import dev.freshen.events.image.Digest;
import dev.freshen.registry.Manifest;
import dev.freshen.retry.RetryPolicy;
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
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Moving an image's moving tags back, on the in-memory registry; and the next publish moving them forward again. */
class RollbackStageTest {

    private static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");
    private static final String IMAGE = "fixture/app";
    private static final String REPO = "platform/app";

    private FakeTargetRegistry registry;
    private PublishStage publishing;
    private RollbackStage stage;
    private Manifest v1;
    private Manifest v2;

    @BeforeEach
    void setUp(@TempDir Path root) throws IOException {
        Path dir = Files.createDirectories(root.resolve(IMAGE));
        Files.writeString(dir.resolve("Dockerfile"), "FROM registry.example.com/dotnet/runtime:10.0\n");
        Files.writeString(dir.resolve("platform-image.yaml"), "target: {repository: " + REPO
                + ", tagPrefix: 10.0-noble, extraTags: ['10.0', latest, 'run-{runId}', 'nightly-{date}']}\n");
        registry = new FakeTargetRegistry();
        var catalog = new PlatformImageCatalog(root);
        Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
        publishing = new PublishStage(catalog::scan, registry, new PublishSettings(new RetryPolicy(3, Duration.ZERO,
                Duration.ZERO), 4), clock);
        stage = new RollbackStage(catalog::scan, registry, publishing, clock);
        v1 = publish("one");
        v2 = publish("two");
        registry.puts.clear();
    }

    private Manifest publish(String name) {
        Manifest image = registry.image(name);
        ImageVerified verified = SampleEvents.imageVerified();
        verified = new ImageVerified(verified.runId() + name, IMAGE, 1, NOW, verified.trigger(), verified.baseImages(),
                FakeTargetRegistry.candidate(image.digest()), verified.checks(), verified.timings());
        assertInstanceOf(ImagePublished.class, publishing.publish(verified));
        return image;
    }

    private static RollbackRequested request(String from, String to) {
        return new RollbackRequested(RunIds.rollback(), IMAGE, 1, NOW, from, to, "1.1.0 breaks TLS", "api:ops");
    }

    private Optional<Digest> tagged(String tag) {
        return registry.tagged(REPO, tag);
    }

    @Test
    void theMovingTagsWithoutTemplatesGoBackToTheVersionsDigestAndNothingElseMoves() {
        assertEquals(Optional.of(v2.digest()), tagged("latest"));
        String nightly = registry.repositories.get(REPO).keySet().stream().filter(t -> t.startsWith("nightly-"))
                .findFirst().orElseThrow();
        RollbackRequested request = request("10.0-noble-1.1.0", "10.0-noble-1.0.0");

        ImageRolledBack back = assertInstanceOf(ImageRolledBack.class, stage.rollback(request));

        assertEquals(List.of("10.0", "latest"), back.tags());
        assertEquals(List.of("10.0", "latest"), registry.puts, "only the moving tags without a template are put");
        assertEquals(Optional.of(v1.digest()), tagged("10.0"));
        assertEquals(Optional.of(v1.digest()), tagged("latest"));
        assertEquals(Optional.of(v2.digest()), tagged(nightly), "a dated tag names its day's image and stays");
        assertEquals(Optional.of(v2.digest()), tagged("10.0-noble-1.1.0"), "version tags never move");
        assertEquals(FakeTargetRegistry.HOST + "/" + REPO + ":10.0-noble-1.1.0@" + v2.digest(), back.from().toString());
        assertEquals(FakeTargetRegistry.HOST + "/" + REPO + ":10.0-noble-1.0.0@" + v1.digest(), back.to().toString());
        assertEquals("10.0-noble-1.1.0", back.newestVersion());
        assertTrue(back.rolledBack());
        assertEquals(request.runId(), back.runId());
        assertEquals("api:ops", back.requestedBy());
        assertEquals("1.1.0 breaks TLS", back.reason());
    }

    @Test
    void aRedeliveredRequestMovesNothingMoreAndSaysTheSame() {
        RollbackRequested request = request("10.0-noble-1.1.0", "10.0-noble-1.0.0");
        ImageRolledBack first = assertInstanceOf(ImageRolledBack.class, stage.rollback(request));
        ImageRolledBack again = assertInstanceOf(ImageRolledBack.class, stage.rollback(request));
        assertEquals(Optional.of(v1.digest()), tagged("latest"), "not a second step back");
        assertEquals(first.from(), again.from());
        assertEquals(first.to(), again.to());
    }

    @Test
    void theNextPublishMovesTheTagsForwardAgain() {
        assertInstanceOf(ImageRolledBack.class, stage.rollback(request("10.0-noble-1.1.0", "10.0-noble-1.0.0")));
        Manifest v3 = publish("three");
        assertEquals(Optional.of(v3.digest()), tagged("latest"), "1.2.0 is the highest version: the tags move to it");
        assertEquals(Optional.of(v3.digest()), tagged("10.0"));
        assertEquals(Optional.of(v3.digest()), tagged("10.0-noble-1.2.0"));
    }

    @Test
    void rollingForwardToTheNewestVersionUndoesTheRollback() {
        stage.rollback(request("10.0-noble-1.1.0", "10.0-noble-1.0.0"));
        ImageRolledBack forward = assertInstanceOf(ImageRolledBack.class,
                stage.rollback(request("10.0-noble-1.0.0", "10.0-noble-1.1.0")));
        assertEquals(Optional.of(v2.digest()), tagged("latest"));
        assertTrue(!forward.rolledBack());
    }

    @Test
    void aVersionThatIsNotPublishedFailsWithAHint() {
        PipelineFailed failed = assertInstanceOf(PipelineFailed.class,
                stage.rollback(request("10.0-noble-1.1.0", "10.0-noble-0.9.0")));
        assertEquals(RollbackStage.VERSION_MISSING, failed.code());
        assertEquals(Stage.PUBLISH, failed.stage());
        assertEquals(FailureKind.PERMANENT, failed.kind());
        assertEquals(Trigger.Kind.ROLLBACK, failed.trigger().kind());
        assertEquals("cannot roll back fixture/app to 10.0-noble-0.9.0: registry.example.com/platform/app has no such "
                + "version tag of prefix 10.0-noble (versions: 10.0-noble-1.1.0, 10.0-noble-1.0.0)", failed.reason());
        assertTrue(failed.hint().contains("freshen rollback fixture/app --to"), failed.hint());
        assertTrue(registry.puts.isEmpty());
        assertEquals(Optional.of(v2.digest()), tagged("latest"));
    }

    @Test
    void anImmutableMovingTagFailsNamingTheTagAndWhatMovedAlready() {
        registry.immutable = true;
        registry.beforePut = (tag, digest) -> registry.immutable = tag.equals("latest");
        PipelineFailed failed = assertInstanceOf(PipelineFailed.class,
                stage.rollback(request("10.0-noble-1.1.0", "10.0-noble-1.0.0")));
        assertEquals(RollbackStage.TAG_CONFLICT, failed.code());
        assertTrue(failed.reason().startsWith("cannot move registry.example.com/platform/app:latest back to "
                + "10.0-noble-1.0.0 (moved already: 10.0): "), failed.reason());
        assertTrue(failed.hint().contains("mutable"), failed.hint());
    }

    @Test
    void aDescriptorWithoutMovingTagsHasNothingToRollBack(@TempDir Path root) throws IOException {
        Path dir = Files.createDirectories(root.resolve(IMAGE));
        Files.writeString(dir.resolve("Dockerfile"), "FROM registry.example.com/dotnet/runtime:10.0\n");
        Files.writeString(dir.resolve("platform-image.yaml"), "target: {repository: " + REPO
                + ", tagPrefix: 10.0-noble, extraTags: ['run-{runId}', 'v{version}']}\n");
        var catalog = new PlatformImageCatalog(root);
        PipelineFailed failed = assertInstanceOf(PipelineFailed.class, new RollbackStage(catalog::scan, registry,
                publishing, Clock.systemUTC()).rollback(request(null, "10.0-noble-1.0.0")));
        assertEquals(RollbackStage.NO_MOVING_TAGS, failed.code());
    }

    @Test
    void anUnknownImageFailsPermanently() {
        PipelineFailed failed = assertInstanceOf(PipelineFailed.class, stage.rollback(new RollbackRequested(
                RunIds.rollback(), "fixture/gone", 1, NOW, null, "10.0-noble-1.0.0", null, "api:ops")));
        assertEquals(PublishProblems.UNKNOWN_IMAGE, failed.code());
    }

    @Test
    void aRegistryFailureEndsTheRollbackWithItsCodeAndARollbackHint() {
        registry.failures.add(PublishFailure.transientFailure(PublishFailure.REGISTRY_ERROR,
                "cannot list the tags of registry.example.com/platform/app: 503", null));
        PipelineFailed failed = assertInstanceOf(PipelineFailed.class,
                stage.rollback(request("10.0-noble-1.1.0", "10.0-noble-1.0.0")));
        assertEquals(PublishFailure.REGISTRY_ERROR, failed.code());
        assertEquals(FailureKind.TRANSIENT_EXHAUSTED, failed.kind());
        assertTrue(failed.hint().endsWith("then roll back again."), failed.hint());
    }
}
