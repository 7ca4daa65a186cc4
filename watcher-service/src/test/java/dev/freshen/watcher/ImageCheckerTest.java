package dev.freshen.watcher;

import dev.freshen.descriptor.PlatformImageCatalog;
import dev.freshen.descriptor.definition.Definition;
import dev.freshen.events.BaseImageUpdated;
import dev.freshen.events.BasePlatform;
import dev.freshen.events.ImagePublished;
import dev.freshen.events.Trigger;
import dev.freshen.events.image.Digest;
import dev.freshen.events.image.ImageReference;
import dev.freshen.events.image.Platform;
import dev.freshen.testing.SampleEvents;
import dev.freshen.testing.SettableClock;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link ImageChecker} with a fake registry: what a check reports per platform, the settle window, and how a publish
 * heard later updates it.
 */
class ImageCheckerTest {

    static final String ID = "net10/runtime";
    static final ImageReference BASE = ImageReference.parse("127.0.0.1:5000/dotnet/runtime:10.0");
    static final Digest BASE_NOW = SampleEvents.digest('2');
    static final Digest PUBLISHED_1_0 = SampleEvents.digest('a');
    static final Digest INDEX_1 = SampleEvents.digest('3');
    static final Digest INDEX_2 = SampleEvents.digest('4');
    static final Digest INDEX_3 = SampleEvents.digest('5');
    static final Digest AMD64_2 = SampleEvents.digest('6');

    @TempDir
    Path root;
    ImageChecker checker;
    final List<Object> started = new ArrayList<>();
    final List<Platform> askedFor = new ArrayList<>();
    final List<Instant> settlingDue = new ArrayList<>();
    final SettableClock clock = new SettableClock(Instant.parse("2026-11-30T10:00:00Z"));
    /** Where the base tag points now: the index, and the linux/amd64 manifest in it. */
    volatile Upstream upstream = new Upstream(Platform.LINUX_AMD64, INDEX_1, BASE_NOW);
    /** Where the base tag points now for a platform other than {@code upstream}'s (multi-platform images). */
    final Map<Platform, Upstream> upstreamFor = new java.util.concurrent.ConcurrentHashMap<>();
    final List<List<Platform>> publishedAskedFor = new ArrayList<>();
    /** The newest published version: built from the base as it is now, without definition labels unless a test sets them. */
    volatile BuiltFrom published = new BuiltFrom("10.0-1.0.0", PUBLISHED_1_0, Map.of(BASE, BASE_NOW));

    @BeforeEach
    void images() throws IOException {
        Path folder = Files.createDirectories(root.resolve(ID));
        Files.writeString(folder.resolve("Dockerfile"), "FROM " + BASE + "\nUSER 1654\n");
        Files.writeString(folder.resolve("platform-image.yaml"),
                "target: {repository: platform/dotnet/runtime, tagPrefix: \"10.0\", extraTags: [latest]}\n");
        checker = checker(new PlatformImageCatalog(root).scan());
    }

    private ImageChecker checker(PlatformImageCatalog.Scan scan) {
        ImageRegistry registry = new ImageRegistry() {
            @Override
            public Optional<Upstream> upstream(ImageReference base, Platform platform) {
                askedFor.add(platform);
                return Optional.of(upstreamFor.getOrDefault(platform, upstream));
            }

            @Override
            public Optional<BuiltFrom> builtFrom(dev.freshen.descriptor.Target target, List<Platform> platforms) {
                publishedAskedFor.add(platforms);
                return Optional.of(published);
            }
        };
        RunLedger ledger = new RunLedger();
        ledger.markComplete();
        ImageChecker created = new ImageChecker(() -> scan, registry, ledger, started::add, clock, Platform.LINUX_AMD64);
        created.onSettling((id, due) -> settlingDue.add(due));
        return created;
    }

