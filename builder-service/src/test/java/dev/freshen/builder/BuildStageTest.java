package dev.freshen.builder;

import dev.freshen.descriptor.PlatformImageCatalog;
import dev.freshen.descriptor.definition.Definition;
import dev.freshen.docker.BuildFailure;
import dev.freshen.docker.BuildLog;
import dev.freshen.docker.BuildSpec;
import dev.freshen.docker.ImageBuilder;
import dev.freshen.events.BaseImage;
import dev.freshen.events.FailureKind;
import dev.freshen.events.FreshenEvent;
import dev.freshen.events.ImageBuilt;
import dev.freshen.events.ImageLabels;
import dev.freshen.events.PipelineFailed;
import dev.freshen.events.Trigger;
import dev.freshen.events.image.Digest;
import dev.freshen.events.image.ImageReference;
import dev.freshen.events.image.Platform;
import dev.freshen.registry.RegistryException;
import dev.freshen.retry.RetryPolicy;
import dev.freshen.retry.StopRequested;
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
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The build stage with fakes: its retry rule (Docker engine trouble is retried here, registry failures are not), the
 * labels it writes, and its check of the run's definition against its own.
 */
class BuildStageTest {

    private static final Instant NOW = Instant.parse("2026-11-30T10:00:00Z");
    private static final String IMAGE = "fixture/app";
    private static final ImageReference BASE = ImageReference.parse("127.0.0.1:5000/dotnet/runtime:10.0");
    private static final Digest BASE_DIGEST = Digest.parse("sha256:" + "a".repeat(64));
    private static final Digest CANDIDATE = Digest.parse("sha256:" + "c".repeat(64));

    /** Builds succeed unless failures are queued; candidates are looked up and pushed in memory. */
    private final class FakeEngine implements ImageBuilder, CandidateStore {
        final List<RuntimeException> buildFailures = Collections.synchronizedList(new ArrayList<>());
        final List<RuntimeException> lookupFailures = Collections.synchronizedList(new ArrayList<>());
        final AtomicInteger builds = new AtomicInteger();
        final AtomicReference<BuildSpec> lastSpec = new AtomicReference<>();
        final AtomicInteger lookups = new AtomicInteger();
        final List<String> pushes = Collections.synchronizedList(new ArrayList<>());
        final List<String> publishedLookups = Collections.synchronizedList(new ArrayList<>());
        final List<Platform> platformLookups = Collections.synchronizedList(new ArrayList<>());
        Map<ImageReference, Digest> published = Map.of();
        RuntimeException publishedFailure;

        @Override
        public String name() {
            return "fake";
        }

        @Override
        public String build(BuildSpec spec, BuildLog log) {
            builds.incrementAndGet();
            lastSpec.set(spec);
            if (!buildFailures.isEmpty()) {
                throw buildFailures.remove(0);
            }
            return "sha256:" + "b".repeat(64);
        }

        Optional<Digest> digest(ImageReference ref) {
            lookups.incrementAndGet();
            if (!lookupFailures.isEmpty()) {
                throw lookupFailures.remove(0);
            }
            return ref.equals(BASE) ? Optional.of(BASE_DIGEST) : Optional.empty();
        }

        @Override
        public Optional<Digest> platformDigest(ImageReference ref, Platform platform) {
            platformLookups.add(platform);
            return digest(ref);
        }

        @Override
        public Digest pushAndRemove(String localTag, String repository, String tag) {
            pushes.add(repository + ":" + tag);
            return CANDIDATE;
        }

        @Override
        public void removeLocal(String localTag) {
        }

        @Override
        public Map<ImageReference, Digest> publishedBases(String registry, String repository, String tagPrefix,
                                                          Platform platform) {
            publishedLookups.add(registry + "/" + repository + ":" + tagPrefix);
            if (publishedFailure != null) {
                throw publishedFailure;
            }
            return published;
        }
    }

    private final FakeEngine engine = new FakeEngine();
    private Path root;

    @BeforeEach
    void setUp(@TempDir Path root) throws IOException {
        this.root = root;
        Path dir = Files.createDirectories(root.resolve(IMAGE));
        Files.writeString(dir.resolve("Dockerfile"), "FROM " + BASE + "\n");
        Files.writeString(dir.resolve("platform-image.yaml"), "target: {repository: platform/app, tagPrefix: 10.0}\n");
    }

    private BuildStage stage(RetryPolicy retries) {
        return stage(retries, new BuildOutcomes());
    }

