package dev.freshen.builder;

import dev.freshen.descriptor.PlatformImageCatalog;
import dev.freshen.descriptor.definition.Definition;
import dev.freshen.docker.BuildFailure;
import dev.freshen.docker.BuildLog;
import dev.freshen.docker.BuildSpec;
import dev.freshen.docker.ImageBuilder;
import dev.freshen.docker.EnginePlatforms;
import dev.freshen.events.BaseImage;
import dev.freshen.events.BasePlatform;
import dev.freshen.events.EventJson;
import dev.freshen.events.FailureKind;
import dev.freshen.events.FreshenEvent;
import dev.freshen.events.ImageBuilt;
import dev.freshen.events.ImageLabels;
import dev.freshen.events.PipelineFailed;
import dev.freshen.events.Trigger;
import dev.freshen.events.image.Digest;
import dev.freshen.events.image.ImageReference;
import dev.freshen.events.image.Platform;
import dev.freshen.events.image.PlatformDigest;
import dev.freshen.registry.ImageConfig;
import dev.freshen.registry.ImageIndexes;
import dev.freshen.registry.Manifest;
import dev.freshen.registry.MediaTypes;
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
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The build stage with fakes: its retry rule (Docker engine trouble is retried here, registry failures are not), the
 * labels it writes, its check of the run's definition against its own, and the builds of a multi-platform image (one
 * per platform, then the index).
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
        final List<BuildSpec> specs = Collections.synchronizedList(new ArrayList<>());
        /** What happened, in order: "probe linux/arm64", "build linux/arm64", "push <tag>", "index <tag>". */
        final List<String> steps = Collections.synchronizedList(new ArrayList<>());
        final Map<Digest, Platform> children = new HashMap<>();
        final Map<Platform, Platform> builtInstead = new HashMap<>();
        final Map<Platform, Map<ImageReference, Digest>> platformDigests = new HashMap<>();
        final Map<Platform, Map<ImageReference, Digest>> publishedByPlatform = new HashMap<>();
        List<ImageIndexes.Entry> indexEntries;
        Map<String, String> indexAnnotations;
        final AtomicInteger lookups = new AtomicInteger();
        final List<String> pushes = Collections.synchronizedList(new ArrayList<>());
        final List<String> deleted = Collections.synchronizedList(new ArrayList<>());
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
            specs.add(spec);
            steps.add("build " + spec.platform());
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
            Map<ImageReference, Digest> own = platformDigests.get(platform);
            return own != null ? Optional.ofNullable(own.get(ref)) : digest(ref);
        }

        @Override
        public Manifest pushPlatform(String localTag, String repository, String tag) {
            steps.add("push " + tag);
            pushes.add(repository + ":" + tag);
            Manifest child = Manifest.of(MediaTypes.DOCKER_MANIFEST, ("{\"child\":\"" + tag + "\"}").getBytes(StandardCharsets.UTF_8));
            Platform platform = Platform.parse(tag.substring(tag.indexOf("-linux-") + 1).replace('-', '/'));
            children.put(child.digest(), builtInstead.getOrDefault(platform, platform));
            return child;
        }

        @Override
        public ImageConfig childConfig(ImageReference child) {
            Platform platform = children.get(child.digest());
            return new ImageConfig(Map.of(), "", List.of(), child.digest(), platform.os(), platform.architecture(),
                    platform.variant());
        }

        @Override
        public Digest putIndex(String repository, String tag, List<ImageIndexes.Entry> entries, Map<String, String> annotations) {
            steps.add("index " + tag);
            pushes.add(repository + ":" + tag);
            indexEntries = entries;
            indexAnnotations = annotations;
            return ImageIndexes.write(entries, annotations).digest();
        }

        @Override
        public Digest pushAndRemove(String localTag, String repository, String tag) {
            pushes.add(repository + ":" + tag);
            return CANDIDATE;
        }

        @Override
        public void deleteStaged(String repository, Digest digest) {
            deleted.add(repository + "@" + digest);
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
            return publishedByPlatform.getOrDefault(platform, published);
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

    // ---- several platforms ------------------------------------------------------------------------------------

    private static final Platform ARM64 = Platform.parse("linux/arm64");
    private static final Digest BASE_ARM64 = Digest.parse("sha256:" + "e".repeat(64));
    private static final ImageReference SDK = ImageReference.parse("127.0.0.1:5000/dotnet/sdk:10.0");
    private static final Digest SDK_AMD64 = Digest.parse("sha256:" + "5".repeat(64));
    private static final Digest SDK_ARM64 = Digest.parse("sha256:" + "6".repeat(64));

    /** Probes fail for the platforms in {@link #unsupported}; the engine is amd64. */
    private final List<Platform> unsupported = new ArrayList<>();
    private final EnginePlatforms enginePlatforms = new EnginePlatforms(() -> Platform.LINUX_AMD64, (platform, program) -> {
        engine.steps.add("probe " + platform);
        return unsupported.contains(platform) ? Optional.of("a probe build with RUN for it failed: exec /freshen-probe: "
                + "exec format error") : Optional.empty();
    });

    /** The builders of the stage by name, so a test sees which one built. */
    private final List<String> builders = Collections.synchronizedList(new ArrayList<>());

    private ImageBuilder named(String name) {
        return new ImageBuilder() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public String build(BuildSpec spec, BuildLog log) {
                builders.add(name);
                return engine.build(spec, log);
            }
        };
    }

    private BuildStage platformStage() {
        return new BuildStage(PlatformImageCatalog.of(root)::scan, engine, named("engine-api"), named("buildkit"),
                dir -> Optional.empty(), new BuildSettings("registry.example.com", dev.freshen.descriptor.Staging.defaults(),
                Duration.ofMinutes(1), 40, RetryPolicy.once(), Platform.LINUX_AMD64), Clock.fixed(NOW, ZoneOffset.UTC),
                dev.freshen.registry.CredentialsProvider.NONE, new BuildOutcomes(), enginePlatforms);
    }

    private void twoPlatforms(String dockerfile) throws IOException {
        Files.writeString(root.resolve(IMAGE).resolve("Dockerfile"), dockerfile);
        Files.writeString(root.resolve(IMAGE).resolve("platform-image.yaml"),
                "target: {repository: platform/app, tagPrefix: 10.0}\nplatforms: [linux/amd64, linux/arm64]\n");
    }

    /** The watcher's request for a two-platform image: the base resolved for both platforms. */
    private static BuildRequest twoPlatformRequest() {
        BaseImage base = new BaseImage(BASE, BASE_DIGEST, null, Platform.LINUX_AMD64).withPlatforms(List.of(
                new BasePlatform(Platform.LINUX_AMD64, BASE_DIGEST, null), new BasePlatform(ARM64, BASE_ARM64, null)));
        return new BuildRequest("run-1", IMAGE, Trigger.baseImageUpdated(), List.of(base), NOW);
    }

    @Test
    void twoPlatformsBuildOncePerPlatformWithBuildKitEachPinnedAndLabelledWithItsOwnBaseThenOneIndex() throws IOException {
        twoPlatforms("FROM " + BASE + "\nRUN [\"/bin/busybox\", \"true\"]\n");

        ImageBuilt built = assertInstanceOf(ImageBuilt.class, platformStage().build(twoPlatformRequest()));

        assertEquals(List.of("probe linux/arm64", "build linux/amd64", "push candidate-run-1-linux-amd64",
                "build linux/arm64", "push candidate-run-1-linux-arm64", "index candidate-run-1"), engine.steps,
                "the foreign platform probed first; then each platform built and pushed in the descriptor's order");
        assertEquals(List.of("buildkit", "buildkit"), builders, "BuildKit for every child, though the file needs none");
        BuildSpec amd64 = engine.specs.get(0);
        BuildSpec arm64 = engine.specs.get(1);
        assertEquals("FROM " + BASE + "@" + BASE_DIGEST + "\nRUN [\"/bin/busybox\", \"true\"]\n", amd64.dockerfile());
        assertEquals("FROM " + BASE + "@" + BASE_ARM64 + "\nRUN [\"/bin/busybox\", \"true\"]\n", arm64.dockerfile());
        assertEquals(BASE_DIGEST.toString(), amd64.labels().get(ImageLabels.BASE_DIGEST));
        assertEquals(BASE_ARM64.toString(), arm64.labels().get(ImageLabels.BASE_DIGEST));
        assertEquals(BASE + "@" + BASE_ARM64, arm64.labels().get(ImageLabels.BASE_IMAGES));
        for (String shared : List.of(ImageLabels.CREATED, ImageLabels.RUN_ID, ImageLabels.IMAGE_ID, ImageLabels.DEFINITION)) {
            assertEquals(amd64.labels().get(shared), arm64.labels().get(shared), shared);
        }
        assertEquals(NOW.toString(), arm64.labels().get(ImageLabels.CREATED));

        Digest amd64Child = engine.indexEntries.get(0).digest();
        Digest arm64Child = engine.indexEntries.get(1).digest();
        assertEquals(List.of(Platform.LINUX_AMD64, ARM64), engine.indexEntries.stream().map(ImageIndexes.Entry::platform).toList());
        assertEquals(Map.of(ImageLabels.BASE_NAME, BASE.toString(), ImageLabels.BASE_DIGEST, BASE_ARM64.toString(),
                ImageLabels.BASE_IMAGES, BASE + "@" + BASE_ARM64), engine.indexEntries.get(1).annotations());
        assertEquals(MediaTypes.DOCKER_MANIFEST, engine.indexEntries.get(1).mediaType(), "children stay as pushed");
        assertEquals(Map.of(ImageLabels.CREATED, NOW.toString(), ImageLabels.RUN_ID, "run-1", ImageLabels.IMAGE_ID, IMAGE),
                engine.indexAnnotations, "no revision: the folder is no git checkout");

        Digest index = ImageIndexes.write(engine.indexEntries, engine.indexAnnotations).digest();
        assertEquals(ImageReference.parse("registry.example.com/platform/app-staging@" + index), built.candidate());
        assertEquals(List.of(new PlatformDigest(Platform.LINUX_AMD64, amd64Child), new PlatformDigest(ARM64, arm64Child)),
                built.manifests());
        assertEquals(twoPlatformRequest().baseImages(), built.baseImages(), "the watcher's bases, both platforms");
        assertEquals(List.of(), engine.deleted);
    }

    @Test
    void aPlatformTheEngineCannotBuildFailsTheRunPermanentlyBeforeAnythingIsBuiltOrPushed() throws IOException {
        twoPlatforms("FROM " + BASE + "\n");
        unsupported.add(ARM64);

        PipelineFailed failed = assertInstanceOf(PipelineFailed.class, platformStage().build(twoPlatformRequest()));

        assertEquals(FailureKind.PERMANENT, failed.kind());
        assertEquals(BuildProblems.PLATFORM_UNSUPPORTED, failed.code());
        assertTrue(failed.reason().startsWith("the Docker engine (linux/amd64) cannot build linux/arm64 (a probe build "
                + "with RUN for it failed: exec /freshen-probe: exec format error): register QEMU user emulation"),
                failed.reason());
        assertTrue(failed.hint().contains("deploy/local/stack.sh up emulation") && failed.hint().contains("'platforms' in "
                + IMAGE + "/platform-image.yaml"), failed.hint());
        assertEquals(List.of("probe linux/arm64"), engine.steps, "nothing built, nothing pushed");
    }

    @Test
    void aFailedBuildOfOnePlatformNamesThePlatform() throws IOException {
        twoPlatforms("FROM " + BASE + "\nRUN [\"/bin/busybox\", \"false\"]\n");
        ImageBuilder failingArm64 = new ImageBuilder() {
            @Override
            public String name() {
                return "buildkit";
            }

            @Override
            public String build(BuildSpec spec, BuildLog log) {
                log.append("#5 [2/2] RUN [\"/bin/busybox\", \"false\"]");
                if (spec.platform().equals("linux/arm64")) {
                    throw BuildFailure.permanent(BuildFailure.STEP_FAILED, "build failed at step RUN [\"/bin/busybox\", "
                            + "\"false\"]: exit code: 1");
                }
                return "sha256:" + "b".repeat(64);
            }
        };
        BuildStage stage = new BuildStage(PlatformImageCatalog.of(root)::scan, engine, failingArm64, failingArm64,
                dir -> Optional.empty(), new BuildSettings("registry.example.com", dev.freshen.descriptor.Staging.defaults(),
                Duration.ofMinutes(1), 40, RetryPolicy.once(), Platform.LINUX_AMD64), Clock.fixed(NOW, ZoneOffset.UTC),
                dev.freshen.registry.CredentialsProvider.NONE, new BuildOutcomes(), enginePlatforms);

        PipelineFailed failed = assertInstanceOf(PipelineFailed.class, stage.build(twoPlatformRequest()));

        assertEquals(ARM64, failed.platform());
        assertEquals(BuildFailure.STEP_FAILED, failed.code());
        assertTrue(failed.reason().startsWith("linux/arm64: build failed at step RUN"), failed.reason());
        assertTrue(failed.logExcerpt().contains("RUN [\"/bin/busybox\", \"false\"]"), failed.logExcerpt());
        assertEquals(List.of("registry.example.com/platform/app-staging:candidate-run-1-linux-amd64"), engine.pushes,
                "no index");
        assertEquals(List.of("registry.example.com/platform/app-staging@" + engine.children.keySet().iterator().next()),
                engine.deleted, "the amd64 child is deleted again: no index names it");
    }

    @Test
    void aChildWhoseConfigNamesAnotherPlatformFailsTheRunNamingBoth() throws IOException {
        twoPlatforms("FROM " + BASE + "\n");
        engine.builtInstead.put(ARM64, Platform.LINUX_AMD64);

        PipelineFailed failed = assertInstanceOf(PipelineFailed.class, platformStage().build(twoPlatformRequest()));

        assertEquals(BuildProblems.PLATFORM_UNSUPPORTED, failed.code());
        assertEquals(FailureKind.PERMANENT, failed.kind());
        assertEquals(ARM64, failed.platform());
        assertEquals("linux/arm64: the Docker engine built an image for linux/amd64 when asked for linux/arm64",
                failed.reason());
        assertNull(engine.indexEntries, "no index");
        assertEquals(2, engine.deleted.size(), "both children deleted again, the wrong one too");
    }

    @Test
    void aForcedRunResolvesEveryPlatformAndTakesEachPreviousDigestFromThatPlatformsPublishedImage() throws IOException {
        twoPlatforms("FROM " + BASE + "\n");
        Digest previousArm64 = Digest.parse("sha256:" + "7".repeat(64));
        engine.platformDigests.put(ARM64, Map.of(BASE, BASE_ARM64));
        engine.publishedByPlatform.put(ARM64, Map.of(BASE, previousArm64));
        BuildRequest forced = new BuildRequest("f-run-1", IMAGE, Trigger.forced(null, "cli:bob"), List.of(), NOW);

        ImageBuilt built = assertInstanceOf(ImageBuilt.class, platformStage().build(forced));

        assertEquals(List.of(Platform.LINUX_AMD64, ARM64), engine.platformLookups);
        BaseImage base = built.baseImages().get(0);
        assertEquals(List.of(new BasePlatform(Platform.LINUX_AMD64, BASE_DIGEST, null),
                new BasePlatform(ARM64, BASE_ARM64, previousArm64)), base.platforms());
        assertEquals(new BaseImage(BASE, BASE_DIGEST, null, Platform.LINUX_AMD64).withPlatforms(base.platforms()), base,
                "digest, previous digest and platform repeat the first platform's");
    }

    @Test
    void aFromForTheBuildPlatformIsPinnedToTheEnginesPlatformInEveryChild() throws IOException {
        twoPlatforms("FROM --platform=$BUILDPLATFORM " + SDK + " AS build\nRUN [\"/bin/busybox\", \"true\"]\n"
                + "FROM " + BASE + "\nCOPY --from=build /x /x\n");
        BaseImage sdk = new BaseImage(SDK, SDK_AMD64, null, Platform.LINUX_AMD64).withPlatforms(List.of(
                new BasePlatform(Platform.LINUX_AMD64, SDK_AMD64, null), new BasePlatform(ARM64, SDK_ARM64, null)));
        BuildRequest request = new BuildRequest("run-1", IMAGE, Trigger.baseImageUpdated(),
                List.of(sdk, twoPlatformRequest().baseImages().get(0)), NOW);

        assertInstanceOf(ImageBuilt.class, platformStage().build(request));

        String arm64 = engine.specs.get(1).dockerfile();
        assertTrue(arm64.startsWith("FROM --platform=$BUILDPLATFORM " + SDK + "@" + SDK_AMD64 + " AS build\n"), arm64);
        assertTrue(arm64.contains("FROM " + BASE + "@" + BASE_ARM64 + "\n"), arm64);
        assertEquals(SDK + "@" + SDK_ARM64 + " " + BASE + "@" + BASE_ARM64,
                engine.specs.get(1).labels().get(ImageLabels.BASE_IMAGES), "the labels name the target platform's bases");
    }

    @Test
    void aSinglePlatformImageBuildsAPlainManifestAsBeforeAndWritesNoNewField() {
        ImageBuilt built = assertInstanceOf(ImageBuilt.class, platformStage().build(request()));

        assertEquals(List.of("build linux/amd64"), engine.steps, "no probe for the native platform, no child, no index");
        assertEquals(List.of("engine-api"), builders, "the Engine API, as before, for a file that needs no BuildKit");
        assertEquals(List.of("registry.example.com/platform/app-staging:candidate-run-1"), engine.pushes);
        assertEquals(new ImageBuilt("run-1", IMAGE, 1, NOW, Trigger.baseImageUpdated(),
                List.of(new BaseImage(BASE, BASE_DIGEST, null)), ImageReference.parse(
                "registry.example.com/platform/app-staging@" + CANDIDATE), List.of(), built.timings()), built);
        String json = EventJson.writeString(built);
        assertFalse(json.contains("manifests") || json.contains("platforms"), json);
    }

    @Test
    void aSingleForeignPlatformIsProbedThenBuiltAsAPlainManifestWithItsPlatform() throws IOException {
        Files.writeString(root.resolve(IMAGE).resolve("platform-image.yaml"),
                "target: {repository: platform/app, tagPrefix: 10.0}\nplatforms: [linux/arm64]\n");
        BuildRequest forced = new BuildRequest("f-run-3", IMAGE, Trigger.forced(null, "cli:bob"), List.of(), NOW);

        ImageBuilt built = assertInstanceOf(ImageBuilt.class, platformStage().build(forced));

        assertEquals(List.of("probe linux/arm64", "build linux/arm64"), engine.steps);
        assertEquals(List.of(), built.manifests());
        assertEquals(CANDIDATE, built.candidate().digest());
    }
}