    private void descriptor(String extra) throws IOException {
        Files.writeString(root.resolve(ID).resolve("platform-image.yaml"),
                "target: {repository: platform/dotnet/runtime, tagPrefix: \"10.0\", extraTags: [latest]}\n" + extra);
        checker = checker(new PlatformImageCatalog(root).scan());
    }

    @Test
    void anIndexWhoseOtherPlatformsMovedStartsNoRun() {
        upstream = new Upstream(Platform.LINUX_AMD64, INDEX_2, BASE_NOW); // arm64 moved, or an attestation came

        CheckOutcome outcome = checker.check(ID);

        assertEquals(CheckOutcome.Result.UP_TO_DATE, outcome.result());
        assertEquals("linux/amd64", outcome.platform());
        assertEquals(Map.of(BASE.toString(), BASE_NOW.toString()), outcome.upstreamDigests(),
                "the API shows the platform's manifest digest");
        assertEquals(List.of(), outcome.platforms(), "one platform: no per-platform view");
        assertEquals(List.of(List.of(Platform.LINUX_AMD64)), publishedAskedFor);
        assertEquals(List.of(), started);
    }

    @Test
    void ourPlatformMovingStartsOneRunPinnedToItsManifestAndSaysWhichPlatform() {
        upstream = new Upstream(Platform.LINUX_AMD64, INDEX_2, AMD64_2);

        CheckOutcome outcome = checker.check(ID);

        assertEquals(CheckOutcome.Result.RUN_STARTED, outcome.result());
        assertTrue(outcome.message().contains("(linux/amd64)"), outcome.message());
        dev.freshen.events.BaseImageUpdated event = (dev.freshen.events.BaseImageUpdated) started.get(0);
        assertEquals(AMD64_2, event.baseImages().get(0).digest());
        assertEquals(Platform.LINUX_AMD64, event.baseImages().get(0).platform());
        assertEquals(CheckOutcome.Result.RUN_EXISTS, checker.check(ID).result());
        upstream = new Upstream(Platform.LINUX_AMD64, INDEX_3, AMD64_2); // then arm64 follows: the same change
        assertEquals(CheckOutcome.Result.RUN_EXISTS, checker.check(ID).result(), "the run id follows the platform's manifest");
        assertEquals(1, started.size());
    }

    @Test
    void theDescriptorsPlatformIsTheOneResolved() throws IOException {
        descriptor("platforms: [linux/arm64]\n");

        CheckOutcome outcome = checker.check(ID);

        assertEquals(List.of(Platform.parse("linux/arm64")), askedFor);
        assertEquals("linux/arm64", outcome.platform());
    }

    @Test
    void aSettleWindowStartsOneRunForARollOutOnceTheDigestsStayedTheSame() throws IOException {
        descriptor("settle: 10m\n");
        upstream = new Upstream(Platform.LINUX_AMD64, INDEX_2, AMD64_2); // amd64 first

        CheckOutcome first = checker.check(ID);
        assertEquals(CheckOutcome.Result.SETTLING, first.result());
        assertEquals(Instant.parse("2026-11-30T10:10:00Z"), first.settlesAt());
        assertTrue(first.message().contains("the run starts at 2026-11-30 10:10:00 UTC"), first.message());

        clock.advance(Duration.ofMinutes(3));
        upstream = new Upstream(Platform.LINUX_AMD64, INDEX_3, AMD64_2); // then arm64: the index moves again
        assertEquals(Instant.parse("2026-11-30T10:13:00Z"), checker.check(ID).settlesAt(), "the window starts again");

        clock.advance(Duration.ofMinutes(9));
        assertEquals(CheckOutcome.Result.SETTLING, checker.check(ID).result());
        assertEquals(List.of(), started);

        clock.advance(Duration.ofMinutes(1));
        assertEquals(CheckOutcome.Result.RUN_STARTED, checker.check(ID).result());
        assertEquals(CheckOutcome.Result.RUN_EXISTS, checker.check(ID).result());
        assertEquals(1, started.size());
        assertEquals(List.of(Instant.parse("2026-11-30T10:10:00Z"), Instant.parse("2026-11-30T10:13:00Z"),
                Instant.parse("2026-11-30T10:13:00Z")), settlingDue, "told when to check again, each time");
    }

