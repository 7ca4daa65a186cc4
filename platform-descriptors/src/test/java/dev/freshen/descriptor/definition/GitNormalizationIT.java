package dev.freshen.descriptor.definition;

import dev.freshen.descriptor.DescriptorLoader;
import dev.freshen.descriptor.PlatformImage;
import dev.freshen.events.image.Digest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The definition against the real {@code git}: a file's entry is the sha256 of the blob git stores for it
 * ({@code git cat-file blob :<path>}), whatever its line endings and attributes, so that checkouts with
 * {@code core.autocrlf=true} and {@code false} and a plain copy without {@code .git} give one hash; the executable bit
 * that {@code git update-index --chmod=+x} records changes it. Every repository here ignores the machine's git
 * configuration ({@code GIT_CONFIG_GLOBAL=/dev/null}, {@code GIT_CONFIG_NOSYSTEM=1}).
 */
class GitNormalizationIT {

    private static final String ATTRIBUTES = "* text=auto\n*.bin binary\n*.raw -text\nscripts/*.cmd eol=crlf\n";
    private static final String DOCKERFILE = "FROM registry.example.com/dotnet/runtime:10.0\r\nCOPY . /app\r\n";

    @TempDir
    Path temp;

    @BeforeAll
    static void gitIsThere() {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/git")), "skipped: no git at /usr/bin/git");
    }

    @Test
    void everyEntryIsTheBlobGitStoresAndEveryCheckoutGivesOneHash() throws Exception {
        Path repo = Files.createDirectories(temp.resolve("repo"));
        write(repo, ".gitattributes", ATTRIBUTES);
        write(repo, "img/platform-image.yaml", "target: {repository: platform/app, tagPrefix: '10.0'}\r\n");
        write(repo, "img/Dockerfile", DOCKERFILE);
        write(repo, "img/.dockerignore", "notes\r\n");
        write(repo, "img/notes/todo.md", "not sent\r\n");
        write(repo, "img/run.sh", "#!/bin/sh\r\necho hi\r\n");
        Files.setPosixFilePermissions(repo.resolve("img/run.sh"), PosixFilePermissions.fromString("rwxr-xr-x"));
        write(repo, "img/lf.txt", "already\nLF\n");
        write(repo, "img/mixed.txt", "one\r\ntwo\nthree\r\n");
        write(repo, "img/data.bin", "binary\r\nby attribute\r\n");
        write(repo, "img/keep.raw", "raw\r\n");
        write(repo, "img/nul.dat", "a\r\n\0b\r\n");
        write(repo, "img/lonecr.txt", "a\rb\r\n");
        write(repo, "img/scripts/setup.cmd", "@echo off\r\n");
        write(repo, "img/scripts/unix.cmd", "@echo off\n");
        git(repo, "init", "-q");
        git(repo, "add", "-A");
        git(repo, "commit", "-q", "-m", "images");

        assertNotEquals(blobSha256(repo, "img/run.sh"), Digest.sha256Of(Files.readAllBytes(repo.resolve("img/run.sh")))
                .hex(), "git stored run.sh with LF");
        Definition original = definition(repo);
        for (DefinitionEntry entry : original.entries()) {
            if (entry.kind() != DefinitionEntry.Kind.SETTINGS) {
                assertEquals(blobSha256(repo, "img/" + entry.path()), entry.sha256(), entry.path() + ": the blob git stores");
            }
        }
        assertTrue(original.entries().contains(new DefinitionEntry(DefinitionEntry.Kind.EXECUTABLE, "run.sh",
                blobSha256(repo, "img/run.sh"))));

        Path crlf = clone(repo, "crlf", "true");
        Path lf = clone(repo, "lf", "false");
        assertTrue(Files.readString(crlf.resolve("img/lf.txt")).contains("\r\n"), "the checkout wrote CRLF");
        assertEquals(original, definition(crlf), "a checkout with core.autocrlf=true");
        assertEquals(original, definition(lf), "a checkout with core.autocrlf=false");
        assertEquals(original, definition(copyWithoutGit(crlf, temp.resolve("copy"))), "a copy without .git");

        git(repo, "update-index", "--chmod=+x", "img/lf.txt");
        git(repo, "commit", "-q", "-m", "lf.txt executable");
        Definition executable = definition(clone(repo, "exec", "false"));
        assertNotEquals(original.hash(), executable.hash());
        assertEquals(List.of(new dev.freshen.events.Trigger.FileChange("lf.txt", "mode")),
                executable.changesSince(original.entries()));
    }

