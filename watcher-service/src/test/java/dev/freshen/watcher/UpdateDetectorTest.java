package dev.freshen.watcher;

import dev.freshen.events.image.Digest;
import dev.freshen.events.image.ImageReference;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class UpdateDetectorTest {

    static final ImageReference SDK = ImageReference.parse("mcr.microsoft.com/dotnet/sdk:10.0");
    static final ImageReference ASPNET = ImageReference.parse("mcr.microsoft.com/dotnet/aspnet:10.0");
    static final Digest D1 = Digest.parse("sha256:" + "1".repeat(64));
    static final Digest D2 = Digest.parse("sha256:" + "2".repeat(64));
    static final Digest D3 = Digest.parse("sha256:" + "3".repeat(64));

    @Test
    void neverPublishedMeansRebuild() {
        var decision = assertInstanceOf(Decision.Rebuild.class,
                UpdateDetector.decide(List.of(ASPNET), Map.of(ASPNET, D1), Optional.empty()));
        assertEquals("never published", decision.why());
        assertEquals(D1, decision.baseImages().get(0).digest());
        assertNull(decision.baseImages().get(0).previousDigest());
    }

    @Test
    void sameDigestsMeansUpToDateEvenOnTheSameDay() {
        var published = new BuiltFrom("10.0-1.4.0", D3, Map.of(SDK, D1, ASPNET, D2));
        assertInstanceOf(Decision.UpToDate.class,
                UpdateDetector.decide(List.of(SDK, ASPNET), Map.of(SDK, D1, ASPNET, D2), Optional.of(published)));
    }

    @Test
    void anyMovedBaseMeansRebuildWithOldAndNewDigests() {
        var published = new BuiltFrom("10.0-1.4.0", D3, Map.of(SDK, D1, ASPNET, D2));
        var decision = assertInstanceOf(Decision.Rebuild.class,
                UpdateDetector.decide(List.of(SDK, ASPNET), Map.of(SDK, D1, ASPNET, D3), Optional.of(published)));
        assertEquals(D2, decision.baseImages().get(1).previousDigest());
        assertEquals(D3, decision.baseImages().get(1).digest());
        assertEquals(ASPNET + " 222222222222 -> 333333333333", decision.why());
    }

    @Test
    void publishedWithoutLabelsIsRebuiltOnce() {
        var published = new BuiltFrom("10.0-1.0.0", D3, Map.of());
        var decision = assertInstanceOf(Decision.Rebuild.class,
                UpdateDetector.decide(List.of(SDK), Map.of(SDK, D1), Optional.of(published)));
        assertEquals(SDK + " (unknown) -> 111111111111", decision.why());
    }

    @Test
    void missingUpstreamDigestIsAProgrammingError() {
        assertThrows(IllegalArgumentException.class, () -> UpdateDetector.decide(List.of(SDK), Map.of(), Optional.empty()));
    }
}