    @Test
    void aChangeThatIsUndoneWhileSettlingStartsNothing() throws IOException {
        descriptor("settle: 10m\n");
        upstream = new Upstream(Platform.LINUX_AMD64, INDEX_2, AMD64_2);
        assertEquals(CheckOutcome.Result.SETTLING, checker.check(ID).result());

        upstream = new Upstream(Platform.LINUX_AMD64, INDEX_1, BASE_NOW); // rolled back
        clock.advance(Duration.ofMinutes(1));
        assertEquals(CheckOutcome.Result.UP_TO_DATE, checker.check(ID).result());

        upstream = new Upstream(Platform.LINUX_AMD64, INDEX_2, AMD64_2); // and out again: a new window
        clock.advance(Duration.ofMinutes(10));
        assertEquals(CheckOutcome.Result.SETTLING, checker.check(ID).result());
        assertEquals(List.of(), started);
    }

    @Test
    void aCheckReadsWhatIsPublished() {
        CheckOutcome outcome = checker.check(ID);
        assertEquals(CheckOutcome.Result.UP_TO_DATE, outcome.result());
        assertEquals("10.0-1.0.0", outcome.builtFrom().versionTag());
        assertEquals(List.of(), started);
    }

    @Test
    void aHigherVersionHeardOnKafkaReplacesWhatTheLastCheckRead() {
        checker.check(ID);
        checker.published(published("10.0-1.1.0", 'b'));

        BuiltFrom shown = checker.lastOutcome(ID).orElseThrow().builtFrom();
        assertEquals("10.0-1.1.0", shown.versionTag());
        assertEquals(SampleEvents.digest('b'), shown.digest());
        assertEquals(Map.of(SampleEvents.BASE.reference(), SampleEvents.BASE.digest()), shown.bases());
        assertEquals(CheckOutcome.Result.UP_TO_DATE, checker.lastOutcome(ID).orElseThrow().result(), "the check's result stays");
    }

    @Test
    void thePublishOfTheRunACheckStartedShowsItsDefinitionAsPublishedAndAnotherRunsAsUnknown() throws IOException {
        publishCurrentDefinition();
        Files.writeString(root.resolve(ID).resolve("Dockerfile"), "FROM " + BASE + "\nUSER 1655\n");
        checker = checker(new PlatformImageCatalog(root).scan());
        CheckOutcome started = checker.check(ID);
        assertEquals("changed", started.definition().state());

        ImagePublished ours = published("10.0-1.1.0", 'b');
        checker.published(new ImagePublished(started.runId(), ID, 1, ours.occurredAt(), ours.trigger(), ours.baseImages(),
                ours.image(), ours.version(), ours.tags(), ours.timings()));
        assertEquals(new CheckOutcome.DefinitionView(definitionOnDisk().hash(), definitionOnDisk().hash(), "same", List.of(), 0),
                checker.lastOutcome(ID).orElseThrow().definition());

        checker.published(published("10.0-1.2.0", 'c'));
        assertNull(checker.lastOutcome(ID).orElseThrow().definition(), "another run: which definition it built is unknown");
    }

    @Test
    void anOlderOrEqualVersionChangesNothing() {
        checker.check(ID);
        checker.published(published("10.0-1.0.0", 'c'));
        assertEquals(PUBLISHED_1_0, checker.lastOutcome(ID).orElseThrow().builtFrom().digest());
    }

    @Test
    void aPublishBeforeAnyCheckChangesNothing() {
        checker.published(published("10.0-1.1.0", 'b'));
        assertEquals(Optional.empty(), checker.lastOutcome(ID));
    }