    private BuildStage stage(RetryPolicy retries, BuildOutcomes outcomes) {
        return new BuildStage(PlatformImageCatalog.of(root)::scan, engine, engine, engine, dir -> Optional.empty(),
                new BuildSettings("registry.example.com", dev.freshen.descriptor.Staging.defaults(), Duration.ofMinutes(1), 40,
                        retries, Platform.LINUX_AMD64), Clock.fixed(NOW, ZoneOffset.UTC),
                dev.freshen.registry.CredentialsProvider.NONE, outcomes);
    }

    @Test
    void theCandidateIsPushedToTheStagingRepositoryAsCandidateRunId() {
        ImageBuilt built = assertInstanceOf(ImageBuilt.class, stage(RetryPolicy.once()).build(request()));
        assertEquals("registry.example.com/platform/app-staging", built.candidate().name());
        assertEquals(List.of("registry.example.com/platform/app-staging:candidate-run-1"), engine.pushes);
    }

    @Test
    void aRequestWhoseRunWasBuiltBeforeIsAnsweredWithThatOutcomeWithoutBuildingOrLookingAnythingUp() {
        BuildOutcomes outcomes = new BuildOutcomes();
        ImageBuilt earlier = assertInstanceOf(ImageBuilt.class, stage(RetryPolicy.once(), new BuildOutcomes()).build(request()));
        outcomes.remember(earlier); // as read from freshen.image-built after a restart
        engine.builds.set(0);
        engine.pushes.clear();

        assertEquals(earlier, stage(RetryPolicy.once(), outcomes).build(request()));
        assertEquals(0, engine.builds.get());
        assertTrue(engine.pushes.isEmpty());
    }

    @Test
    void theStageRemembersItsOwnFinalOutcomesButBuildsAgainAfterATransientFailure() {
        BuildOutcomes outcomes = new BuildOutcomes();
        BuildStage stage = stage(RetryPolicy.once(), outcomes);
        engine.buildFailures.add(BuildFailure.transientFailure(BuildFailure.ENGINE_ERROR, "cannot reach the Docker engine: connection refused", null));
        assertInstanceOf(PipelineFailed.class, stage.build(request()));
        ImageBuilt built = assertInstanceOf(ImageBuilt.class, stage.build(request()));
        assertEquals(built, stage.build(request()));
        assertEquals(2, engine.builds.get(), "the transient failure was built again, the success was not");
    }

    @Test
    void theImageIsLabelledWithItsDefinitionAndItsFiles() {
        assertInstanceOf(ImageBuilt.class, stage(RetryPolicy.once()).build(request()));

        Definition definition = PlatformImageCatalog.of(root).scan(IMAGE).image(IMAGE).orElseThrow().definition();
        Map<String, String> labels = engine.lastSpec.get().labels();
        assertTrue(definition.hash().matches("sha256:[0-9a-f]{64}"), definition.hash());
        assertEquals(definition.hash(), labels.get(ImageLabels.DEFINITION));
        assertEquals(definition.filesLabel().orElseThrow(), labels.get(ImageLabels.DEFINITION_FILES));
        assertEquals(List.of("D Dockerfile", "f Dockerfile", "s platform-image.yaml"), Definition.parseFilesLabel(
                labels.get(ImageLabels.DEFINITION_FILES)).orElseThrow().stream()
                .map(e -> e.kind().letter() + " " + e.path()).toList(), "the Dockerfile as the build's and as a file of the context");
    }

    @Test
    void aRunStartedForTheSameDefinitionBuilds() {
        String own = PlatformImageCatalog.of(root).scan(IMAGE).image(IMAGE).orElseThrow().definition().hash();
        assertInstanceOf(ImageBuilt.class, stage(RetryPolicy.once()).build(request(own)));
        assertEquals(1, engine.builds.get());
    }

    @Test
    void aRunStartedForAnotherDefinitionFailsTransientlyBeforeBuildingAndBuildsOnceTheFoldersAgree() throws IOException {
        String watchers = PlatformImageCatalog.of(root).scan(IMAGE).image(IMAGE).orElseThrow().definition().hash();
        Files.writeString(root.resolve(IMAGE).resolve("Dockerfile"), "FROM " + BASE + "\nUSER app\n"); // the builder's copy moved on
        BuildStage stage = stage(RetryPolicy.once());

        PipelineFailed failed = assertInstanceOf(PipelineFailed.class, stage.build(request(watchers)));

        assertEquals(FailureKind.TRANSIENT_EXHAUSTED, failed.kind());
        assertEquals(BuildProblems.DEFINITION_MISMATCH, failed.code());
        assertTrue(failed.reason().contains(watchers), failed.reason());
        assertTrue(failed.hint().contains("roll out the same platform-images"), failed.hint());
        assertTrue(failed.hint().contains("freshen force-update " + IMAGE), failed.hint());
        assertEquals(0, engine.builds.get(), "nothing was built");

        Files.writeString(root.resolve(IMAGE).resolve("Dockerfile"), "FROM " + BASE + "\n"); // the copies agree again
        assertInstanceOf(ImageBuilt.class, stage.build(request(watchers)), "the redelivered request builds");
    }

