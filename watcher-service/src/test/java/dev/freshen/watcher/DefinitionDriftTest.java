package dev.freshen.watcher;

import dev.freshen.descriptor.definition.Definition;
import dev.freshen.descriptor.definition.DefinitionEntry;
import dev.freshen.events.Trigger;
import dev.freshen.events.image.Digest;
import dev.freshen.events.image.ImageReference;
import dev.freshen.testing.SampleEvents;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class DefinitionDriftTest {

    static final Definition CURRENT = definition("FROM x\nUSER 2\n", "run v2");

    /** A definition of a Dockerfile, an executable {@code app/run.sh} and the settings entry. */
    static Definition definition(String dockerfile, String runScript) {
        return Definition.of(List.of(entry(DefinitionEntry.Kind.DOCKERFILE, "Dockerfile", dockerfile),
                entry(DefinitionEntry.Kind.EXECUTABLE, "app/run.sh", runScript),
                entry(DefinitionEntry.Kind.SETTINGS, "platform-image.yaml", "build.dockerfile=Dockerfile\n")));
    }

    static DefinitionEntry entry(DefinitionEntry.Kind kind, String path, String content) {
        return new DefinitionEntry(kind, path, Digest.sha256Of(content.getBytes(StandardCharsets.UTF_8)).hex());
    }

    /** A published version labelled with {@code definition} and its files, as the builder labels it. */
    static BuiltFrom published(Definition definition, Map<ImageReference, Digest> bases) {
        return new BuiltFrom("10.0-1.0.0", SampleEvents.digest('a'), bases, definition.hash(),
                Definition.parseFilesLabel(definition.filesLabel().orElseThrow()).orElseThrow(), null);
    }

    static Optional<BuiltFrom> published(Definition definition) {
        return Optional.of(published(definition, Map.of()));
    }

    @Test
    void theSameDefinitionIsSame() {
        DefinitionDrift drift = DefinitionDrift.of(CURRENT, published(definition("FROM x\nUSER 2\n", "run v2")));

        assertEquals(DefinitionDrift.State.SAME, drift.state());
        assertEquals(List.of(), drift.changes());
        assertEquals(new CheckOutcome.DefinitionView(CURRENT.hash(), CURRENT.hash(), "same", List.of(), 0), drift.view());
        assertThrows(IllegalStateException.class, drift::toChange);
    }

    @Test
    void aChangedDefinitionNamesItsFilesInPathOrder() {
        Definition before = definition("FROM x\nUSER 1\n", "run v1");

        DefinitionDrift drift = DefinitionDrift.of(CURRENT, published(before));

        assertEquals(DefinitionDrift.State.CHANGED, drift.state());
        assertEquals("definition changed: Dockerfile, app/run.sh", drift.why());
        assertEquals(List.of(new Trigger.FileChange("Dockerfile", "modified"), new Trigger.FileChange("app/run.sh", "modified")),
                drift.changes());
        Trigger.DefinitionChange change = drift.toChange();
        assertEquals(CURRENT.hash(), change.hash());
        assertEquals(before.hash(), change.previousHash());
        assertEquals(drift.changes(), change.files());
        assertEquals(List.of(), change.commits(), "commits are added when a run starts");
        assertEquals("changed", drift.view().state());
        assertEquals(before.hash(), drift.view().published());
    }

    @Test
    void anImagePublishedWithoutTheLabelOrNothingPublishedIsUnknown() {
        DefinitionDrift unlabelled = DefinitionDrift.of(CURRENT,
                Optional.of(new BuiltFrom("10.0-1.0.0", SampleEvents.digest('a'), Map.of())));
        assertEquals(DefinitionDrift.State.UNKNOWN, unlabelled.state());
        assertNull(unlabelled.view().published());
        assertEquals(CURRENT.hash(), unlabelled.view().current());
        assertEquals("unknown", unlabelled.view().state());
        assertThrows(IllegalStateException.class, unlabelled::toChange);

        assertEquals(DefinitionDrift.State.UNKNOWN, DefinitionDrift.of(CURRENT, Optional.empty()).state());
    }

    @Test
    void aPublishedImageWithoutItsFileListIsChangedWithoutFiles() {
        Definition before = definition("FROM x\nUSER 1\n", "run v1");
        BuiltFrom noList = new BuiltFrom("10.0-1.0.0", SampleEvents.digest('a'), Map.of(), before.hash(), List.of(), null);

        DefinitionDrift drift = DefinitionDrift.of(CURRENT, Optional.of(noList));

        assertEquals(DefinitionDrift.State.CHANGED, drift.state());
        assertEquals(List.of(), drift.toChange().files());
        assertEquals("definition changed (the published image does not list its files)", drift.why());
    }

    @Test
    void theSameFilesUnderAnotherHashSayNoFileDiffers() {
        BuiltFrom otherRules = new BuiltFrom("10.0-1.0.0", SampleEvents.digest('a'), Map.of(), "sha256:" + "e".repeat(64),
                published(CURRENT).orElseThrow().definitionFiles(), null);

        DefinitionDrift drift = DefinitionDrift.of(CURRENT, Optional.of(otherRules));

        assertEquals(DefinitionDrift.State.CHANGED, drift.state());
        assertEquals(List.of(), drift.changes());
        assertEquals("definition changed (no file differs: the published image was labelled by another version of "
                + "Freshen)", drift.why());
    }

    @Test
    void atMostFiftyFilesAreListedAndTenNamed() {
        List<DefinitionEntry> before = new ArrayList<>(CURRENT.entries());
        List<DefinitionEntry> now = new ArrayList<>(CURRENT.entries());
        for (int i = 0; i < 60; i++) {
            now.add(entry(DefinitionEntry.Kind.FILE, "data/%02d.txt".formatted(i), "x" + i));
        }
        DefinitionDrift drift = DefinitionDrift.of(Definition.of(now), published(Definition.of(before)));

        assertEquals(Trigger.DefinitionChange.MAX_FILES, drift.changes().size());
        assertEquals(10, drift.moreFiles());
        assertEquals(new Trigger.FileChange("data/00.txt", "added"), drift.changes().get(0));
        assertEquals("definition changed: data/00.txt, data/01.txt, data/02.txt, data/03.txt, data/04.txt, data/05.txt, "
                + "data/06.txt, data/07.txt, data/08.txt, data/09.txt and 50 more", drift.why());
        assertEquals(10, drift.toChange().moreFiles());
    }
}
