package dev.freshen.descriptor;

import dev.freshen.events.image.ImageReference;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DockerfileTest {

    @Test
    void registriesAreThoseOfTheReadImagesAndTheFrontendNotOfUnusedStages() {
        Dockerfile file = Dockerfile.parse("""
                # syntax=docker/dockerfile:1.7
                FROM registry.example.com/sdk:10.0 AS build
                FROM unused.example.com/tools:1 AS unused
                FROM 127.0.0.1:5000/runtime@sha256:%s
                COPY --from=build /app /app
                COPY --from=mirror.example.com/certs:1 /certs /certs
                """.formatted("a".repeat(64)));
        assertEquals(List.of("registry.example.com", "127.0.0.1:5000", "mirror.example.com", "docker.io"),
                List.copyOf(file.registries()));
    }

    @Test
    void readsExternalBasesResolvingArgsAndSkippingStagesAndScratch() {
        Dockerfile dockerfile = Dockerfile.parse("""
                # a comment
                ARG REGISTRY=mcr.microsoft.com
                ARG DOTNET_VERSION="10.0"
                FROM --platform=$BUILDPLATFORM ${REGISTRY}/dotnet/sdk:${DOTNET_VERSION} AS build
                RUN dotnet publish -o /out
                FROM scratch AS empty
                FROM build AS test
                from ${REGISTRY}/dotnet/aspnet:$DOTNET_VERSION as final
                COPY --from=build /out /app
                """.replace("$BUILDPLATFORM", "linux/amd64"));
        assertEquals(List.of(ImageReference.parse("mcr.microsoft.com/dotnet/sdk:10.0"),
                ImageReference.parse("mcr.microsoft.com/dotnet/aspnet:10.0")), dockerfile.externalBases());
        assertEquals(4, dockerfile.froms().size());
        assertEquals(4, dockerfile.froms().get(0).line());
        assertEquals("${REGISTRY}/dotnet/sdk:${DOTNET_VERSION}", dockerfile.froms().get(0).written());
        assertNull(dockerfile.froms().get(1).external(), "scratch is not a base");
        assertNull(dockerfile.froms().get(2).external(), "an earlier stage is not a base");
        assertEquals(ImageReference.parse("mcr.microsoft.com/dotnet/aspnet:10.0"), dockerfile.finalBase());
        assertFalse(dockerfile.requiresBuildKit());
    }

    @Test
    void sameBaseTwiceIsListedOnce() {
        Dockerfile dockerfile = Dockerfile.parse("FROM debian:12 AS a\nFROM debian:12\n");
        assertEquals(List.of(ImageReference.parse("docker.io/library/debian:12")), dockerfile.externalBases());
    }

    @Test
    void argDefaultExpressionAndContinuationLines() {
        Dockerfile dockerfile = Dockerfile.parse("ARG TAG\nFROM \\\n  example.com/base:${TAG:-9.0}\n");
        assertEquals(ImageReference.parse("example.com/base:9.0"), dockerfile.externalBases().get(0));
        assertEquals(2, dockerfile.froms().get(0).line());
    }

    @Test
    void argWithoutDefaultIsAnError() {
        var e = assertThrows(IllegalArgumentException.class, () -> Dockerfile.parse("ARG BASE\nFROM $BASE\n"));
        assertEquals("line 2: FROM $BASE uses ARG BASE, which has no value: declare it before the first FROM with a default "
                + "(ARG BASE=<value>) or set it in build.args", e.getMessage());
    }

    @Test
    void malformedFromsAreErrors() {
        assertEquals("no FROM instruction: a Dockerfile starts a stage with FROM <image>",
                assertThrows(IllegalArgumentException.class, () -> Dockerfile.parse("RUN true\n")).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Dockerfile.parse("FROM Debian:12\n"))
                .getMessage().startsWith("line 1: FROM Debian:12: image reference 'Debian:12'"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Dockerfile.parse("FROM a b c d\n"))
                .getMessage().contains("FROM requires either one or three arguments (FROM <image> [AS <name>])"));
    }

    @Test
    void detectsBuildKitOnlySyntax() {
        assertTrue(Dockerfile.parse("# syntax=docker/dockerfile:1\nFROM debian\n").requiresBuildKit());
        assertTrue(Dockerfile.parse("FROM debian\nCOPY --chmod=755 a /a\n").requiresBuildKit());
        assertTrue(Dockerfile.parse("FROM debian\nRUN --mount=type=cache,target=/root/.nuget true\n").requiresBuildKit());
        assertTrue(Dockerfile.parse("FROM debian\nRUN <<EOF\necho hi\nEOF\n").requiresBuildKit());
        assertFalse(Dockerfile.parse("FROM debian\nCOPY --from=build /a /a\nRUN echo --mountain\n").requiresBuildKit());
    }
}
