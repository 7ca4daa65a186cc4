package dev.freshen.descriptor;

import dev.freshen.events.image.ImageReference;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Rewrites the image of {@code FROM} lines in Dockerfile text, leaving everything else as written. The file on disk is
 * never changed: callers build from the returned text.
 */
public final class FromRewriter {

    private FromRewriter() {
    }

    /**
     * Pins every external base to the run's digest: {@code FROM mcr.microsoft.com/dotnet/runtime:10.0} becomes
     * {@code FROM mcr.microsoft.com/dotnet/runtime:10.0@sha256:…}, so a base that moves upstream during the build
     * cannot slip in.
     *
     * @param pinned for each external base (by tag reference), the reference pinned by digest
     * @throws IllegalArgumentException when an external base has no pinned reference
     */
    public static String pinAll(String text, Map<ImageReference, ImageReference> pinned) {
        Dockerfile dockerfile = Dockerfile.parse(text);
        String[] lines = text.split("\n", -1);
        for (Dockerfile.From from : dockerfile.froms()) {
            if (!from.isExternal()) {
                continue;
            }
            ImageReference replacement = pinned.get(from.external());
            if (replacement == null || !replacement.isPinned()) {
                throw new IllegalArgumentException("no digest for base " + from.external() + " (line " + from.line() + ")");
            }
            replace(lines, from, replacement.toString());
        }
        return String.join("\n", lines);
    }

    /**
     * Replaces {@code FROM original} by {@code FROM replacement} in every stage where it appears (how an integration
     * test app is built on a candidate).
     *
     * @throws IllegalArgumentException when no FROM names {@code original}
     */
    public static String replace(String text, ImageReference original, ImageReference replacement) {
        Dockerfile dockerfile = Dockerfile.parse(text);
        String[] lines = text.split("\n", -1);
        int replaced = 0;
        for (Dockerfile.From from : dockerfile.froms()) {
            if (original.equals(from.external())) {
                replace(lines, from, replacement.toString());
                replaced++;
            }
        }
        if (replaced == 0) {
            throw new IllegalArgumentException("no FROM " + original + " to replace");
        }
        return String.join("\n", lines);
    }

    private static void replace(String[] lines, Dockerfile.From from, String replacement) {
        Pattern token = Pattern.compile("(?<=\\s)" + Pattern.quote(from.written()) + "(?=\\s|$)");
        for (int i = from.line() - 1; i < lines.length; i++) {
            Matcher m = token.matcher(lines[i]);
            if (m.find()) {
                lines[i] = lines[i].substring(0, m.start()) + replacement + lines[i].substring(m.end());
                return;
            }
        }
        throw new IllegalArgumentException("cannot find '" + from.written() + "' of the FROM on line " + from.line());
    }
}
