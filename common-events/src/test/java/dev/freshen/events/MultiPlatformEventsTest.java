package dev.freshen.events;

import dev.freshen.events.image.Digest;
import dev.freshen.events.image.ImageReference;
import dev.freshen.events.image.Platform;
import dev.freshen.events.image.PlatformDigest;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The multi-platform parts of the contracts: per-platform bases, index children, platform of a check or failure. */
class MultiPlatformEventsTest {

    static final Platform AMD64 = Platform.LINUX_AMD64;
    static final Platform ARM64 = Platform.parse("linux/arm64");
    static final ImageReference FROM = ImageReference.parse("mcr.microsoft.com/dotnet/runtime:10.0");
    static final Digest A1 = digest('1'), A2 = digest('2'), R1 = digest('3'), R2 = digest('4');
    static final ImageReference CANDIDATE = ImageReference.parse("127.0.0.1:5000/platform-staging/runtime@" + digest('c'));
    static final Instant AT = Instant.parse("2026-12-01T09:00:00Z");

    static Digest digest(char c) {
        return Digest.parse("sha256:" + String.valueOf(c).repeat(64));
    }

    @Test
    void aBaseOfTwoPlatformsIsChangedWhenEitherPlatformMoved() {
        BaseImage armMoved = new BaseImage(FROM, A1, A1, AMD64)
                .withPlatforms(List.of(new BasePlatform(AMD64, A1, A1), new BasePlatform(ARM64, R2, R1)));
        assertTrue(armMoved.changed(), "only arm64 moved");
        assertEquals(R2, armMoved.digestFor(ARM64));
        assertEquals(A1, armMoved.digestFor(AMD64));
        assertEquals(FROM.withDigest(R2), armMoved.pinnedFor(ARM64));
        assertNull(armMoved.digestFor(Platform.parse("linux/arm/v7")));
        assertThrows(IllegalStateException.class, () -> armMoved.pinnedFor(Platform.parse("linux/arm/v7")));

        BaseImage still = new BaseImage(FROM, A1, A1, AMD64)
                .withPlatforms(List.of(new BasePlatform(AMD64, A1, A1), new BasePlatform(ARM64, R1, R1)));
        assertFalse(still.changed());
    }

    @Test
    void aSinglePlatformBaseAnswersForItsPlatformOrForAnyWhenUnknown() {
        assertEquals(A1, new BaseImage(FROM, A1, null, AMD64).digestFor(AMD64));
        assertNull(new BaseImage(FROM, A1, null, AMD64).digestFor(ARM64));
        assertEquals(A1, new BaseImage(FROM, A1, null).digestFor(ARM64), "written before platforms: whatever the tag named");
    }

    @Test
    void aSinglePlatformRunWritesNoneOfTheNewFields() {
        BaseImage base = new BaseImage(FROM, A1, null, AMD64);
        ImageBuilt built = new ImageBuilt("b-0123456789abcdef01234567", "net10/runtime", 1, AT, Trigger.forced("x", "y"),
                List.of(base), CANDIDATE, List.of(), List.of());
        String json = EventJson.writeString(built);
        assertFalse(json.contains("manifests"), json);
        assertFalse(json.contains("platforms"), json);
        String check = EventJson.writeString(new ImageVerified(built.runId(), built.imageId(), 1, AT, built.trigger(),
                built.baseImages(), CANDIDATE, List.of(new CheckResult("user", true, "uid 1")), List.of()));
        assertTrue(check.contains("\"checks\":[{\"name\":\"user\",\"passed\":true,\"detail\":\"uid 1\"}]"), check);
    }

    @Test
    void manifestsAreTwoOrMoreDistinctPlatforms() {
        ImageBuilt built = new ImageBuilt("b-0123456789abcdef01234567", "net10/runtime", 1, AT, Trigger.forced("x", "y"),
                List.of(new BaseImage(FROM, A1, null, AMD64)), CANDIDATE, List.of(), List.of());
        List<PlatformDigest> two = List.of(new PlatformDigest(AMD64, digest('5')), new PlatformDigest(ARM64, digest('6')));
        ImageBuilt multi = built.withManifests(two);
        assertEquals(two, multi.manifests());
        ImageBuilt reread = (ImageBuilt) EventJson.read(EventJson.write(multi), EventType.IMAGE_BUILT);
        assertEquals(multi, reread);
        assertTrue(EventJson.writeString(multi).contains("{\"platform\":\"linux/arm64\",\"digest\":\"" + digest('6') + "\"}"));

        IllegalArgumentException one = assertThrows(IllegalArgumentException.class,
                () -> built.withManifests(List.of(new PlatformDigest(ARM64, digest('6')))));
        assertTrue(one.getMessage().contains("one platform"), one.getMessage());
        assertThrows(IllegalArgumentException.class, () -> built.withManifests(List.of(
                new PlatformDigest(ARM64, digest('5')), new PlatformDigest(ARM64, digest('6')))));
    }

    @Test
    void aFailureAndACheckCanNameTheirPlatform() {
        PipelineFailed failed = new PipelineFailed("b-0123456789abcdef01234567", "net10/runtime", 1, AT, Stage.TEST,
                FailureKind.PERMANENT, "linux/arm64: app exited", null, Trigger.forced("x", "y")).withPlatform(ARM64);
        assertEquals(ARM64, ((PipelineFailed) EventJson.read(EventJson.write(failed), EventType.PIPELINE_FAILED)).platform());
        CheckResult check = new CheckResult("app", true, "answered 200").withPlatform(ARM64);
        assertTrue(EventJson.writeString(new ImageVerified("b-0123456789abcdef01234567", "net10/runtime", 1, AT,
                Trigger.forced("x", "y"), List.of(new BaseImage(FROM, A1, null)), CANDIDATE, List.of(check), List.of()))
                .contains("\"platform\":\"linux/arm64\""));
    }
}
