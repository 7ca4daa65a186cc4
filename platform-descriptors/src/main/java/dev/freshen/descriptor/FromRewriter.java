package dev.freshen.descriptor;

import dev.freshen.events.image.ImageReference;
import dev.freshen.events.image.Platform;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

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

    /**
     * Pins every watched base for the build of one platform, {@code target}, on an engine of platform {@code build}:
     * as {@link #pinAll(String, Map, Map)}, with each reference pinned to the manifest of the platform BuildKit pulls
     * it for. That is {@code target} for every reference, except the image of a {@code FROM --platform=<p>}: there
     * {@code <p>} as BuildKit expands it ({@code $BUILDPLATFORM} is {@code build}, {@code $TARGETPLATFORM} and the
     * other automatic platform ARGs describe {@code target}; global ARGs and build arguments apply), so that
     * {@code FROM --platform=$BUILDPLATFORM .../sdk} is the native SDK in every child of a multi-platform image.
     * ({@code $TARGETARCH} inside the image reference itself is not supported: the reference is read as for
     * {@code linux/amd64}, see {@link Dockerfile}.)
     *
     * @param pinnedFor a watched base (by tag reference) pinned to the manifest of a platform; {@code null} when not
     *                  known
     * @throws IllegalArgumentException when a watched base has no pinned reference for its platform, a
     *                                  {@code --platform} is no platform, or the text is no Dockerfile
     */
    public static String pinAll(String text, Platform target, Platform build,
                                BiFunction<ImageReference, Platform, ImageReference> pinnedFor,
                                Map<String, String> buildArgs) {
        Dockerfile dockerfile = Dockerfile.parse(text, buildArgs);
        Map<Integer, Platform> fromPlatforms = fromPlatforms(text, target, build, buildArgs);
        List<Edit> edits = new ArrayList<>();
        for (Dockerfile.Image image : dockerfile.images()) {
            ImageReference watched = image.watched();
            if (!image.read() || watched == null) {
                continue;
            }
            Platform platform = image.kind() == Dockerfile.Kind.FROM
                    ? fromPlatforms.getOrDefault(image.line(), target) : target;
            ImageReference replacement = pinnedFor.apply(watched, platform);
            if (replacement == null || !replacement.isPinned()) {
                throw new IllegalArgumentException("no digest for base " + watched + " for " + platform + " (line "
                        + image.line() + ")");
            }
            edits.add(new Edit(image.start(), image.end(), (replacement.tag() == null ? replacement.withTag("latest")
                    : replacement).toString()));
        }
        return apply(text, edits);
    }

    /**
     * The platform of each {@code FROM} with a {@code --platform} flag, by line: the flag expanded with the global
     * ARGs, the build arguments and the automatic platform ARGs of {@code target} built on {@code build}
     * (BuildKit's {@code dockerfile2llb/platform.go}, {@code defaultArgs}).
     */
    private static Map<Integer, Platform> fromPlatforms(String text, Platform target, Platform build,
                                                        Map<String, String> buildArgs) {
        DockerfileSyntax.Result lexed = DockerfileSyntax.lex(text);
        Map<String, String> args = new HashMap<>(automaticArgs(target, build));
        Map<Integer, Platform> platforms = new LinkedHashMap<>();
        boolean global = true;
        for (DockerfileSyntax.Instruction instruction : lexed.instructions()) {
            String command = instruction.command();
            if (global && command.equals("arg")) {
                for (String word : ShellWords.expand(instruction.args().text(), lexed.escape(), args::get).words()) {
                    int eq = word.indexOf('=');
                    String name = eq < 0 ? word : word.substring(0, eq);
                    if (buildArgs.containsKey(name)) {
                        args.put(name, buildArgs.get(name));
                    } else if (eq > 0) {
                        args.put(name, word.substring(eq + 1));
                    }
                }
            } else if (command.equals("from")) {
                global = false;
                for (DockerfileSyntax.Flag flag : instruction.flags()) {
                    if (flag.name().equals("platform")) {
                        String value = ShellWords.expand(flag.value(), lexed.escape(), args::get).text();
                        try {
                            platforms.put(instruction.startLine(), Platform.parse(value));
                        } catch (IllegalArgumentException e) {
                            throw new IllegalArgumentException("line " + instruction.startLine() + ": FROM --platform="
                                    + flag.value() + ": " + e.getMessage(), e);
                        }
                    }
                }
            }
        }
        return platforms;
    }

    private static Map<String, String> automaticArgs(Platform target, Platform build) {
        Map<String, String> args = new HashMap<>();
        for (var side : List.of(Map.entry("BUILD", build), Map.entry("TARGET", target))) {
            Platform p = side.getValue();
            args.put(side.getKey() + "PLATFORM", p.toString());
            args.put(side.getKey() + "OS", p.os());
            args.put(side.getKey() + "ARCH", p.architecture());
            args.put(side.getKey() + "VARIANT", p.variant() == null ? "" : p.variant());
        }
        return args;
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
