package dev.freshen.descriptor;

import dev.freshen.events.image.ImageReference;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Rewrites image references in Dockerfile text, read by {@link Dockerfile} as BuildKit reads it, and changes nothing
 * else: only the text of each rewritten reference (the image of a {@code FROM}, the value of {@code COPY --from=}, the
 * {@code from=} of a {@code RUN --mount}) is replaced; every other byte (comments, heredoc bodies, continuations, the
 * rest of the line) stays as it was. A reference written with ARGs is replaced by the literal reference. The file on
 * disk is never changed: callers build from the returned text.
 */
public final class FromRewriter {

    private FromRewriter() {
    }

    /**
     * Pins every watched base to the run's digest: {@code mcr.microsoft.com/dotnet/runtime:10.0} (or
     * {@code ...:10.0@sha256:<old>}) becomes {@code mcr.microsoft.com/dotnet/runtime:10.0@sha256:<run's>}, so a base
     * that moves upstream during the build cannot slip in. A base pinned by digest alone is left as written, and so
     * are references in stages the build does not need.
     *
     * @param pinned    for each watched base (by tag reference), the reference pinned by digest
     * @param buildArgs the descriptor's {@code build.args} (they decide what the ARGs in references resolve to)
     * @throws IllegalArgumentException when a watched base has no pinned reference, or the text is no Dockerfile
     */
    public static String pinAll(String text, Map<ImageReference, ImageReference> pinned, Map<String, String> buildArgs) {
        Dockerfile dockerfile = Dockerfile.parse(text, buildArgs);
        List<Edit> edits = new ArrayList<>();
        for (Dockerfile.Image image : dockerfile.images()) {
            ImageReference watched = image.watched();
            if (!image.read() || watched == null) {
                continue;
            }
            ImageReference replacement = pinned.get(watched);
            if (replacement == null || !replacement.isPinned()) {
                throw new IllegalArgumentException("no digest for base " + watched + " (line " + image.line() + ")");
            }
            // keep the tag: a reference by digest alone would read as a deliberate pin
            edits.add(new Edit(image.start(), image.end(), (replacement.tag() == null ? replacement.withTag("latest")
                    : replacement).toString()));
        }
        return apply(text, edits);
    }

    /** {@link #pinAll(String, Map, Map)} without build arguments. */
    public static String pinAll(String text, Map<ImageReference, ImageReference> pinned) {
        return pinAll(text, pinned, Map.of());
    }

    /**
     * Replaces every reference to {@code original} (as written, or by its tag when written with tag and digest) by
     * {@code replacement}: how an integration-test application is built on a candidate.
     *
     * @throws IllegalArgumentException when no reference names {@code original}, or the text is no Dockerfile
     */
    public static String replace(String text, ImageReference original, ImageReference replacement) {
        Dockerfile dockerfile = Dockerfile.parse(text);
        List<Edit> edits = new ArrayList<>();
        for (Dockerfile.Image image : dockerfile.images()) {
            if (original.equals(image.reference()) || original.equals(image.watched())) {
                edits.add(new Edit(image.start(), image.end(), replacement.toString()));
            }
        }
        if (edits.isEmpty()) {
            throw new IllegalArgumentException("no FROM " + original + " to replace");
        }
        return apply(text, edits);
    }

    private record Edit(int start, int end, String text) {
    }

    private static String apply(String text, List<Edit> edits) {
        StringBuilder out = new StringBuilder(text);
        List<Edit> ordered = new ArrayList<>(edits);
        ordered.sort(Comparator.comparingInt(Edit::start).reversed());
        for (Edit edit : ordered) {
            out.replace(edit.start(), edit.end(), edit.text());
        }
        return out.toString();
    }
}
