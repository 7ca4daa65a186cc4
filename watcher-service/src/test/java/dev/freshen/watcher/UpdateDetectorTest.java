package dev.freshen.watcher;

import dev.freshen.descriptor.definition.Definition;
import dev.freshen.events.BasePlatform;
import dev.freshen.events.Trigger;
import dev.freshen.events.image.Digest;
import dev.freshen.events.image.ImageReference;
import dev.freshen.events.image.Platform;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class UpdateDetectorTest {

    static final ImageReference SDK = ImageReference.parse("mcr.microsoft.com/dotnet/sdk:10.0");
    static final ImageReference ASPNET = ImageReference.parse("mcr.microsoft.com/dotnet/aspnet:10.0");
    static final Platform AMD64 = Platform.LINUX_AMD64;
    static final Digest D1 = Digest.parse("sha256:" + "1".repeat(64));
    static final Digest D2 = Digest.parse("sha256:" + "2".repeat(64));
    static final Digest D3 = Digest.parse("sha256:" + "3".repeat(64));
    /** Image indexes: I1 and I2 list the same linux/amd64 manifest A1 (I2: arm64 moved, or an attestation attached). */
    static final Digest I1 = Digest.parse("sha256:" + "a1".repeat(32));
    static final Digest I2 = Digest.parse("sha256:" + "a2".repeat(32));
    static final Digest A1 = Digest.parse("sha256:" + "b1".repeat(32));
    static final Digest A2 = Digest.parse("sha256:" + "b2".repeat(32));

    static final Definition DEFINITION = DefinitionDriftTest.definition("FROM x\nUSER 1\n", "run");
    static final Definition EDITED = DefinitionDriftTest.definition("FROM x\nUSER 2\n", "run");

    /** A single-platform base: the tag names the image manifest itself. */
    static Upstream manifest(Digest digest) {
        return new Upstream(AMD64, digest, digest);
    }

    /** The old rules: the definition unknown (published before definitions were labelled). */
    static Decision decide(List<ImageReference> bases, Map<ImageReference, Upstream> upstream, Optional<BuiltFrom> builtFrom) {
        return UpdateDetector.decide(bases, upstream, builtFrom, DefinitionDrift.of(DEFINITION, Optional.empty()), true);
    }

    @Test
    void neverPublishedMeansRebuild() {
        var decision = assertInstanceOf(Decision.Rebuild.class,
                decide(List.of(ASPNET), Map.of(ASPNET, manifest(D1)), Optional.empty()));
        assertEquals("never published", decision.why());
        assertEquals(D1, decision.baseImages().get(0).digest());
        assertEquals(AMD64, decision.baseImages().get(0).platform());
        assertNull(decision.baseImages().get(0).previousDigest());
    }

    @Test
    void sameDigestsMeansUpToDateEvenOnTheSameDay() {
        var published = new BuiltFrom("10.0-1.4.0", D3, Map.of(SDK, D1, ASPNET, D2));
        assertInstanceOf(Decision.UpToDate.class, decide(List.of(SDK, ASPNET),
                Map.of(SDK, manifest(D1), ASPNET, manifest(D2)), Optional.of(published)));
    }

    @Test
    void anyMovedBaseMeansRebuildWithOldAndNewDigestsAndThePlatform() {
        var published = new BuiltFrom("10.0-1.4.0", D3, Map.of(SDK, D1, ASPNET, D2));
        var decision = assertInstanceOf(Decision.Rebuild.class, decide(List.of(SDK, ASPNET),
                Map.of(SDK, manifest(D1), ASPNET, manifest(D3)), Optional.of(published)));
        assertEquals(D2, decision.baseImages().get(1).previousDigest());
        assertEquals(D3, decision.baseImages().get(1).digest());
        assertEquals(ASPNET + " (linux/amd64) 222222222222 -> 333333333333", decision.why());
    }

    @Test
    void anIndexThatMovedWhileOurPlatformsManifestStayedIsNoChange() {
        var published = new BuiltFrom("10.0-1.4.0", D3, Map.of(ASPNET, A1));
        assertInstanceOf(Decision.UpToDate.class, decide(List.of(ASPNET),
                Map.of(ASPNET, new Upstream(AMD64, I2, A1)), Optional.of(published)));
    }

    @Test
    void ourPlatformsManifestMovingIsAChangeEvenWhenTheOldIndexIsKnown() {
        var published = new BuiltFrom("10.0-1.4.0", D3, Map.of(ASPNET, A1));
        var decision = assertInstanceOf(Decision.Rebuild.class, decide(List.of(ASPNET),
                Map.of(ASPNET, new Upstream(AMD64, I2, A2)), Optional.of(published)));
        assertEquals(A2, decision.baseImages().get(0).digest(), "the run is pinned to the platform's manifest");
    }

    @Test
    void aVersionLabelledWithTheIndexDigestIsUpToDateWhileTheTagStillNamesThatIndex() {
        var labelledBefore = new BuiltFrom("10.0-1.3.0", D3, Map.of(ASPNET, I1));
        assertInstanceOf(Decision.UpToDate.class, decide(List.of(ASPNET),
                Map.of(ASPNET, new Upstream(AMD64, I1, A1)), Optional.of(labelledBefore)));
        assertInstanceOf(Decision.Rebuild.class, decide(List.of(ASPNET),
                Map.of(ASPNET, new Upstream(AMD64, I2, A1)), Optional.of(labelledBefore)),
                "once the index moved, an index label cannot say whether the platform did: rebuilt once");
    }

    @Test
    void publishedWithoutLabelsIsRebuiltOnce() {
        var published = new BuiltFrom("10.0-1.0.0", D3, Map.of());
        var decision = assertInstanceOf(Decision.Rebuild.class,
                decide(List.of(SDK), Map.of(SDK, manifest(D1)), Optional.of(published)));
        assertEquals(SDK + " (linux/amd64) (unknown) -> 111111111111", decision.why());
    }

    @Test
    void missingUpstreamDigestIsAProgrammingError() {
        assertThrows(IllegalArgumentException.class, () -> decide(List.of(SDK), Map.of(), Optional.empty()));
    }

    @Test
    void aChangedDefinitionAloneRebuildsAsADefinitionChange() {
        var published = labelled(EDITED);
        var decision = assertInstanceOf(Decision.Rebuild.class, UpdateDetector.decide(List.of(SDK),
                Map.of(SDK, manifest(D1)), Optional.of(published), DefinitionDrift.of(DEFINITION, Optional.of(published)), true));
        assertSame(Trigger.Kind.DEFINITION_CHANGED, decision.trigger().kind());
        assertEquals("definition changed: Dockerfile", decision.why());
        assertEquals(EDITED.hash(), decision.trigger().definition().previousHash());
        assertEquals(DEFINITION.hash(), decision.trigger().definition().hash());
        assertEquals(List.of(new Trigger.FileChange("Dockerfile", "modified")), decision.trigger().definition().files());
        assertEquals(D1, decision.baseImages().get(0).digest(), "the run is pinned to the bases as they are");
    }

    @Test
    void withoutRebuildOnChangeAChangedDefinitionAwaitsRelease() {
        var published = labelled(EDITED);
        var drift = DefinitionDrift.of(DEFINITION, Optional.of(published));
        var decision = assertInstanceOf(Decision.AwaitingRelease.class, UpdateDetector.decide(List.of(SDK),
                Map.of(SDK, manifest(D1)), Optional.of(published), drift, false));
        assertSame(drift, decision.drift());
    }

    @Test
    void aMovedBaseIsABaseUpdateThatAlsoSaysTheDefinitionChangedEvenWithoutRebuildOnChange() {
        var published = labelled(EDITED);
        var decision = assertInstanceOf(Decision.Rebuild.class, UpdateDetector.decide(List.of(SDK),
                Map.of(SDK, manifest(D2)), Optional.of(published), DefinitionDrift.of(DEFINITION, Optional.of(published)), false));
        assertSame(Trigger.Kind.BASE_IMAGE_UPDATED, decision.trigger().kind());
        assertEquals(DEFINITION.hash(), decision.trigger().definition().hash());
        assertEquals(SDK + " (linux/amd64) 111111111111 -> 222222222222; definition changed: Dockerfile", decision.why());
    }

    @Test
    void aMovedBaseWithTheSameDefinitionSaysNothingAboutIt() {
        var published = labelled(DEFINITION);
        var decision = assertInstanceOf(Decision.Rebuild.class, UpdateDetector.decide(List.of(SDK),
                Map.of(SDK, manifest(D2)), Optional.of(published), DefinitionDrift.of(DEFINITION, Optional.of(published)), true));
        assertSame(Trigger.Kind.BASE_IMAGE_UPDATED, decision.trigger().kind());
        assertNull(decision.trigger().definition());
    }

    @Test
    void anUnknownOrEqualDefinitionStartsNothingByItself() {
        var unlabelled = new BuiltFrom("10.0-1.0.0", D3, Map.of(SDK, D1));
        assertInstanceOf(Decision.UpToDate.class, UpdateDetector.decide(List.of(SDK), Map.of(SDK, manifest(D1)),
                Optional.of(unlabelled), DefinitionDrift.of(DEFINITION, Optional.of(unlabelled)), true));
        var same = labelled(DEFINITION);
        assertInstanceOf(Decision.UpToDate.class, UpdateDetector.decide(List.of(SDK), Map.of(SDK, manifest(D1)),
                Optional.of(same), DefinitionDrift.of(DEFINITION, Optional.of(same)), true));
    }

    @Test
    void neverPublishedIsABaseUpdateWithoutDefinition() {
        var decision = assertInstanceOf(Decision.Rebuild.class, UpdateDetector.decide(List.of(SDK),
                Map.of(SDK, manifest(D1)), Optional.empty(), DefinitionDrift.of(DEFINITION, Optional.empty()), false));
        assertSame(Trigger.Kind.BASE_IMAGE_UPDATED, decision.trigger().kind());
        assertNull(decision.trigger().definition());
    }

    // ---- multi-platform images: every platform against its own child's labels ----------------------------------

    static final Platform ARM64 = Platform.parse("linux/arm64");
    static final List<Platform> BOTH = List.of(AMD64, ARM64);
    static final Digest AMD_1 = Digest.parse("sha256:" + "c1".repeat(32));
    static final Digest AMD_2 = Digest.parse("sha256:" + "c2".repeat(32));
    static final Digest ARM_1 = Digest.parse("sha256:" + "d1".repeat(32));
    static final Digest ARM_2 = Digest.parse("sha256:" + "d2".repeat(32));
    static final Digest PUBLISHED_INDEX = Digest.parse("sha256:" + "e1".repeat(32));

    /** The published index: each platform's child labelled with the base manifest of that platform (null: no child). */
    static BuiltFrom publishedIndex(Digest amd64, Digest arm64) {
        List<BuiltFrom.PlatformBuild> builds = new java.util.ArrayList<>();
        for (var entry : java.util.Arrays.asList(Map.entry(AMD64, java.util.Optional.ofNullable(amd64)),
                Map.entry(ARM64, java.util.Optional.ofNullable(arm64)))) {
            builds.add(entry.getValue().map(d -> new BuiltFrom.PlatformBuild(entry.getKey().toString(), true, Map.of(ASPNET, d)))
                    .orElse(BuiltFrom.PlatformBuild.notPublished(entry.getKey())));
        }
        return new BuiltFrom("10.0-1.4.0", PUBLISHED_INDEX, amd64 == null ? Map.of() : Map.of(ASPNET, amd64), null,
                List.of(), null, builds);
    }

    /** The base tag's index now: each platform's manifest. */
    static Map<Platform, Map<ImageReference, Upstream>> upstreamIndex(Digest amd64, Digest arm64) {
        return Map.of(AMD64, Map.of(ASPNET, new Upstream(AMD64, I2, amd64)),
                ARM64, Map.of(ASPNET, new Upstream(ARM64, I2, arm64)));
    }

    /**
     * name, platforms, the published version, the base's manifests now (amd64, arm64), and the expected why
     * ({@code null}: up to date).
     */
    static java.util.stream.Stream<org.junit.jupiter.params.provider.Arguments> platformCases() {
        return java.util.stream.Stream.of(
                org.junit.jupiter.params.provider.Arguments.of("both platforms unchanged", BOTH,
                        publishedIndex(AMD_1, ARM_1), AMD_1, ARM_1, null),
                org.junit.jupiter.params.provider.Arguments.of("arm64 moved alone", BOTH,
                        publishedIndex(AMD_1, ARM_1), AMD_1, ARM_2,
                        ASPNET + " (linux/arm64) d1d1d1d1d1d1 -> d2d2d2d2d2d2"),
                org.junit.jupiter.params.provider.Arguments.of("amd64 moved alone", BOTH,
                        publishedIndex(AMD_1, ARM_1), AMD_2, ARM_1,
                        ASPNET + " (linux/amd64) c1c1c1c1c1c1 -> c2c2c2c2c2c2"),
                org.junit.jupiter.params.provider.Arguments.of("both moved", BOTH,
                        publishedIndex(AMD_1, ARM_1), AMD_2, ARM_2,
                        ASPNET + " (linux/amd64) c1c1c1c1c1c1 -> c2c2c2c2c2c2, "
                                + ASPNET + " (linux/arm64) d1d1d1d1d1d1 -> d2d2d2d2d2d2"),
                org.junit.jupiter.params.provider.Arguments.of("arm64 missing from the published index", BOTH,
                        publishedIndex(AMD_1, null), AMD_1, ARM_1, "not published for linux/arm64"),
                org.junit.jupiter.params.provider.Arguments.of("published as one amd64 image before arm64 was added", BOTH,
                        publishedIndex(AMD_1, null), AMD_2, ARM_1,
                        ASPNET + " (linux/amd64) c1c1c1c1c1c1 -> c2c2c2c2c2c2, not published for linux/arm64"),
                org.junit.jupiter.params.provider.Arguments.of("an amd64-only image: arm64 moving is no change",
                        List.of(AMD64), new BuiltFrom("10.0-1.4.0", D3, Map.of(ASPNET, AMD_1)), AMD_1, ARM_2, null),
                org.junit.jupiter.params.provider.Arguments.of("an amd64-only image: amd64 moving is a change",
                        List.of(AMD64), new BuiltFrom("10.0-1.4.0", D3, Map.of(ASPNET, AMD_1)), AMD_2, ARM_1,
                        ASPNET + " (linux/amd64) c1c1c1c1c1c1 -> c2c2c2c2c2c2"),
                org.junit.jupiter.params.provider.Arguments.of("an amd64-only image whose published version has no amd64 image",
                        List.of(AMD64), new BuiltFrom("10.0-1.4.0", D3, Map.of(), null, List.of(), null,
                                List.of(BuiltFrom.PlatformBuild.notPublished(AMD64))), AMD_1, ARM_1,
                        "not published for linux/amd64"));
    }

    @org.junit.jupiter.params.ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.MethodSource("platformCases")
    void everyPlatformIsComparedWithItsOwnPublishedImage(String name, List<Platform> platforms, BuiltFrom published,
                                                         Digest amd64Now, Digest arm64Now, String why) {
        Map<Platform, Map<ImageReference, Upstream>> upstream = upstreamIndex(amd64Now, arm64Now);
        Decision decision = UpdateDetector.decide(List.of(ASPNET), platforms, upstream, Optional.of(published),
                DefinitionDrift.of(DEFINITION, Optional.empty()), true);

        if (why == null) {
            assertInstanceOf(Decision.UpToDate.class, decision, name);
            return;
        }
        var rebuild = assertInstanceOf(Decision.Rebuild.class, decision, name);
        assertEquals(why, rebuild.why(), name);
        assertEquals(1, rebuild.baseImages().size(), name);
        var base = rebuild.baseImages().get(0);
        assertEquals(AMD64, base.platform(), name + ": the first platform's");
        assertEquals(amd64Now, base.digest(), name);
        if (platforms.size() == 1) {
            assertEquals(List.of(), base.platforms(), name + ": a one-platform run lists no platforms");
            return;
        }
        Digest amd64Before = published.basesFor(AMD64).map(m -> m.get(ASPNET)).orElse(null);
        Digest arm64Before = published.basesFor(ARM64).map(m -> m.get(ASPNET)).orElse(null);
        assertEquals(List.of(new BasePlatform(AMD64, amd64Now, amd64Before), new BasePlatform(ARM64, arm64Now, arm64Before)),
                base.platforms(), name + ": every platform, in the descriptor's order, previous digests from each child");
        assertEquals(amd64Before, base.previousDigest(), name);
    }

    @Test
    void anArm64OnlyMoveIsOneRebuildNamingArm64ChangedAndAmd64Not() {
        var rebuild = assertInstanceOf(Decision.Rebuild.class, UpdateDetector.decide(List.of(ASPNET), BOTH,
                upstreamIndex(AMD_1, ARM_2), Optional.of(publishedIndex(AMD_1, ARM_1)),
                DefinitionDrift.of(DEFINITION, Optional.empty()), true));

        var platforms = rebuild.baseImages().get(0).platforms();
        assertEquals(List.of(false, true), platforms.stream().map(BasePlatform::changed).toList());
        assertTrue(rebuild.baseImages().get(0).changed());
        assertSame(Trigger.Kind.BASE_IMAGE_UPDATED, rebuild.trigger().kind());
    }

    @Test
    void neverPublishedListsEveryPlatformWithoutPreviousDigests() {
        var rebuild = assertInstanceOf(Decision.Rebuild.class, UpdateDetector.decide(List.of(ASPNET), BOTH,
                upstreamIndex(AMD_1, ARM_1), Optional.empty(), DefinitionDrift.of(DEFINITION, Optional.empty()), true));

        assertEquals("never published", rebuild.why());
        assertEquals(List.of(new BasePlatform(AMD64, AMD_1, null), new BasePlatform(ARM64, ARM_1, null)),
                rebuild.baseImages().get(0).platforms());
    }

    @Test
    void eachPlatformsStateIsReadAgainstItsOwnChild() {
        var published = Optional.of(publishedIndex(AMD_1, null));
        var upstream = upstreamIndex(AMD_1, ARM_2);
        assertEquals(UpdateDetector.PlatformState.CURRENT,
                UpdateDetector.state(List.of(ASPNET), AMD64, upstream.get(AMD64), published));
        assertEquals(UpdateDetector.PlatformState.NOT_PUBLISHED,
                UpdateDetector.state(List.of(ASPNET), ARM64, upstream.get(ARM64), published));
        assertEquals(UpdateDetector.PlatformState.MOVED, UpdateDetector.state(List.of(ASPNET), ARM64,
                upstream.get(ARM64), Optional.of(publishedIndex(AMD_1, ARM_1))));
        assertEquals("not-published", UpdateDetector.PlatformState.NOT_PUBLISHED.id());
    }

    @Test
    void anUpstreamWithoutAPlatformIsAProgrammingError() {
        assertThrows(IllegalArgumentException.class, () -> UpdateDetector.decide(List.of(ASPNET), BOTH,
                Map.of(AMD64, Map.of(ASPNET, manifest(AMD_1))), Optional.empty(),
                DefinitionDrift.of(DEFINITION, Optional.empty()), true));
    }

    /** Published from base D1 with {@code definition}'s labels. */
    private static BuiltFrom labelled(Definition definition) {
        return DefinitionDriftTest.published(definition, Map.of(SDK, D1));
    }
}
