package dev.freshen.descriptor;

import dev.freshen.events.image.Digest;
import dev.freshen.events.image.ImageReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs every case of the Dockerfile corpus ({@link DockerfileCorpus}): the bases (watched and pinned) or the error
 * it must yield, and, for every valid case, that pinning rewrites only the references and leaves every other byte.
 */
class DockerfileCorpusTest {

    static List<DockerfileCorpus> cases() {
        return DockerfileCorpus.all();
    }

    @Test
    void theCorpusIsLargeEnoughAndHalfOfItIsCheckedAgainstBuildKit() {
        List<DockerfileCorpus> all = cases();
        assertTrue(all.size() >= 60, "at least 60 cases, found " + all.size());
        assertTrue(all.stream().filter(DockerfileCorpus::differential).count() * 2 >= all.size(),
                "at least half of the cases are differential");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void yieldsItsBasesOrItsError(DockerfileCorpus c) {
        if (c.error() != null) {
            var e = assertThrows(Dockerfile.InvalidDockerfileException.class, () -> Dockerfile.parse(c.dockerfile(), c.args()));
            assertEquals(c.errorLine(), e.line(), c.name() + ": line of '" + e.getMessage() + "'");
            assertTrue(e.getMessage().contains(c.error()), c.name() + ": '" + e.getMessage() + "' should contain '" + c.error() + "'");
            return;
        }
        Dockerfile dockerfile = Dockerfile.parse(c.dockerfile(), c.args());
        assertEquals(c.bases(), dockerfile.externalBases(), c.name() + ": watched bases");
        assertEquals(c.pinned(), dockerfile.pinnedBases(), c.name() + ": pinned, not watched");
        if (c.buildKit() != null) {
            assertEquals(c.buildKit(), dockerfile.requiresBuildKit(), c.name() + ": needs BuildKit");
        }
    }

    /** A reference without tag is pinned as {@code name:latest@digest}. */
    private static ImageReference tagged(ImageReference ref) {
        return ref.tag() == null ? ref.withTag("latest") : ref;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void pinningChangesOnlyTheReferences(DockerfileCorpus c) {
        if (c.error() != null) {
            return;
        }
        Dockerfile dockerfile = Dockerfile.parse(c.dockerfile(), c.args());
        Map<ImageReference, ImageReference> pins = new LinkedHashMap<>();
        int n = 0;
        for (ImageReference base : dockerfile.externalBases()) {
            pins.put(base, base.withDigest(Digest.parse("sha256:" + String.format("%064x", ++n))));
        }
        String pinned = FromRewriter.pinAll(c.dockerfile(), pins, c.args());

        // outside the spans of the rewritten references, every character is the original one
        List<Dockerfile.Image> rewritten = new ArrayList<>(dockerfile.images().stream()
                .filter(i -> i.read() && i.watched() != null).toList());
        StringBuilder expected = new StringBuilder();
        int at = 0;
        for (Dockerfile.Image image : rewritten) {
            expected.append(c.dockerfile(), at, image.start()).append(tagged(pins.get(image.watched())));
            at = image.end();
        }
        expected.append(c.dockerfile().substring(at));
        assertEquals(expected.toString(), pinned, c.name());
        if (!rewritten.isEmpty()) {
            assertTrue(!pinned.equals(c.dockerfile()), c.name() + ": something was pinned");
        }

        // and the pinned file reads as the same bases, now at the run's digests
        Dockerfile again = Dockerfile.parse(pinned, c.args());
        assertEquals(c.bases().stream().map(DockerfileCorpusTest::tagged).toList(), again.externalBases(),
                c.name() + ": bases after pinning");
        List<ImageReference> read = again.images().stream().filter(i -> i.read() && i.watched() != null)
                .map(Dockerfile.Image::reference).distinct().toList();
        assertEquals(pins.values().stream().map(DockerfileCorpusTest::tagged).toList(), read,
                c.name() + ": every watched base is pinned");
        assertEquals(c.pinned(), again.pinnedBases(), c.name() + ": digest-only pins stay");
    }
}
