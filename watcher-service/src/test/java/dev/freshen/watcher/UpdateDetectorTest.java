package dev.freshen.watcher;

import dev.freshen.descriptor.definition.Definition;
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

    /** Published from base D1 with {@code definition}'s labels. */
    private static BuiltFrom labelled(Definition definition) {
        return DefinitionDriftTest.published(definition, Map.of(SDK, D1));
    }
}