    @Test
    void aForcedRunKafkaDidNotTakeIsNotRecordedSoTheNextRequestStartsOne() {
        RunLedger ledger = new RunLedger();
        ledger.markComplete();
        PlatformImageCatalog.Scan scan = new PlatformImageCatalog(root).scan();
        ImageChecker refused = new ImageChecker(() -> scan, null, ledger, trigger -> {
            throw new RunNotStartedException("Kafka did not take ForceUpdateRequested of run " + trigger.runId()
                    + " within 30s; the run may still start once it does", null);
        }, Clock.systemUTC(), Platform.LINUX_AMD64);

        RunNotStartedException e = assertThrows(RunNotStartedException.class,
                () -> refused.forceUpdate(ID, "fix", "api:default"));

        assertTrue(e.getMessage().startsWith("Kafka did not take ForceUpdateRequested of run f-"), e.getMessage());
        assertEquals(List.of(), ledger.inFlight(), "the ledger records only runs Kafka took");
        assertEquals(1, checker.forceUpdate(ID, "fix", "api:default").attempt());
        assertEquals(1, started.size());
    }

    @Test
    void aDockerfileEditStartsOneDefinitionChangedRunNamingTheFile() throws IOException {
        publishCurrentDefinition();
        assertEquals("same", checker.check(ID).definition().state());
        Definition before = definitionOnDisk();
        Files.writeString(root.resolve(ID).resolve("Dockerfile"), "FROM " + BASE + "\nUSER 1655\n");
        checker = checker(new PlatformImageCatalog(root).scan());

        CheckOutcome outcome = checker.check(ID);

        assertEquals(CheckOutcome.Result.RUN_STARTED, outcome.result());
        assertEquals("definition changed: Dockerfile", outcome.message());
        assertEquals(new CheckOutcome.DefinitionView(definitionOnDisk().hash(), before.hash(), "changed",
                List.of(new CheckOutcome.FileView("Dockerfile", "modified")), 0), outcome.definition());
        BaseImageUpdated event = (BaseImageUpdated) started.get(0);
        assertEquals(outcome.runId(), event.runId());
        assertSame(Trigger.Kind.DEFINITION_CHANGED, event.trigger().kind());
        assertEquals(before.hash(), event.trigger().definition().previousHash());
        assertEquals(List.of(new Trigger.FileChange("Dockerfile", "modified")), event.trigger().definition().files());
        assertEquals(List.of(), event.trigger().definition().commits(), "the folder is not in git");
        assertEquals(definitionOnDisk().hash(), event.definition());
        assertEquals(definitionOnDisk().hash(), event.contentHash(), "the hash in the run id");
        assertEquals(BASE_NOW, event.baseImages().get(0).digest());
        for (int poll = 0; poll < 3; poll++) {
            CheckOutcome again = checker.check(ID);
            assertEquals(CheckOutcome.Result.RUN_EXISTS, again.result());
            assertEquals(event.runId(), again.runId(), "one run however often it polls");
        }
        assertEquals(1, started.size());
    }

    @Test
    void aDefinitionChangeDoesNotWaitForTheSettleWindow() throws IOException {
        descriptor("settle: 10m\n");
        publishCurrentDefinition();
        Files.writeString(root.resolve(ID).resolve("Dockerfile"), "FROM " + BASE + "\nUSER 1655\n");
        checker = checker(new PlatformImageCatalog(root).scan());

        assertEquals(CheckOutcome.Result.RUN_STARTED, checker.check(ID).result(), "the bases did not move");
    }

    @Test
    void anEditOutsideTheBuildSettingsStartsNothing() throws IOException {
        publishCurrentDefinition();
        descriptor("schedule: \"0 0 3 * * ?\"\n");

        CheckOutcome outcome = checker.check(ID);

        assertEquals(CheckOutcome.Result.UP_TO_DATE, outcome.result());
        assertEquals("same", outcome.definition().state());
        assertEquals(List.of(), started);
    }

