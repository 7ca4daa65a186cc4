package dev.freshen.builder;

import dev.freshen.descriptor.Dockerfile;
import dev.freshen.events.image.ImageReference;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Rewrites a Dockerfile so that every external {@code FROM} names its base by the exact digest of the run:
 * {@code FROM mcr.microsoft.com/dotnet/runtime:10.0} becomes {@code FROM mcr.microsoft.com/dotnet/runtime:10.0@sha256:…}.
 * A base that moves upstream during the build can then not slip in. The file on disk is never changed.
 */
public final class PinnedDockerfile {

    private PinnedDockerfile() {
    }

    /**
     * @param text   the Dockerfile as written
     * @param pinned for each external base (by tag reference), the reference pinned by digest
     * @throws IllegalArgumentException when an external base of the Dockerfile has no pinned reference
     */
    public static String pin(String text, Map<ImageReference, ImageReference> pinned) {
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
