package dev.freshen.descriptor.definition;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link GitAttributes} by the rules of gitattributes(5); {@code GitNormalizationIT} holds the same to git itself. */
class GitAttributesTest {

    private static final byte[] TEXT = "a\r\nb\r\n".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path root;

    @Test
    void withoutAttributesNothingIsText() {
        assertFalse(GitAttributes.load(root).isText("img/run.sh", TEXT), "as git without core.autocrlf");
    }

    @Test
    void aPatternWithoutASlashMatchesTheNameAtAnyDepthOneWithASlashIsAnchoredToItsFolder() throws IOException {
        write(".gitattributes", "*.sh text\nimg/conf/*.ini text\n/top.txt text\n");
        GitAttributes attributes = GitAttributes.load(root);
        assertTrue(attributes.isText("run.sh", TEXT));
        assertTrue(attributes.isText("img/deep/run.sh", TEXT));
        assertTrue(attributes.isText("img/conf/a.ini", TEXT));
        assertFalse(attributes.isText("img/conf/sub/a.ini", TEXT), "* stays within one folder");
        assertFalse(attributes.isText("other/img/conf/a.ini", TEXT), "anchored to the attributes file's folder");
        assertTrue(attributes.isText("top.txt", TEXT));
        assertFalse(attributes.isText("img/top.txt", TEXT), "a leading / anchors");
    }

    @Test
    void doubleStarsCrossFolders() throws IOException {
        write(".gitattributes", "**/scripts/** text\nimg/**/x.cfg text\ndocs/** text\n");
        GitAttributes attributes = GitAttributes.load(root);
        assertTrue(attributes.isText("scripts/a", TEXT));
        assertTrue(attributes.isText("img/scripts/b/c", TEXT));
        assertTrue(attributes.isText("img/x.cfg", TEXT), "/**/ matches no folder too");
        assertTrue(attributes.isText("img/a/b/x.cfg", TEXT));
        assertTrue(attributes.isText("docs/a/b.md", TEXT));
        assertFalse(attributes.isText("img/docs/b.md", TEXT));
    }

    @Test
    void classesQuestionMarksAndEscapes() throws IOException {
        write(".gitattributes", "[a-c]?.txt text\n[!x]y.md text\nstar\\*.txt text\n\"with space.txt\" text\n");
        GitAttributes attributes = GitAttributes.load(root);
        assertTrue(attributes.isText("b1.txt", TEXT));
        assertFalse(attributes.isText("d1.txt", TEXT));
        assertFalse(attributes.isText("b12.txt", TEXT));
        assertTrue(attributes.isText("zy.md", TEXT));
        assertFalse(attributes.isText("xy.md", TEXT));
        assertTrue(attributes.isText("star*.txt", TEXT));
        assertFalse(attributes.isText("starry.txt", TEXT));
        assertTrue(attributes.isText("with space.txt", TEXT));
    }

    @Test
    void aDeeperFileAndALaterLineWinAndEachAttributeIsDecidedApart() throws IOException {
        write(".gitattributes", "* text\n*.bin -text\n*.dat eol=lf\n");
        write("img/.gitattributes", "*.sh -text\n*.dat !text\n");
        write("img/sub/.gitattributes", "keep.sh text\n");
        GitAttributes attributes = GitAttributes.load(root);
        assertTrue(attributes.isText("img/a.txt", TEXT));
        assertFalse(attributes.isText("img/a.bin", TEXT), "a later line wins");
        assertFalse(attributes.isText("img/a.sh", TEXT), "a deeper file wins");
        assertTrue(attributes.isText("a.sh", TEXT), "the deeper file applies below its folder only");
        assertTrue(attributes.isText("img/sub/keep.sh", TEXT));
        assertTrue(attributes.isText("img/x.dat", TEXT), "text unspecified, eol from the root file: text");
    }

    @Test
    void theValuesOfTextAndEolAsGitReadsThem() throws IOException {
        write(".gitattributes", "*.a -text eol=lf\n*.b text=input\n*.c eol=crlf\n*.d binary eol=lf\n*.e text=bogus\n"
                + "*.f !text eol=lf\n*.g -crlf\n*.h crlf\n*.i text binary\n*.j binary text\n[attr]mine -text\n*.k mine\n"
                + "dir/ text\n!*.l text\n");
        GitAttributes attributes = GitAttributes.load(root);
        assertFalse(attributes.isText("t.a", TEXT), "-text wins over eol");
        assertTrue(attributes.isText("t.b", TEXT));
        assertTrue(attributes.isText("t.c", TEXT), "eol alone makes text");
        assertFalse(attributes.isText("t.d", TEXT), "binary is -text");
        assertFalse(attributes.isText("t.e", TEXT), "another value leaves it unspecified");
        assertTrue(attributes.isText("t.f", TEXT));
        assertFalse(attributes.isText("t.g", TEXT));
        assertTrue(attributes.isText("t.h", TEXT), "the legacy crlf when text is unspecified");
        assertFalse(attributes.isText("t.i", TEXT), "the last mention in a line wins");
        assertTrue(attributes.isText("t.j", TEXT));
        assertFalse(attributes.isText("t.k", TEXT), "other macros are not applied");
        assertFalse(attributes.isText("dir", TEXT), "a folder pattern matches no file");
        assertFalse(attributes.isText("x.l", TEXT), "negative patterns are refused");
    }

    @Test
    void autoLooksAtTheWholeContentAsGitsConvertIsBinary() throws IOException {
        write(".gitattributes", "* text=auto\n");
        GitAttributes attributes = GitAttributes.load(root);
        assertTrue(attributes.isText("a", TEXT));
        assertFalse(attributes.isText("a", bytes("a\r\nb\0c\r\n")), "a NUL");
        assertFalse(attributes.isText("a", bytes("a\r\nb\rc\r\n")), "a CR without LF");
        assertFalse(attributes.isText("a", bytes("a\r\n\1b\r\n")), "one control character per 2 printable ones");
        assertTrue(attributes.isText("a", bytes("a\r\n\1" + "b".repeat(200) + "\r\n")), "one per 201");
        assertTrue(attributes.isText("a", bytes("a\tb\u001b\b\f\r\n\u001a")), "tab, escape, backspace, form feed, a final ^Z");
        byte[] late = new byte[20_000];
        java.util.Arrays.fill(late, (byte) 'x');
        late[0] = '\r';
        late[1] = '\n';
        late[19_999] = 0;
        assertFalse(attributes.isText("a", late), "a NUL after the first 8000 bytes counts too");
    }

    @Test
    void toGitTurnsCrlfIntoLfForTextOnly() throws IOException {
        write(".gitattributes", "*.txt text\n");
        GitAttributes attributes = GitAttributes.load(root);
        assertArrayEquals(bytes("a\nb\rc\n\r"), attributes.toGit("x.txt", bytes("a\r\nb\rc\r\n\r")), "a lone CR stays");
        byte[] raw = bytes("a\r\n");
        assertSame(raw, attributes.toGit("x.bin", raw));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    private void write(String relative, String content) throws IOException {
        Path file = root.resolve(relative);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
    }
}