    @Test
    void anEditOfAFileTheDockerignoreExcludesStartsNothingAndAnIncludedOneDoes() throws IOException {
        Path folder = root.resolve(ID);
        Files.writeString(folder.resolve(".dockerignore"), "notes/\n");
        Files.createDirectories(folder.resolve("notes"));
        Files.writeString(folder.resolve("notes/x.md"), "first\n");
        checker = checker(new PlatformImageCatalog(root).scan());
        publishCurrentDefinition();

        Files.writeString(folder.resolve("notes/x.md"), "second\n");
        Files.writeString(folder.resolve("notes/new.md"), "new\n");
        checker = checker(new PlatformImageCatalog(root).scan());
        assertEquals(CheckOutcome.Result.UP_TO_DATE, checker.check(ID).result(), "the build context does not send notes/");
        assertEquals(List.of(), started);

        Files.writeString(folder.resolve("run.sh"), "#!/bin/sh\n");
        checker = checker(new PlatformImageCatalog(root).scan());
        CheckOutcome outcome = checker.check(ID);
        assertEquals(CheckOutcome.Result.RUN_STARTED, outcome.result());
        assertEquals(List.of(new CheckOutcome.FileView("run.sh", "added")), outcome.definition().files());
    }

    @Test
    void withoutRebuildOnChangeADefinitionChangeAwaitsRelease() throws IOException {
        publishCurrentDefinition();
        Files.writeString(root.resolve(ID).resolve("Dockerfile"), "FROM " + BASE + "\nUSER 1655\n");
        descriptor("rebuildOnChange: false\n");

        CheckOutcome outcome = checker.check(ID);

        assertEquals(CheckOutcome.Result.AWAITING_RELEASE, outcome.result());
        assertEquals("definition changed: Dockerfile; rebuildOnChange is false: force-update releases it",
                outcome.message());
        assertEquals("changed", outcome.definition().state());
        assertEquals(List.of(), started);

        upstream = new Upstream(Platform.LINUX_AMD64, INDEX_2, AMD64_2); // a base update still runs, with the change
        assertEquals(CheckOutcome.Result.RUN_STARTED, checker.check(ID).result());
        BaseImageUpdated event = (BaseImageUpdated) started.get(0);
        assertSame(Trigger.Kind.BASE_IMAGE_UPDATED, event.trigger().kind());
        assertEquals(List.of(new Trigger.FileChange("Dockerfile", "modified")), event.trigger().definition().files());
    }

    @Test
    void anUnlabelledPublishedImageIsUnknownAndStartsNothing() {
        CheckOutcome outcome = checker.check(ID);

        assertEquals(CheckOutcome.Result.UP_TO_DATE, outcome.result());
        assertEquals("unknown", outcome.definition().state());
        assertNull(outcome.definition().published());
        assertEquals(definitionOnDisk().hash(), outcome.definition().current());
        assertEquals(List.of(), started);
    }

    @Test
    void aBaseUpdateRunIsIdentifiedByTheDefinitionHash() {
        upstream = new Upstream(Platform.LINUX_AMD64, INDEX_2, AMD64_2);

        checker.check(ID);

        BaseImageUpdated event = (BaseImageUpdated) started.get(0);
        assertEquals(dev.freshen.events.RunIds.forBaseUpdate(ID, List.of(AMD64_2), definitionOnDisk().hash()), event.runId());
        assertNull(event.trigger().definition(), "the definition of the published image is unknown");
    }

