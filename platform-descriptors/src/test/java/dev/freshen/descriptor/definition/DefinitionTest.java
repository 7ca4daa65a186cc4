package dev.freshen.descriptor.definition;

import dev.freshen.events.Trigger;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static dev.freshen.descriptor.definition.DefinitionEntry.Kind.DOCKERFILE;
import static dev.freshen.descriptor.definition.DefinitionEntry.Kind.EXECUTABLE;
import static dev.freshen.descriptor.definition.DefinitionEntry.Kind.FILE;
import static dev.freshen.descriptor.definition.DefinitionEntry.Kind.SETTINGS;
import static dev.freshen.descriptor.definition.DefinitionEntry.Kind.SYMLINK;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The canonical text, the hash and the files label of a definition. */
class DefinitionTest {

    private static final String A = "a".repeat(64);
    private static final String B = "b".repeat(64);

    @Test
    void theHashIsIndependentOfEntryOrderAndOverTheCanonicalText() {
        List<DefinitionEntry> entries = List.of(new DefinitionEntry(FILE, "b.txt", A), new DefinitionEntry(DOCKERFILE, "Dockerfile", B),
                new DefinitionEntry(FILE, "Dockerfile", B), new DefinitionEntry(SETTINGS, "platform-image.yaml", A));
        Definition one = Definition.of(entries);
        List<DefinitionEntry> reversed = new ArrayList<>(entries);
        java.util.Collections.reverse(reversed);
        Definition other = Definition.of(reversed);
        assertEquals(one, other);
        assertEquals("freshen-definition-v1\nD " + B + " Dockerfile\nf " + B + " Dockerfile\nf " + A + " b.txt\ns " + A
                + " platform-image.yaml\n", one.canonicalText());
        assertEquals(dev.freshen.events.image.Digest.sha256Of(one.canonicalText().getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .toString(), one.hash());
    }

    @Test
    void pathsSortByUtf8BytesAndControlCharactersAreEscaped() {
        Definition definition = Definition.of(List.of(new DefinitionEntry(FILE, "é.txt", A), new DefinitionEntry(FILE, "z.txt", A),
                new DefinitionEntry(FILE, "a\nb%c", A)));
        assertEquals(List.of("a\nb%c", "z.txt", "é.txt"), definition.entries().stream().map(DefinitionEntry::path).toList());
        assertTrue(definition.canonicalText().contains("f " + A + " a%0Ab%25c\n"), definition.canonicalText());
    }

    @Test
    void theFilesLabelRoundTripsWithShortDigests() {
        Definition definition = Definition.of(List.of(new DefinitionEntry(FILE, "with space/a%b", A),
                new DefinitionEntry(EXECUTABLE, "run.sh", B), new DefinitionEntry(SYMLINK, "link", A)));
        String label = definition.filesLabel().orElseThrow();
        assertTrue(label.startsWith("freshen-definition-v1\n"), label);
        assertTrue(label.contains("x " + "b".repeat(16) + " run.sh"), label);
        List<DefinitionEntry> read = Definition.parseFilesLabel(label).orElseThrow();
        assertEquals(definition.entries().stream().map(e -> new DefinitionEntry(e.kind(), e.path(), e.shortSha256())).toList(), read);
        assertEquals(List.of(), definition.changesSince(read));
    }

    @Test
    void aLabelOfAnotherVersionOrMalformedReadsAsNone() {
        assertTrue(Definition.parseFilesLabel("freshen-definition-v2\nf " + A + " x").isEmpty());
        assertTrue(Definition.parseFilesLabel("freshen-definition-v1\nq " + "a".repeat(16) + " x").isEmpty());
        assertTrue(Definition.parseFilesLabel("freshen-definition-v1\nf nothex x").isEmpty());
        assertTrue(Definition.parseFilesLabel(null).isEmpty());
    }

    @Test
    void theFilesLabelIsLeftOutBeyond32KiB() {
        List<DefinitionEntry> many = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            many.add(new DefinitionEntry(FILE, "files/file-" + i + ".txt", A));
        }
        assertTrue(Definition.of(many).filesLabel().isEmpty());
        assertTrue(Definition.of(many.subList(0, 100)).filesLabel().isPresent());
    }

    @Test
    void changesNameAddedRemovedModifiedAndModeOncePerPath() {
        List<DefinitionEntry> published = List.of(new DefinitionEntry(DOCKERFILE, "Dockerfile", "1".repeat(16)),
                new DefinitionEntry(FILE, "Dockerfile", "1".repeat(16)), new DefinitionEntry(FILE, "gone.txt", A.substring(0, 16)),
                new DefinitionEntry(FILE, "run.sh", B.substring(0, 16)), new DefinitionEntry(FILE, "link", A.substring(0, 16)));
        Definition now = Definition.of(List.of(new DefinitionEntry(DOCKERFILE, "Dockerfile", "2".repeat(64)),
                new DefinitionEntry(FILE, "Dockerfile", "2".repeat(64)), new DefinitionEntry(FILE, "new.txt", A),
                new DefinitionEntry(EXECUTABLE, "run.sh", B), new DefinitionEntry(SYMLINK, "link", A)));
        assertEquals(List.of(new Trigger.FileChange("Dockerfile", "modified"), new Trigger.FileChange("gone.txt", "removed"),
                new Trigger.FileChange("link", "modified"), new Trigger.FileChange("new.txt", "added"),
                new Trigger.FileChange("run.sh", "mode")), now.changesSince(published));
        assertNotEquals(Definition.of(published).hash(), now.hash());
    }

    @Test
    void entriesNeedAKindAPathAndHex() {
        assertThrows(IllegalArgumentException.class, () -> new DefinitionEntry(FILE, "", A));
        assertThrows(IllegalArgumentException.class, () -> new DefinitionEntry(FILE, "a", "xyz"));
        assertThrows(IllegalArgumentException.class, () -> new DefinitionEntry(null, "a", A));
    }
}
