package dev.freshen.descriptor.context;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Reading and matching rules of {@link DockerIgnore}; {@code DockerIgnoreIT} checks the same against BuildKit. */
class DockerIgnoreTest {

    @Test
    void readsPatternsAsDockersIgnoreFileReaderDoes() {
        DockerIgnore ignore = DockerIgnore.parse("\uFEFF# comment\n\n  \n #not a comment\n/docs/\n./src//a/../b\n"
                + "!  keep.txt \r\n../up\n/\n**/\n");
        assertEquals(List.of("#not a comment", "docs", "src/b", "!keep.txt", "../up", "/", "**"), ignore.patterns());
        assertTrue(ignore.hasExceptions());
    }

    @Test
    void cleansLikeGo() {
        assertEquals("a/b", DockerIgnore.clean("a//b/./"));
        assertEquals("../x", DockerIgnore.clean("a/../../x"));
        assertEquals("/x", DockerIgnore.clean("/../x"));
        assertEquals(".", DockerIgnore.clean("./"));
        assertEquals(".", DockerIgnore.clean(""));
    }

    @Test
    void theLastMatchingPatternDecidesAndAFolderCoversItsEntries() {
        DockerIgnore ignore = DockerIgnore.parse("*\n!Dockerfile\n!ca-certificates/\n");
        assertTrue(ignore.excludes("secret.txt"));
        assertTrue(ignore.excludes("src/Program.cs"));
        assertFalse(ignore.excludes("Dockerfile"));
        assertFalse(ignore.excludes("ca-certificates/corp.crt"));
        assertFalse(ignore.excludes("ca-certificates/deep/inner.crt"));

        DockerIgnore reExcluded = DockerIgnore.parse("src\n!src/*.go\nsrc/a.go\n");
        assertTrue(reExcluded.excludes("src/a.go"));
        assertFalse(reExcluded.excludes("src/b.go"));
        assertTrue(reExcluded.excludes("src/b.txt"));
    }

    @Test
    void wildcards() {
        DockerIgnore ignore = DockerIgnore.parse("*.md\n**/*.tmp\nsrc/**/*.go\ndocs/**\n?EADME\n[a-c]x\nx\\*y\n");
        assertTrue(ignore.excludes("README.md"));
        assertFalse(ignore.excludes("docs2/guide.md"), "* stays within one element");
        assertTrue(ignore.excludes("x.tmp"));
        assertTrue(ignore.excludes("a/b/c/x.tmp"));
        assertTrue(ignore.excludes("src/a.go"));
        assertTrue(ignore.excludes("src/a/b/c.go"));
        assertFalse(ignore.excludes("docs"), "docs/** matches what is under docs, not docs");
        assertTrue(ignore.excludes("docs/a/b"));
        assertTrue(ignore.excludes("README"));
        assertTrue(ignore.excludes("bx"));
        assertFalse(ignore.excludes("dx"));
        assertTrue(ignore.excludes("x*y"));
        assertFalse(ignore.excludes("xzy"));
    }

    @Test
    void anExceptionIsCheckedAgainstWhatMatchedTheParentFolder() {
        DockerIgnore ignore = DockerIgnore.parse("src/nested/deep\n!src/nested\n");
        DockerIgnore.Match src = ignore.match("src", null);
        DockerIgnore.Match nested = ignore.match("src/nested", src);
        DockerIgnore.Match deep = ignore.match("src/nested/deep", nested);
        assertTrue(deep.excluded());
        assertTrue(ignore.match("src/nested/deep/c.go", deep).excluded());
    }

    @Test
    void whetherAnExcludedFolderIsWalkedForExceptions() {
        assertFalse(DockerIgnore.parse("app\n").mayReincludeUnder("app"));
        assertTrue(DockerIgnore.parse("app\n!app/Program.cs\n").mayReincludeUnder("app"));
        assertFalse(DockerIgnore.parse("app\n!docs/x\n").mayReincludeUnder("app"));
        assertTrue(DockerIgnore.parse("*\n!ca/*\n").mayReincludeUnder("ca"));
        assertTrue(DockerIgnore.parse("*\n!**/*.crt\n").mayReincludeUnder("anything"));
    }

    @Test
    void refusesWhatGoRefusesNamingTheLine() {
        for (String bad : List.of("[", "a[b", "[]", "[^]x", "a\\", "[a-]", "[z-a]x")) {
            var e = assertThrows(DockerIgnore.InvalidPattern.class, () -> DockerIgnore.parse("ok\n" + bad + "\n"), bad);
            assertTrue(e.getMessage().startsWith(".dockerignore line 2: "), e.getMessage());
        }
        var lone = assertThrows(DockerIgnore.InvalidPattern.class, () -> DockerIgnore.parse("!\n"));
        assertTrue(lone.getMessage().contains("\"!\""), lone.getMessage());
        assertEquals(List.of("[a-c]", "a[!b]"), DockerIgnore.parse("[a-c]\na[!b]\n").patterns());
    }
}