    @Test
    void aRunForAChangedDefinitionListsTheCommitsSinceThePublishedRevision() throws IOException {
        git("init", "-q");
        git("config", "user.name", "Test Author");
        git("config", "user.email", "test@example.com");
        git("add", "-A");
        git("commit", "-q", "-m", "Add net10/runtime");
        BuiltFrom labelled = DefinitionDriftTest.published(definitionOnDisk(), Map.of(BASE, BASE_NOW));
        published = new BuiltFrom(labelled.versionTag(), labelled.digest(), labelled.bases(), labelled.definition(),
                labelled.definitionFiles(), git("rev-parse", "HEAD").strip());
        Files.writeString(root.resolve(ID).resolve("Dockerfile"), "FROM " + BASE + "\nUSER 1655\n");
        git("commit", "-q", "-a", "-m", "Run as 1655");
        checker = checker(new PlatformImageCatalog(root).scan());

        assertEquals(CheckOutcome.Result.RUN_STARTED, checker.check(ID).result());

        Trigger.DefinitionChange change = ((BaseImageUpdated) started.get(0)).trigger().definition();
        assertEquals(List.of(new Trigger.Commit(git("rev-parse", "HEAD").strip(), "Test Author", "Run as 1655")),
                change.commits());
        assertEquals(0, change.moreCommits());
    }

    // ---- multi-platform images ---------------------------------------------------------------------------------

    static final Platform ARM64 = Platform.parse("linux/arm64");
    static final Digest ARM64_1 = SampleEvents.digest('7');
    static final Digest ARM64_2 = SampleEvents.digest('8');

    /** Built for amd64 and arm64, published as an index whose children were built from BASE_NOW and ARM64_1. */
    private void multiPlatform() throws IOException {
        descriptor("platforms: [linux/amd64, linux/arm64]\n");
        upstreamFor.put(ARM64, new Upstream(ARM64, INDEX_1, ARM64_1));
        published = new BuiltFrom("10.0-1.0.0", PUBLISHED_1_0, Map.of(BASE, BASE_NOW), null, List.of(), null, List.of(
                new BuiltFrom.PlatformBuild("linux/amd64", true, Map.of(BASE, BASE_NOW)),
                new BuiltFrom.PlatformBuild("linux/arm64", true, Map.of(BASE, ARM64_1))));
    }

    @Test
    void aMultiPlatformImageIsCheckedForEveryPlatformAgainstEachChild() throws IOException {
        multiPlatform();

        CheckOutcome outcome = checker.check(ID);

        assertEquals(CheckOutcome.Result.UP_TO_DATE, outcome.result(), outcome.message());
        assertEquals(List.of(Platform.LINUX_AMD64, ARM64), askedFor);
        assertEquals(List.of(List.of(Platform.LINUX_AMD64, ARM64)), publishedAskedFor);
        assertEquals("built from the current upstream digests for linux/amd64, linux/arm64", outcome.message());
        assertEquals("linux/amd64", outcome.platform(), "the first platform's, as before");
        assertEquals(Map.of(BASE.toString(), BASE_NOW.toString()), outcome.upstreamDigests());
        assertEquals(List.of(
                new CheckOutcome.PlatformView("linux/amd64", Map.of(BASE.toString(), BASE_NOW.toString()), "current"),
                new CheckOutcome.PlatformView("linux/arm64", Map.of(BASE.toString(), ARM64_1.toString()), "current")),
                outcome.platforms());
    }

    @Test
    void anArm64OnlyMoveStartsOneRunForBothPlatformsNamingArm64() throws IOException {
        multiPlatform();
        upstream = new Upstream(Platform.LINUX_AMD64, INDEX_2, BASE_NOW);
        upstreamFor.put(ARM64, new Upstream(ARM64, INDEX_2, ARM64_2));

        CheckOutcome outcome = checker.check(ID);

        assertEquals(CheckOutcome.Result.RUN_STARTED, outcome.result(), outcome.message());
        assertEquals(BASE + " (linux/arm64) " + ARM64_1.shortHex() + " -> " + ARM64_2.shortHex(), outcome.message());
        assertEquals(List.of("current", "moved"), outcome.platforms().stream().map(CheckOutcome.PlatformView::state).toList());
        BaseImageUpdated event = (BaseImageUpdated) started.get(0);
        var base = event.baseImages().get(0);
        assertEquals(BASE_NOW, base.digest(), "digest and platform are the first platform's");
        assertEquals(Platform.LINUX_AMD64, base.platform());
        assertEquals(List.of(new BasePlatform(Platform.LINUX_AMD64, BASE_NOW, BASE_NOW), new BasePlatform(ARM64, ARM64_2, ARM64_1)),
                base.platforms());
        assertEquals(dev.freshen.events.RunIds.forBaseUpdate(ID, List.of(BASE_NOW, ARM64_2), definitionOnDisk().hash()),
                event.runId(), "the run id is made of every platform's base digest");
        for (int poll = 0; poll < 3; poll++) {
            assertEquals(CheckOutcome.Result.RUN_EXISTS, checker.check(ID).result());
        }
        assertEquals(1, started.size(), "one run for both platforms");
    }

