package dev.freshen.docker;

import dev.freshen.descriptor.context.ContextFiles;
import dev.freshen.events.FailureKind;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BuildContextTest {

    @TempDir
    Path context;

    @Test
    void theIssuesContextHoldsTheDockerfileAndTheFolderAndThePinnedDockerfileUnderAHiddenName() throws IOException {
        write(".dockerignore", "*\n!Dockerfile\n!ca-certificates/\n");
        write("Dockerfile", "FROM base:1\n");
        write("ca-certificates/corp.crt", "cert");
        write("secret.txt", "secret");
        Files.createSymbolicLink(context.resolve("ca-certificates/link.crt"), Path.of("corp.crt"));
        Files.setPosixFilePermissions(context.resolve("ca-certificates/corp.crt"), java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-x---"));

        Map<String, TarArchiveEntry> entries = new LinkedHashMap<>();
        Map<String, String> contents = new LinkedHashMap<>();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String dockerfile = BuildContext.write(context, "FROM base:1@sha256:" + "a".repeat(64) + "\n", out);
        try (TarArchiveInputStream tar = new TarArchiveInputStream(new ByteArrayInputStream(out.toByteArray()))) {
            for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
                entries.put(e.getName(), e);
                contents.put(e.getName(), new String(tar.readAllBytes(), StandardCharsets.UTF_8));
            }
        }
        assertTrue(dockerfile.matches("\\.dockerfile\\.[0-9a-f]{20}"), dockerfile);
        assertEquals(List.of("Dockerfile", "ca-certificates/", "ca-certificates/corp.crt", "ca-certificates/link.crt",
                ".dockerignore", dockerfile), List.copyOf(entries.keySet()));
        assertEquals("FROM base:1\n", contents.get("Dockerfile"), "the folder's Dockerfile as it is");
        assertEquals("FROM base:1@sha256:" + "a".repeat(64) + "\n", contents.get(dockerfile));
        assertEquals("*\n!Dockerfile\n!ca-certificates/\n\n" + dockerfile + "\n", contents.get(".dockerignore"));
        assertEquals("corp.crt", entries.get("ca-certificates/link.crt").getLinkName());
        assertEquals(0, entries.get("Dockerfile").getLongUserId());
        assertEquals(0100750, entries.get("ca-certificates/corp.crt").getMode());
        assertTrue(entries.get("ca-certificates/").isDirectory());
        assertEquals(dockerfile, BuildContext.write(context, "FROM base:1@sha256:" + "a".repeat(64) + "\n",
                new ByteArrayOutputStream()), "the same Dockerfile, the same name");
    }

    @Test
    void withoutADockerignoreTheCliWritesOneThatRemovesItselfAndTheDockerfile() throws IOException {
        write("Dockerfile", "FROM base:1\n");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String dockerfile = BuildContext.write(context, "FROM base:2\n", out);
        try (TarArchiveInputStream tar = new TarArchiveInputStream(new ByteArrayInputStream(out.toByteArray()))) {
            for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
                if (e.getName().equals(".dockerignore")) {
                    assertEquals(".dockerignore\n" + dockerfile + "\n", new String(tar.readAllBytes(), StandardCharsets.UTF_8));
                    return;
                }
            }
        }
        throw new AssertionError("no .dockerignore in the tar");
    }

    @Test
    void anExcludedFolderWalkedForAnExceptionIsSentOnlyWithWhatItHolds() throws IOException {
        write(".dockerignore", "app\n!app/bin/keep.dll\n");
        write("app/bin/keep.dll", "x");
        write("app/bin/drop.dll", "x");
        write("app/obj/drop.txt", "x");
        assertEquals(List.of("app", "app/bin", "app/bin/keep.dll"), BuildContext.entries(context).stream()
                .map(ContextFiles.Entry::path).filter(p -> p.startsWith("app")).toList());
    }

    @Test
    void aMalformedPatternIsAPermanentFailureNamingTheLine() throws IOException {
        write(".dockerignore", "bin\n[\n");
        BuildFailure failure = assertThrows(BuildFailure.class, () -> BuildContext.files(context));
        assertEquals(FailureKind.PERMANENT, failure.kind());
        assertEquals(BuildFailure.CONTEXT_INVALID, failure.code());
        assertTrue(failure.getMessage().startsWith(".dockerignore line 2: the pattern \"[\" is malformed"), failure.getMessage());
    }

    @Test
    void aMissingFolderIsAPermanentFailure() {
        BuildFailure failure = assertThrows(BuildFailure.class, () -> BuildContext.files(context.resolve("gone")));
        assertEquals(FailureKind.PERMANENT, failure.kind());
        assertEquals(BuildFailure.CONTEXT_INVALID, failure.code());
        assertTrue(failure.getMessage().startsWith("cannot read the build context folder "), failure.getMessage());
    }

    private void write(String relative, String content) throws IOException {
        Path file = context.resolve(relative);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
    }
}