    /** Each rule of {@link GitAttributes} on files git adds: the converted bytes are git's blob, byte for byte. */
    @Test
    void gitAttributesConvertsWhatGitConverts() throws Exception {
        Path repo = Files.createDirectories(temp.resolve("rules"));
        write(repo, ".gitattributes", "*.a -text eol=lf\n*.b text=input\n*.c eol=crlf\n*.d binary eol=lf\n"
                + "*.e text=bogus\n*.f !text eol=lf\n*.g -crlf\n*.h crlf\n*.i text binary\n*.j binary text\n"
                + "[attr]mine -text\n*.k mine\n!*.l text\nauto/** text=auto\n[a-c]?.m text\n**/deep/*.n text\n"
                + "/top.o text\nsub/x/*.p text\n");
        write(repo, "sub/.gitattributes", "*.q text\n*.c -text\nx/** text=auto\n");
        write(repo, "sub/x/.gitattributes", "*.r text\n");
        Map<String, String> files = new LinkedHashMap<>();
        for (String ext : List.of("a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l")) {
            files.put("t." + ext, "x\r\ny\r\n");
            files.put("sub/t." + ext, "x\r\ny\r\n");
        }
        files.put("auto/text", "x\r\ny\r\n");
        files.put("auto/nul", "x\r\n\0\r\n");
        files.put("auto/lonecr", "x\ry\r\n");
        files.put("auto/control", "x\r\n\1yz\r\n");
        files.put("auto/fewcontrols", "x\r\n\1" + "y".repeat(300) + "\r\n");
        files.put("auto/eof", "x\r\n\u001a");
        files.put("auto/lf-only", "x\ny\n");
        files.put("b1.m", "x\r\n");
        files.put("sub/c2.m", "x\r\n");
        files.put("d1.m", "x\r\n");
        files.put("deep/k.n", "x\r\n");
        files.put("a/b/deep/k.n", "x\r\n");
        files.put("top.o", "x\r\n");
        files.put("sub/top.o", "x\r\n");
        files.put("sub/x/k.p", "x\r\n");
        files.put("other/sub/x/k.p", "x\r\n");
        files.put("sub/k.q", "x\r\n");
        files.put("sub/x/k.r", "x\r\n");
        files.put("sub/x/k.s", "x\r\n\0");
        files.put("sub/x/k.t", "x\r\n");
        for (Map.Entry<String, String> file : files.entrySet()) {
            write(repo, file.getKey(), file.getValue());
        }
        git(repo, "init", "-q");
        git(repo, "add", "-A");
        GitAttributes attributes = GitAttributes.load(repo);
        List<String> differ = new ArrayList<>();
        int converted = 0;
        for (String path : files.keySet()) {
            byte[] raw = Files.readAllBytes(repo.resolve(path));
            String blob = blobSha256(repo, path);
            converted += blob.equals(Digest.sha256Of(raw).hex()) ? 0 : 1;
            if (!Digest.sha256Of(attributes.toGit(path, raw)).hex().equals(blob)) {
                differ.add(path);
            }
        }
        assertEquals(List.of(), differ, "files whose bytes differ from git's blob");
        assertTrue(converted > 10 && converted < files.size() - 10, "git converted some files and left others: "
                + converted + " of " + files.size());
    }

    private static Definition definition(Path root) {
        return new DescriptorLoader(root).load(root.resolve("img").resolve(PlatformImage.DESCRIPTOR_FILE)).definition();
    }

    private Path clone(Path repo, String name, String autocrlf) throws Exception {
        Path target = temp.resolve(name);
        git(temp, "-c", "core.autocrlf=" + autocrlf, "clone", "-q", "--config", "core.autocrlf=" + autocrlf,
                repo.toString(), target.toString());
        return target;
    }

    private static Path copyWithoutGit(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path path : paths.toList()) {
                Path relative = from.relativize(path);
                if (relative.toString().equals(".git") || relative.startsWith(".git")) {
                    continue;
                }
                Path target = to.resolve(relative.toString());
                if (Files.isDirectory(path)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(path, target, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
        return to;
    }

    private static String blobSha256(Path repo, String path) throws Exception {
        return Digest.sha256Of(git(repo, "cat-file", "blob", ":" + path)).hex();
    }

    private static byte[] git(Path dir, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("git", "-c", "user.name=Freshen Test", "-c",
                "user.email=test@freshen.invalid", "-c", "core.autocrlf=false", "-c", "safe.directory=*"));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile())
                .redirectError(ProcessBuilder.Redirect.DISCARD);
        builder.environment().put("GIT_CONFIG_GLOBAL", "/dev/null");
        builder.environment().put("GIT_CONFIG_NOSYSTEM", "1");
        Process process = builder.start();
        process.getOutputStream().close();
        byte[] out = process.getInputStream().readAllBytes();
        assertTrue(process.waitFor(30, TimeUnit.SECONDS), "git " + String.join(" ", args) + " finished");
        assertEquals(0, process.exitValue(), "git " + String.join(" ", args));
        return out;
    }

    private static void write(Path root, String relative, String content) throws IOException {
        Path file = root.resolve(relative);
        Files.createDirectories(file.getParent());
        Files.write(file, content.getBytes(StandardCharsets.ISO_8859_1));
    }
}