    @Test
    void aRequestWithoutADefinitionIsNotChecked() throws IOException {
        Files.writeString(root.resolve(IMAGE).resolve("Dockerfile"), "FROM " + BASE + "\nUSER app\n");
        assertInstanceOf(ImageBuilt.class, stage(RetryPolicy.once()).build(request(null)));
    }

    private static BuildRequest request(String definition) {
        return new BuildRequest("run-1", IMAGE, Trigger.baseImageUpdated(), List.of(new BaseImage(BASE, BASE_DIGEST, null)),
                NOW, definition);
    }

    private static BuildRequest request() {
        return new BuildRequest("run-1", IMAGE, Trigger.baseImageUpdated(), List.of(new BaseImage(BASE, BASE_DIGEST, null)), NOW);
    }

    @Test
    void aBaseWithTagAndDigestIsPinnedAgainToTheRunsDigestAndNothingElseChanges() throws IOException {
        String written = "# pinned by Renovate\nFROM " + BASE + "@sha256:" + "0".repeat(64) + " AS final\nUSER app\n";
        Files.writeString(root.resolve(IMAGE).resolve("Dockerfile"), written);

        ImageBuilt built = assertInstanceOf(ImageBuilt.class, stage(new RetryPolicy(1, Duration.ZERO, Duration.ZERO)).build(request()));

        assertEquals(List.of(new BaseImage(BASE, BASE_DIGEST, null).withPinnedInDockerfile(Digest.parse("sha256:" + "0".repeat(64)))),
                built.baseImages(), "the digest the Dockerfile was pinned to goes with the run (the card shows it)");
        assertEquals("# pinned by Renovate\nFROM " + BASE + "@" + BASE_DIGEST + " AS final\nUSER app\n",
                engine.lastSpec.get().dockerfile());
    }

    @Test
    void buildArgsDecideTheBaseThatIsPinned() throws IOException {
        Files.writeString(root.resolve(IMAGE).resolve("Dockerfile"), "ARG TAG=9.0\nFROM 127.0.0.1:5000/dotnet/runtime:${TAG}\n");
        Files.writeString(root.resolve(IMAGE).resolve("platform-image.yaml"),
                "target: {repository: platform/app, tagPrefix: 10.0}\nbuild: {args: {TAG: \"10.0\"}}\n");

        assertInstanceOf(ImageBuilt.class, stage(new RetryPolicy(1, Duration.ZERO, Duration.ZERO)).build(request()));

        assertEquals("ARG TAG=9.0\nFROM " + BASE + "@" + BASE_DIGEST + "\n", engine.lastSpec.get().dockerfile());
        assertEquals(Map.of("TAG", "10.0"), engine.lastSpec.get().buildArgs());
    }

    @Test
    void aDockerfileThatCannotBePinnedIsAPermanentFailureNotAnException() throws IOException {
        PlatformImageCatalog catalog = PlatformImageCatalog.of(root);
        PlatformImageCatalog.Scan scan = catalog.scan();
        // the file changes on disk after the catalog read it
        Files.writeString(root.resolve(IMAGE).resolve("Dockerfile"), "FROM " + BASE + "\nRUN <<EOF\nnever ends\n");
        BuildStage stage = new BuildStage(id -> scan, engine, engine, engine, dir -> Optional.empty(),
                new BuildSettings("registry.example.com", dev.freshen.descriptor.Staging.defaults(), Duration.ofMinutes(1), 40,
                        new RetryPolicy(1, Duration.ZERO, Duration.ZERO), Platform.LINUX_AMD64), Clock.fixed(NOW, ZoneOffset.UTC));

        PipelineFailed failed = assertInstanceOf(PipelineFailed.class, stage.build(request()));

        assertEquals(FailureKind.PERMANENT, failed.kind());
        assertEquals(BuildProblems.DOCKERFILE_INVALID, failed.code());
        assertTrue(failed.reason().contains("fixture/app/Dockerfile") && failed.reason().contains("unterminated heredoc"),
                failed.reason());
        assertEquals(0, engine.builds.get());
    }