    @Test
    void aPlatformThePublishedIndexLacksStartsARunSayingSo() throws IOException {
        multiPlatform();
        published = new BuiltFrom("10.0-1.0.0", PUBLISHED_1_0, Map.of(BASE, BASE_NOW), null, List.of(), null, List.of(
                new BuiltFrom.PlatformBuild("linux/amd64", true, Map.of(BASE, BASE_NOW)),
                BuiltFrom.PlatformBuild.notPublished(ARM64)));

        CheckOutcome outcome = checker.check(ID);

        assertEquals(CheckOutcome.Result.RUN_STARTED, outcome.result());
        assertEquals("not published for linux/arm64", outcome.message());
        assertEquals(List.of("current", "not-published"),
                outcome.platforms().stream().map(CheckOutcome.PlatformView::state).toList());
        BaseImageUpdated event = (BaseImageUpdated) started.get(0);
        assertNull(event.baseImages().get(0).platforms().get(1).previousDigest());
    }

    @Test
    void aMultiPlatformPublishHeardOnKafkaShowsEachPlatformsBases() throws IOException {
        multiPlatform();
        checker.check(ID);
        ImagePublished sample = published("10.0-1.1.0", 'b');
        var base = new dev.freshen.events.BaseImage(BASE, BASE_NOW, BASE_NOW, Platform.LINUX_AMD64)
                .withPlatforms(List.of(new BasePlatform(Platform.LINUX_AMD64, BASE_NOW, BASE_NOW),
                        new BasePlatform(ARM64, ARM64_2, ARM64_1)));
        checker.published(new ImagePublished(sample.runId(), ID, 1, sample.occurredAt(), sample.trigger(), List.of(base),
                sample.image(), sample.version(), sample.tags(), sample.timings()));

        BuiltFrom shown = checker.lastOutcome(ID).orElseThrow().builtFrom();
        assertEquals("10.0-1.1.0", shown.versionTag());
        assertEquals(Optional.of(Map.of(BASE, ARM64_2)), shown.basesFor(ARM64));
        assertEquals(Optional.of(Map.of(BASE, BASE_NOW)), shown.basesFor(Platform.LINUX_AMD64));
    }

    private String git(String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of("git", "-C", root.toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        try {
            if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException("git " + String.join(" ", args) + " failed: " + out);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return out;
    }

    /** The published version labelled with the definition on disk now. */
    private void publishCurrentDefinition() {
        published = DefinitionDriftTest.published(definitionOnDisk(), Map.of(BASE, BASE_NOW));
    }

    private Definition definitionOnDisk() {
        return new PlatformImageCatalog(root).scan().image(ID).orElseThrow().definition();
    }

    private static ImagePublished published(String versionTag, char digest) {
        ImagePublished sample = SampleEvents.imagePublished();
        return new ImagePublished(sample.runId(), ID, 1, sample.occurredAt(), sample.trigger(), sample.baseImages(),
                ImageReference.parse("127.0.0.1:5000/platform/dotnet/runtime:" + versionTag + "@" + SampleEvents.digest(digest)),
                versionTag.substring(versionTag.indexOf('-') + 1), List.of(versionTag, "latest"), sample.timings());
    }
}
