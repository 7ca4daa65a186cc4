package dev.freshen.descriptor;

import dev.freshen.events.image.ImageReference;
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
}
