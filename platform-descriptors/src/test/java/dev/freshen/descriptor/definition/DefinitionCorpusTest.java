package dev.freshen.descriptor.definition;

import dev.freshen.descriptor.DescriptorLoader;
import dev.freshen.descriptor.PlatformImage;
import dev.freshen.events.image.Digest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What defines an image ({@link Definitions#of}), case by case: each case writes an image folder (content, line
 * endings, modes, links) into a temporary platform-images root at test time, so that no checkout can change its bytes,
 * loads it as the services do ({@link DescriptorLoader}) and compares definitions: what must not move the hash, what
 * must, and which entries it holds.
 */
class DefinitionCorpusTest {

    private static final String DESCRIPTOR = "target: {repository: platform/app, tagPrefix: '10.0'}\n";
    private static final String DOCKERFILE = "FROM registry.example.com/dotnet/runtime:10.0\nCOPY . /app\n";

    @TempDir
    Path temp;
    private int roots;

    /** One image folder {@code img} in a root of its own, written in the order the calls give. */
    private final class Tree {
        final Path root;
        final Path image;

        Tree() throws IOException {
            root = Files.createDirectories(temp.resolve("root" + roots++));
            image = Files.createDirectories(root.resolve("img"));
            file("platform-image.yaml", DESCRIPTOR);
            file("Dockerfile", DOCKERFILE);
        }

        Tree file(String path, String content) throws IOException {
            return bytes(path, content.getBytes(StandardCharsets.ISO_8859_1));
        }

        Tree bytes(String path, byte[] content) throws IOException {
            Path file = image.resolve(path);
            Files.createDirectories(file.getParent());
            Files.write(file, content);
            return this;
        }

        Tree atRoot(String path, String content) throws IOException {
            Path file = root.resolve(path);
            Files.createDirectories(file.getParent());
            Files.writeString(file, content);
            return this;
        }

        Tree executable(String path) throws IOException {
            Files.setPosixFilePermissions(image.resolve(path), PosixFilePermissions.fromString("rwxr-xr-x"));
            return this;
        }

        Tree link(String path, String target) throws IOException {
            Path link = image.resolve(path);
            Files.createDirectories(link.getParent());
            Files.deleteIfExists(link);
            Files.createSymbolicLink(link, Path.of(target));
            return this;
        }

        Definition definition() {
            PlatformImage loaded = new DescriptorLoader(root).load(image.resolve(PlatformImage.DESCRIPTOR_FILE));
            return loaded.definition();
        }

        List<String> entries() {
            return definition().entries().stream().map(e -> e.kind().letter() + " " + e.path()).toList();
        }

        String sha256(String path) {
            return definition().entries().stream().filter(e -> e.path().equals(path) && e.kind().inContext())
                    .findFirst().orElseThrow().sha256();
        }
    }

    @Test
    void aFolderIsItsDockerfileItsFilesAndItsSettingsInPathOrder() throws IOException {
        Tree tree = new Tree().file("app/run.sh", "echo hi\n").file(".dockerignore", "notes\n").file("notes/x.md", "x\n");
        tree.file("app/empty/.keep", "").executable("app/run.sh");
        Files.createDirectories(tree.image.resolve("empty-folder"));

        assertEquals(List.of("f .dockerignore", "D Dockerfile", "f Dockerfile", "f app/empty/.keep", "x app/run.sh",
                "s platform-image.yaml"), tree.entries(), "no folders, no ignored files, the descriptor as settings");
        Definition definition = tree.definition();
        assertEquals(Definition.VERSION_LINE + "\n" + definition.entries().stream()
                .map(e -> e.kind().letter() + " " + e.sha256() + " " + e.path() + "\n").reduce("", String::concat),
                definition.canonicalText());
        assertEquals(Digest.sha256Of(definition.canonicalText().getBytes(StandardCharsets.UTF_8)).toString(), definition.hash());
        assertEquals(Digest.sha256Of("echo hi\n".getBytes(StandardCharsets.UTF_8)).hex(), tree.sha256("app/run.sh"));
    }

    @Test
    void theHashOfAKnownFolderNeverMoves() throws IOException {
        Tree tree = new Tree().file("app/run.sh", "echo hi\n").executable("app/run.sh").link("app/current", "run.sh");
        // freshen-definition-v1: a change here moves every published image's label (a new algorithm takes new keys)
        assertEquals("sha256:" + GOLDEN, tree.definition().hash(), tree.definition().canonicalText());
    }

    /**
     * Worked out apart from the code, with sha256sum: the canonical text {@code freshen-definition-v1}, then
     * {@code D <Dockerfile> Dockerfile}, {@code f <Dockerfile> Dockerfile}, {@code l <"run.sh"> app/current},
     * {@code x <"echo hi\n"> app/run.sh}, {@code s <"build.dockerfile=Dockerfile\nbuild.buildkit=auto\nplatforms=\n">
     * platform-image.yaml}, each line ending in LF.
     */
    private static final String GOLDEN = "462fb6935135f5df0e0a9915e4d4d3ef784f18114ad26507c922f4472f22cca6";

    @Test
    void crlfInATextFileCountsAsLfInABinaryOrUnspecifiedFileAsItIs() throws IOException {
        String attributes = "* text=auto\n*.bin binary\n*.raw -text\n";
        Tree lf = new Tree().atRoot(".gitattributes", attributes).file("a.sh", "a\nb\n").file("b.bin", "a\nb\n")
                .file("c.raw", "a\nb\n");
        Tree crlf = new Tree().atRoot(".gitattributes", attributes).file("a.sh", "a\r\nb\r\n").file("b.bin", "a\nb\n")
                .file("c.raw", "a\nb\n");
        assertEquals(lf.definition(), crlf.definition(), "CRLF in a text=auto file");
        assertEquals(lf.sha256("a.sh"), crlf.sha256("a.sh"));

        crlf.file("b.bin", "a\r\nb\r\n");
        assertNotEquals(lf.definition().hash(), crlf.definition().hash(), "CRLF in a binary file");
        crlf.file("b.bin", "a\nb\n").file("c.raw", "a\r\nb\r\n");
        assertNotEquals(lf.definition().hash(), crlf.definition().hash(), "CRLF in a -text file");

        Tree none = new Tree().file("a.sh", "a\nb\n");
        Tree noneCrlf = new Tree().file("a.sh", "a\r\nb\r\n");
        assertNotEquals(none.definition().hash(), noneCrlf.definition().hash(), "no .gitattributes: the bytes as they are");
    }

    @Test
    void aDockerfileWithCrlfCountsAsLfWhenText() throws IOException {
        Tree lf = new Tree().atRoot(".gitattributes", "* text=auto\n");
        Tree crlf = new Tree().atRoot(".gitattributes", "* text=auto\n").file("Dockerfile", DOCKERFILE.replace("\n", "\r\n"));
        assertEquals(lf.definition(), crlf.definition());
    }

    @Test
    void textAutoWithANulIsBinary() throws IOException {
        Tree lf = new Tree().atRoot(".gitattributes", "* text=auto\n").file("blob", "a\n\0b\n");
        Tree crlf = new Tree().atRoot(".gitattributes", "* text=auto\n").file("blob", "a\r\n\0b\r\n");
        assertNotEquals(lf.definition().hash(), crlf.definition().hash());
    }

    @Test
    void theExecutableBitIsAnInputOtherModeBitsAreNot() throws IOException {
        Tree plain = new Tree().file("run.sh", "echo\n");
        Definition before = plain.definition();
        Files.setPosixFilePermissions(plain.image.resolve("run.sh"), PosixFilePermissions.fromString("rw-rw-rw-"));
        assertEquals(before, plain.definition(), "group and other bits are not");
        plain.executable("run.sh");
        Definition after = plain.definition();
        assertNotEquals(before.hash(), after.hash());
        assertTrue(after.entries().contains(new DefinitionEntry(DefinitionEntry.Kind.EXECUTABLE, "run.sh",
                Digest.sha256Of("echo\n".getBytes(StandardCharsets.UTF_8)).hex())));
        assertEquals(List.of(new dev.freshen.events.Trigger.FileChange("run.sh", "mode")), after.changesSince(before.entries()));
    }

    @Test
    void aLinkIsItsTargetTextNotFollowed() throws IOException {
        Tree tree = new Tree().file("a.txt", "a\n").file("b.txt", "b\n").link("current", "a.txt");
        assertEquals(Digest.sha256Of("a.txt".getBytes(StandardCharsets.UTF_8)).hex(), tree.sha256("current"));
        assertTrue(tree.entries().contains("l current"));
        Definition before = tree.definition();
        tree.link("current", "b.txt");
        assertNotEquals(before.hash(), tree.definition().hash());
        tree.link("current", "a.txt").link("outside", "/etc/hostname");
        assertTrue(tree.entries().contains("l outside"), "a link out of the folder is its text too");
    }

    @Test
    void aFileTheDockerignoreExcludesIsNoInput() throws IOException {
        Tree tree = new Tree().file(".dockerignore", "notes/\n*.md\n!KEEP.md\n").file("notes/todo.txt", "one\n")
                .file("README.md", "r\n").file("KEEP.md", "k\n");
        Definition before = tree.definition();
        tree.file("notes/todo.txt", "two\n").file("notes/more.txt", "new\n").file("README.md", "changed\n");
        assertEquals(before, tree.definition());
        assertTrue(tree.entries().contains("f KEEP.md"));
        tree.file("KEEP.md", "changed\n");
        assertNotEquals(before.hash(), tree.definition().hash());
    }

    @Test
    void aDockerfileTheDockerignoreExcludesIsStillTheDockerfileAndAnExcludedDockerignoreIsNoInput() throws IOException {
        Tree tree = new Tree().file(".dockerignore", "Dockerfile\n.dockerignore\n");
        assertEquals(List.of("D Dockerfile", "s platform-image.yaml"), tree.entries());
        Definition before = tree.definition();
        tree.file("Dockerfile", DOCKERFILE + "USER app\n");
        assertNotEquals(before.hash(), tree.definition().hash());
    }

    @Test
    void aDockerfileOutsideTheFolderIsNamedByItsRelativePath() throws IOException {
        Tree tree = new Tree().atRoot("shared/Dockerfile", DOCKERFILE).file("platform-image.yaml",
                DESCRIPTOR + "build: {dockerfile: ../shared/Dockerfile}\n");
        assertEquals(List.of("D ../shared/Dockerfile", "f Dockerfile", "s platform-image.yaml"), tree.entries());
        Definition before = tree.definition();
        tree.atRoot("shared/Dockerfile", DOCKERFILE + "USER app\n");
        assertNotEquals(before.hash(), tree.definition().hash());
    }

    @Test
    void editsOfTheDescriptorOutsideTheBuildChangeNothing() throws IOException {
        Tree tree = new Tree();
        Definition before = tree.definition();
        tree.file("platform-image.yaml", "# the runtime image\n" + DESCRIPTOR.replace("'10.0'", "\"10.0\"")
                + "schedule: \"0 */15 * * * ?\"\nrebuildOnChange: false\n");
        assertEquals(before, tree.definition(), "a comment, quoting, schedule, rebuildOnChange");
        tree.file("platform-image.yaml", DESCRIPTOR + "build: {dockerfile: ./Dockerfile, buildkit: auto}\n");
        assertEquals(before, tree.definition(), "the defaults spelt out");
        tree.file("platform-image.yaml", DESCRIPTOR + "build: {args: {FLAVOR: chiseled}}\n");
        assertNotEquals(before.hash(), tree.definition().hash(), "a build argument");
        tree.file("platform-image.yaml", DESCRIPTOR + "build: {buildkit: always}\n");
        assertNotEquals(before.hash(), tree.definition().hash(), "the builder");
    }

    @Test
    void theOrderFilesWereWrittenInAndTheirTimesChangeNothing() throws IOException {
        List<String> names = new ArrayList<>(List.of("b/2.txt", "a.txt", "b/1.txt", "c/d/e.txt", "Z.txt", "_x"));
        Tree first = new Tree();
        for (String name : names) {
            first.file(name, name + "\n");
        }
        Collections.reverse(names);
        Tree second = new Tree();
        for (String name : names) {
            second.file(name, name + "\n");
            Files.setLastModifiedTime(second.image.resolve(name), FileTime.from(Instant.parse("2001-01-01T00:00:00Z")));
        }
        assertEquals(first.definition(), second.definition());
    }
}
