package dev.freshen.descriptor.definition;

import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * One input of an image's definition: what it is ({@link Kind}), its path relative to the image's folder
 * (slash-separated) and the sha256 of its content, 64 lowercase hex characters (or, read back from the
 * {@code dev.freshen.definition-files} label, its first 16).
 */
public record DefinitionEntry(Kind kind, String path, String sha256) {

    private static final Pattern HEX = Pattern.compile("[0-9a-f]{16}|[0-9a-f]{64}");

    /** The kinds of input, each written as one letter in the canonical text. */
    public enum Kind {
        /** The Dockerfile named by {@code build.dockerfile}, always an input (the CLI sends it apart from the context). */
        DOCKERFILE('D'),
        /** The build settings of the descriptor, as canonical text ({@link BuildSettingsText}). */
        SETTINGS('s'),
        /** A regular file the build context sends. */
        FILE('f'),
        /** A regular file the build context sends, executable by its owner (the one mode bit git keeps). */
        EXECUTABLE('x'),
        /** A symbolic link the build context sends; its sha256 is over the link's target text. */
        SYMLINK('l');

        private static final Map<Character, Kind> BY_LETTER = Arrays.stream(values())
                .collect(Collectors.toUnmodifiableMap(Kind::letter, Function.identity()));

        private final char letter;

        Kind(char letter) {
            this.letter = letter;
        }

        /** The letter of this kind in the canonical text and the files label. */
        public char letter() {
            return letter;
        }

        /** The kind written as {@code letter}, if any. */
        public static Optional<Kind> of(char letter) {
            return Optional.ofNullable(BY_LETTER.get(letter));
        }

        /** Whether entries of this kind are files of the build context ({@code f}, {@code x}, {@code l}). */
        public boolean inContext() {
            return this == FILE || this == EXECUTABLE || this == SYMLINK;
        }
    }

    public DefinitionEntry {
        if (kind == null || path == null || path.isEmpty()) {
            throw new IllegalArgumentException("a definition entry needs a kind and a path");
        }
        if (sha256 == null || !HEX.matcher(sha256).matches()) {
            throw new IllegalArgumentException("definition entry " + path + ": '" + sha256
                    + "' is not 16 or 64 lowercase hex characters");
        }
    }

    /** This entry's sha256 cut to its first 16 hex characters, as the files label holds it. */
    public String shortSha256() {
        return sha256.substring(0, 16);
    }
}
