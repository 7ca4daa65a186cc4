package dev.freshen.events.image;

import java.util.Collection;
import java.util.Comparator;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A platform image version tag, {@code <tagPrefix>-<major>.<minor>.<patch>} (e.g. {@code 10.0-noble-1.4.0}).
 * A tag belongs to a prefix only if what follows {@code <prefix>-} is exactly a version:
 * {@code 10.0-noble-chiseled-1.2.0} is not a version of prefix {@code 10.0-noble}.
 */
public record VersionTag(String prefix, int major, int minor, int patch) implements Comparable<VersionTag> {

    private static final Pattern PREFIX = Pattern.compile("\\w[\\w.-]*");
    private static final Pattern VERSION = Pattern.compile("(0|[1-9][0-9]{0,8})\\.(0|[1-9][0-9]{0,8})\\.(0|[1-9][0-9]{0,8})");
    private static final Comparator<VersionTag> ORDER = Comparator.comparingInt(VersionTag::major)
            .thenComparingInt(VersionTag::minor)
            .thenComparingInt(VersionTag::patch);

    public VersionTag {
        Objects.requireNonNull(prefix, "prefix");
        if (!PREFIX.matcher(prefix).matches()) {
            throw new IllegalArgumentException("invalid tag prefix '" + prefix
                    + "': letters, digits, '_', '.' or '-', not starting with '.' or '-'");
        }
        if (major < 0 || minor < 0 || patch < 0) {
            throw new IllegalArgumentException("version numbers cannot be negative");
        }
        if (prefix.length() + 1 + version(major, minor, patch).length() > 128) {
            throw new IllegalArgumentException("tag prefix '" + prefix + "' is too long for a 128-character tag");
        }
    }

    /** The first version of a prefix: {@code <prefix>-1.0.0}. */
    public static VersionTag initial(String prefix) {
        return new VersionTag(prefix, 1, 0, 0);
    }

    /** Reads {@code tag} as a version of {@code prefix}; empty when it is some other tag. */
    public static Optional<VersionTag> parse(String prefix, String tag) {
        if (tag == null || !tag.startsWith(prefix + "-")) {
            return Optional.empty();
        }
        var matcher = VERSION.matcher(tag.substring(prefix.length() + 1));
        if (!matcher.matches()) {
            return Optional.empty();
        }
        return Optional.of(new VersionTag(prefix, Integer.parseInt(matcher.group(1)),
                Integer.parseInt(matcher.group(2)), Integer.parseInt(matcher.group(3))));
    }

    /** The highest version of {@code prefix} among {@code tags}, compared numerically. */
    public static Optional<VersionTag> highest(String prefix, Collection<String> tags) {
        return tags.stream().map(t -> parse(prefix, t)).flatMap(Optional::stream).max(ORDER);
    }

    /** The version to publish next: the minor of the highest existing version bumped, or {@code 1.0.0}. */
    public static VersionTag next(String prefix, Collection<String> tags) {
        return highest(prefix, tags).map(VersionTag::nextMinor).orElseGet(() -> initial(prefix));
    }

    public VersionTag nextMinor() {
        return new VersionTag(prefix, major, minor + 1, 0);
    }

    /** {@code major.minor.patch}. */
    public String version() {
        return version(major, minor, patch);
    }

    /** The full tag, {@code <prefix>-<major>.<minor>.<patch>}. */
    public String tag() {
        return prefix + "-" + version();
    }

    @Override
    public int compareTo(VersionTag other) {
        return ORDER.compare(this, other);
    }

    @Override
    public String toString() {
        return tag();
    }

    private static String version(int major, int minor, int patch) {
        return major + "." + minor + "." + patch;
    }
}