    @Test
    void aSyntaxFrontendTheEngineCannotFetchIsSaidSoNotBlamedOnAnInstruction() throws IOException {
        Files.writeString(root.resolve(IMAGE).resolve("Dockerfile"), "# syntax=docker/dockerfile:1\nFROM " + BASE
                + "\nCOPY <<EOT /etc/motd\nfrom the platform team\nEOT\n");
        String engine = "build failed: failed to solve with frontend dockerfile.v0: failed to solve with frontend gateway.v0: "
                + "failed to do request: Head \"https://registry-1.docker.io/v2/docker/dockerfile/manifests/1\": dial tcp: "
                + "lookup registry-1.docker.io: no such host";
        this.engine.buildFailures.add(BuildFailure.permanent(BuildFailure.STEP_FAILED, engine));

        PipelineFailed failed = assertInstanceOf(PipelineFailed.class, stage(new RetryPolicy(3, Duration.ZERO, Duration.ZERO)).build(request()));

        assertEquals(FailureKind.PERMANENT, failed.kind());
        assertEquals(BuildProblems.FRONTEND_UNAVAILABLE, failed.code());
        assertTrue(failed.reason().startsWith("the Docker engine cannot fetch the Dockerfile frontend docker/dockerfile:1 "
                + "that the '# syntax=' line of fixture/app/Dockerfile names: build failed: "), failed.reason());
        assertTrue(failed.hint().startsWith("Let the builder's Docker engine pull the frontend"), failed.hint());
        assertEquals(1, this.engine.builds.get(), "not retried");
    }

    @Test
    void aStepThatFailsUnderASyntaxFrontendIsStillTheInstructionsFault() throws IOException {
        Files.writeString(root.resolve(IMAGE).resolve("Dockerfile"), "# syntax=docker/dockerfile:1\nFROM " + BASE + "\nRUN false\n");
        engine.buildFailures.add(BuildFailure.permanent(BuildFailure.STEP_FAILED, "build failed at step RUN false: failed to "
                + "solve with frontend gateway.v0: process \"/bin/sh -c false\" did not complete successfully: exit code: 1"));

        PipelineFailed failed = assertInstanceOf(PipelineFailed.class, stage(new RetryPolicy(3, Duration.ZERO, Duration.ZERO)).build(request()));

        assertEquals(BuildFailure.STEP_FAILED, failed.code());
    }

    @Test
    void dockerEngineTroubleIsRetriedUntilTheBuildWorks() {
        engine.buildFailures.add(BuildFailure.transientFailure(BuildFailure.ENGINE_ERROR, "cannot reach the Docker engine: connection refused", null));
        engine.buildFailures.add(BuildFailure.transientFailure(BuildFailure.ENGINE_ERROR, "cannot reach the Docker engine: connection refused", null));

        ImageBuilt built = assertInstanceOf(ImageBuilt.class, stage(new RetryPolicy(5, Duration.ZERO, Duration.ZERO)).build(request()));

        assertEquals(CANDIDATE, built.candidate().digest());
        assertEquals(3, engine.builds.get());
    }

    @Test
    void afterTheLastAttemptTheRunFailsTransientExhausted() {
        for (int i = 0; i < 3; i++) {
            engine.buildFailures.add(BuildFailure.transientFailure(BuildFailure.ENGINE_ERROR, "cannot reach the Docker engine: connection refused", null));
        }
        PipelineFailed failed = assertInstanceOf(PipelineFailed.class,
                stage(new RetryPolicy(3, Duration.ZERO, Duration.ZERO)).build(request()));
        assertEquals(FailureKind.TRANSIENT_EXHAUSTED, failed.kind());
        assertEquals(3, engine.builds.get());
        assertEquals(BuildFailure.ENGINE_ERROR, failed.code(), "the failure's problem code reaches the event");
        assertTrue(failed.hint().startsWith("Check the builder's Docker engine"), failed.hint());
    }

    @Test
    void aRegistryFailureIsNotRetriedAgainHereTheRegistryClientDidThat() {
        RegistryException registry = new RegistryException("HEAD https://mcr.example.com/v2/dotnet/runtime/manifests/"
                + "10.0 failed: HTTP 503 (gave up after 4 attempts)", 503, true, null);
        engine.lookupFailures.add(BuildFailure.transientFailure(BuildFailure.REGISTRY_ERROR, "registry error: " + registry.getMessage(), registry));
        BuildRequest forced = new BuildRequest("run-1", IMAGE, Trigger.baseImageUpdated(), List.of(), NOW);

        PipelineFailed failed = assertInstanceOf(PipelineFailed.class,
                stage(new RetryPolicy(5, Duration.ZERO, Duration.ZERO)).build(forced));

        assertEquals(FailureKind.TRANSIENT_EXHAUSTED, failed.kind());
        assertTrue(failed.reason().contains("gave up after 4 attempts"), failed.reason());
        assertEquals(1, engine.lookups.get(), "one lookup: no second attempt of the build stage");
        assertEquals(0, engine.builds.get());
    }

