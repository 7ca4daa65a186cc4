package dev.freshen.descriptor;

import dev.freshen.events.image.ImageReference;
import dev.freshen.events.image.Platform;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class FromRewriterTest {

    static final String D = "@sha256:" + "d".repeat(64);
    static final String E = "@sha256:" + "e".repeat(64);
    static final ImageReference SDK = ImageReference.parse("mcr.microsoft.com/dotnet/sdk:10.0");
    static final ImageReference ASPNET = ImageReference.parse("mcr.microsoft.com/dotnet/aspnet:10.0");

    @Test
    void pinsEveryExternalFromAndLeavesTheRestAlone() {
        String dockerfile = """
                ARG V=10.0
                FROM --platform=linux/amd64 mcr.microsoft.com/dotnet/sdk:${V} AS build
                RUN echo mcr.microsoft.com/dotnet/sdk:${V}
                FROM build AS test
                FROM mcr.microsoft.com/dotnet/aspnet:10.0
                COPY --from=build /out /app
                """;
        String pinned = FromRewriter.pinAll(dockerfile, Map.of(
                SDK, ImageReference.parse(SDK + D), ASPNET, ImageReference.parse(ASPNET + E)));
        assertEquals("""
                ARG V=10.0
                FROM --platform=linux/amd64 mcr.microsoft.com/dotnet/sdk:10.0%s AS build
                RUN echo mcr.microsoft.com/dotnet/sdk:${V}
                FROM build AS test
                FROM mcr.microsoft.com/dotnet/aspnet:10.0%s
                COPY --from=build /out /app
                """.formatted(D, E), pinned);
    }

    @Test
    void refusesToBuildFromABaseWithoutDigest() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> FromRewriter.pinAll("FROM mcr.microsoft.com/dotnet/aspnet:10.0\n", Map.of(ASPNET, ASPNET)));
        assertEquals("no digest for base mcr.microsoft.com/dotnet/aspnet:10.0 (line 1)", e.getMessage());
    }

    @Test
    void replacesTheNamedBaseInEveryStage() {
        ImageReference platform = ImageReference.parse("mycompany/net10-aspnet:10.0");
        ImageReference candidate = ImageReference.parse("127.0.0.1:5000/platform/aspnet" + D);
        String app = "FROM mycompany/net10-aspnet:10.0 AS base\nFROM debian:12 AS tools\nFROM mycompany/net10-aspnet:10.0\n";
        assertEquals("FROM " + candidate + " AS base\nFROM debian:12 AS tools\nFROM " + candidate + "\n",
                FromRewriter.replace(app, platform, candidate));
        var e = assertThrows(IllegalArgumentException.class, () -> FromRewriter.replace("FROM debian\n", platform, candidate));
        assertEquals("no FROM docker.io/mycompany/net10-aspnet:10.0 to replace", e.getMessage());
    }

    static final Platform ARM64 = Platform.parse("linux/arm64");
    static final String A = "@sha256:" + "a".repeat(64);
    static final String B = "@sha256:" + "b".repeat(64);

    /** Each watched base pinned per platform: D/E for amd64, A/B for arm64. */
    static Map<ImageReference, ImageReference> pins(Platform platform) {
        boolean amd64 = platform.equals(Platform.LINUX_AMD64);
        return Map.of(SDK, ImageReference.parse(SDK + (amd64 ? D : A)), ASPNET, ImageReference.parse(ASPNET + (amd64 ? E : B)));
    }

    @Test
    void aFromForTheBuildPlatformIsPinnedToTheBuildPlatformsManifestTheRestToTheTargets() {
        String dockerfile = """
                ARG SDK_PLATFORM=$BUILDPLATFORM
                FROM --platform=$BUILDPLATFORM mcr.microsoft.com/dotnet/sdk:10.0 AS build
                RUN dotnet publish -a $TARGETARCH -o /out
                FROM --platform=${SDK_PLATFORM} mcr.microsoft.com/dotnet/sdk:10.0 AS tools
                FROM mcr.microsoft.com/dotnet/aspnet:10.0
                COPY --from=build /out /app
                COPY --from=tools /tools /tools
                """;
        assertEquals("""
                ARG SDK_PLATFORM=$BUILDPLATFORM
                FROM --platform=$BUILDPLATFORM mcr.microsoft.com/dotnet/sdk:10.0%s AS build
                RUN dotnet publish -a $TARGETARCH -o /out
                FROM --platform=${SDK_PLATFORM} mcr.microsoft.com/dotnet/sdk:10.0%s AS tools
                FROM mcr.microsoft.com/dotnet/aspnet:10.0%s
                COPY --from=build /out /app
                COPY --from=tools /tools /tools
                """.formatted(D, D, B), FromRewriter.pinAll(dockerfile, ARM64, Platform.LINUX_AMD64,
                (base, p) -> pins(p).get(base), Map.of()));
    }

    @Test
    void aLiteralOrTargetPlatformFollowsWhatItSaysAndCopyFromAnImageFollowsTheTarget() {
        String dockerfile = """
                FROM --platform=linux/amd64 mcr.microsoft.com/dotnet/sdk:10.0 AS build
                FROM --platform=$TARGETPLATFORM mcr.microsoft.com/dotnet/aspnet:10.0
                COPY --from=mcr.microsoft.com/dotnet/sdk:10.0 /x /x
                COPY --from=build /y /y
                """;
        assertEquals("""
                FROM --platform=linux/amd64 mcr.microsoft.com/dotnet/sdk:10.0%s AS build
                FROM --platform=$TARGETPLATFORM mcr.microsoft.com/dotnet/aspnet:10.0%s
                COPY --from=mcr.microsoft.com/dotnet/sdk:10.0%s /x /x
                COPY --from=build /y /y
                """.formatted(D, B, A), FromRewriter.pinAll(dockerfile, ARM64, Platform.LINUX_AMD64,
                (base, p) -> pins(p).get(base), Map.of()));
    }

    @Test
    void withoutPlatformFlagsThePlatformPinningIsTheSingleMapPinning() {
        String dockerfile = "ARG V=10.0\nFROM mcr.microsoft.com/dotnet/sdk:${V} AS build\nFROM mcr.microsoft.com/dotnet/aspnet:10.0\n";
        assertEquals(FromRewriter.pinAll(dockerfile, pins(ARM64), Map.of()),
                FromRewriter.pinAll(dockerfile, ARM64, Platform.LINUX_AMD64, (base, p) -> pins(p).get(base), Map.of()));
    }

    @Test
    void aBaseWithoutDigestForItsPlatformIsNamedWithThePlatform() {
        var e = assertThrows(IllegalArgumentException.class, () -> FromRewriter.pinAll(
                "FROM --platform=$BUILDPLATFORM mcr.microsoft.com/dotnet/sdk:10.0\n", ARM64, Platform.LINUX_AMD64,
                (base, p) -> p.equals(ARM64) ? pins(ARM64).get(base) : null, Map.of()));
        assertEquals("no digest for base mcr.microsoft.com/dotnet/sdk:10.0 for linux/amd64 (line 1)", e.getMessage());
        var bad = assertThrows(IllegalArgumentException.class, () -> FromRewriter.pinAll(
                "FROM --platform=amd64 mcr.microsoft.com/dotnet/sdk:10.0\n", ARM64, Platform.LINUX_AMD64,
                (base, p) -> pins(p).get(base), Map.of()));
        assertEquals("line 1: FROM --platform=amd64: 'amd64' is not a platform: write os/architecture, e.g. linux/amd64, "
                + "linux/arm64 or linux/arm/v7", bad.getMessage());
    }
}
