package dev.freshen.events.image;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ImageReferenceTest {

    private static final String HEX = "2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae";

    @ParameterizedTest
    @CsvSource({
            "debian,                                  docker.io, library/debian,  ,         docker.io/library/debian",
            "debian:bookworm,                         docker.io, library/debian,  bookworm, docker.io/library/debian:bookworm",
            "bitnami/kafka:4.0,                       docker.io, bitnami/kafka,   4.0,      docker.io/bitnami/kafka:4.0",
            "index.docker.io/library/debian:12,       docker.io, library/debian,  12,       docker.io/library/debian:12",
            "mcr.microsoft.com/dotnet/runtime:10.0,   mcr.microsoft.com, dotnet/runtime, 10.0, mcr.microsoft.com/dotnet/runtime:10.0",
            "127.0.0.1:5000/dotnet/aspnet:10.0,       127.0.0.1:5000, dotnet/aspnet, 10.0, 127.0.0.1:5000/dotnet/aspnet:10.0",
            "localhost/app,                           localhost, app,             ,         localhost/app",
            "localhost:5000/a/b/c:v1,                 localhost:5000, a/b/c,      v1,       localhost:5000/a/b/c:v1",
            "Registry.Example.com/team/img:1,         Registry.Example.com, team/img, 1,    Registry.Example.com/team/img:1",
            "[::1]:5000/img:tag,                      '[::1]:5000', img,          tag,      '[::1]:5000/img:tag'",
            "ghcr.io/a_b/c__d/e-f.g:1.0-rc_1,         ghcr.io, a_b/c__d/e-f.g,    1.0-rc_1, ghcr.io/a_b/c__d/e-f.g:1.0-rc_1",
    })
    void parsesAndNormalises(String text, String registry, String repository, String tag, String canonical) {
        ImageReference ref = ImageReference.parse(text);
        assertEquals(registry, ref.registry());
        assertEquals(repository, ref.repository());
        assertEquals(tag, ref.tag());
        assertNull(ref.digest());
        assertEquals(canonical, ref.toString());
        assertEquals(ref, ImageReference.parse(ref.toString()), "canonical form parses to itself");
    }

    @Test
    void parsesTagAndDigest() {
        ImageReference ref = ImageReference.parse("mcr.microsoft.com/dotnet/runtime:10.0@sha256:" + HEX);
        assertEquals("10.0", ref.tag());
        assertEquals("sha256:" + HEX, ref.digest().toString());
        assertTrue(ref.isPinned());
        assertEquals("mcr.microsoft.com/dotnet/runtime@sha256:" + HEX, ref.byDigestOnly().toString());
    }

    @Test
    void parsesDigestWithoutTagAndPortedRegistry() {
        ImageReference ref = ImageReference.parse("127.0.0.1:5000/staging/img@sha256:" + HEX);
        assertEquals("127.0.0.1:5000", ref.registry());
        assertEquals("staging/img", ref.repository());
        assertNull(ref.tag());
        assertEquals("latest", ref.tagOrLatest());
    }

    @Test
    void dockerHubApiHost() {
        assertEquals("registry-1.docker.io", ImageReference.parse("debian").apiHost());
        assertEquals("mcr.microsoft.com", ImageReference.parse("mcr.microsoft.com/dotnet/sdk:10.0").apiHost());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "''                                   | image reference is empty",
            "Debian                               | repository name must be lowercase",
            "mcr.microsoft.com/Dotnet/runtime     | repository name must be lowercase",
            "debian:                              | invalid tag ''",
            "debian:-bad                          | invalid tag '-bad'",
            "debian@sha256:abc                    | sha256 digest must have 64 hex characters, got 3",
            "debian@md5:0123                      | unsupported digest algorithm 'md5'",
            "debian@sha256                        | must look like sha256:",
            "registry:99999/img                   | invalid port",
            "a//b                                 | invalid repository path component ''",
            "host.io/-bad                         | invalid repository path component '-bad'",
    })
    void rejectsWithAClearMessage(String text, String expected) {
        var e = assertThrows(IllegalArgumentException.class, () -> ImageReference.parse(text));
        assertTrue(e.getMessage().contains(expected), () -> "message '" + e.getMessage() + "' should contain '" + expected + "'");
    }

    @Test
    void rejectsUppercaseDigest() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> ImageReference.parse("debian@sha256:" + HEX.toUpperCase()));
        assertTrue(e.getMessage().contains("lowercase hex"), e.getMessage());
    }
}