    @Test
    void anInterruptWhileWaitingToRetryLeavesTheRequestForRedeliveryInsteadOfFailingTheRun() throws Exception {
        engine.buildFailures.add(BuildFailure.transientFailure(BuildFailure.ENGINE_ERROR, "cannot reach the Docker engine: connection refused", null));
        BuildStage patient = stage(new RetryPolicy(5, Duration.ofSeconds(30), Duration.ofMinutes(2)));
        AtomicReference<Object> outcome = new AtomicReference<>();
        Thread listener = new Thread(() -> {
            try {
                FreshenEvent event = patient.build(request());
                outcome.set(event);
            } catch (RuntimeException e) {
                outcome.set(e);
            }
        });
        listener.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> engine.builds.get() == 1
                && listener.getState() == Thread.State.TIMED_WAITING);
        listener.interrupt();
        listener.join(10_000);

        StopRequested stop = assertInstanceOf(StopRequested.class, outcome.get(), "no PipelineFailed: " + outcome.get());
        assertTrue(stop.getMessage().contains("build of run run-1 (" + IMAGE + ")"), stop.getMessage());
        assertEquals(1, engine.builds.get(), "no attempt after the interrupt");
    }

    @Test
    void aForcedRunTakesThePreviousDigestsFromTheNewestPublishedVersion() {
        Digest before = Digest.parse("sha256:" + "9".repeat(64));
        engine.published = Map.of(BASE, before);
        BuildRequest forced = new BuildRequest("f-run-1", IMAGE, Trigger.forced("CVE fix", "api:ci"), List.of(), NOW);

        ImageBuilt built = assertInstanceOf(ImageBuilt.class, stage(new RetryPolicy(1, Duration.ZERO, Duration.ZERO)).build(forced));

        assertEquals(List.of(new BaseImage(BASE, BASE_DIGEST, before, Platform.LINUX_AMD64)), built.baseImages());
        assertEquals(List.of("registry.example.com/platform/app:10.0"), engine.publishedLookups);
        assertEquals(List.of(Platform.LINUX_AMD64), engine.platformLookups);
        assertEquals("linux/amd64", engine.lastSpec.get().platform());
    }

    @Test
    void aForcedRunOfAnImageForAnotherPlatformResolvesAndBuildsForThatPlatform() throws IOException {
        Files.writeString(root.resolve(IMAGE).resolve("platform-image.yaml"),
                "target: {repository: platform/app, tagPrefix: 10.0}\nplatforms: [linux/arm64/v8]\n");
        BuildRequest forced = new BuildRequest("f-run-3", IMAGE, Trigger.forced(null, "cli:bob"), List.of(), NOW);

        ImageBuilt built = assertInstanceOf(ImageBuilt.class, stage(new RetryPolicy(1, Duration.ZERO, Duration.ZERO)).build(forced));

        Platform arm64 = Platform.parse("linux/arm64");
        assertEquals(List.of(arm64), engine.platformLookups, "the base is resolved for the descriptor's platform");
        assertEquals(arm64, built.baseImages().get(0).platform());
        assertEquals("linux/arm64", engine.lastSpec.get().platform(), "and built for it (--platform)");
    }

    @Test
    void aForcedRunWhosePublishedVersionCannotBeReadBuildsWithThePreviousDigestsUnknown() {
        engine.publishedFailure = new RegistryException("GET http://registry.example.com/v2/platform/app/tags/list failed: "
                + "HTTP 401", 401, false, null);
        BuildRequest forced = new BuildRequest("f-run-2", IMAGE, Trigger.forced(null, "cli:bob"), List.of(), NOW);

        ImageBuilt built = assertInstanceOf(ImageBuilt.class, stage(new RetryPolicy(1, Duration.ZERO, Duration.ZERO)).build(forced));

        assertEquals(List.of(new BaseImage(BASE, BASE_DIGEST, null, Platform.LINUX_AMD64)), built.baseImages());
    }

    @Test
    void aBaseUpdateKeepsTheWatchersPreviousDigestsAndReadsNothingMore() {
        assertInstanceOf(ImageBuilt.class, stage(new RetryPolicy(1, Duration.ZERO, Duration.ZERO)).build(request()));
        assertEquals(List.of(), engine.publishedLookups);
    }
}
