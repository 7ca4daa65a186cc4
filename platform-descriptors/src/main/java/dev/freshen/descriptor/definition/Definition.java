package dev.freshen.descriptor.definition;

import dev.freshen.events.Trigger;
import dev.freshen.events.image.Digest;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What defines a platform image's build, and its hash: the {@code dev.freshen.definition} label. The entries
 * ({@link DefinitionEntry}) are sorted by path (UTF-8 bytes), then kind, and written as the canonical text
 * <pre>
 * freshen-definition-v1
 * &lt;kind letter&gt; &lt;64 hex sha256&gt; &lt;path&gt;
 * …
 * </pre>
 * with {@code %}, CR, LF and the other C0 control characters of a path written as {@code %XX}. The hash is
 * {@code sha256:} and the hex sha256 of that text (UTF-8): independent of file order and timestamps by construction.
 * A later algorithm would use new label keys, never change this one.
 */
public record Definition(String hash, List<DefinitionEntry> entries) {

    /** The first line of the canonical text and of the files label. */
    public static final String VERSION_LINE = "freshen-definition-v1";
    /** The longest files label written: 32 KiB (about 700 files); beyond it the label is left out. */
    public static final int MAX_FILES_LABEL = 32 * 1024;

    private static final Comparator<DefinitionEntry> ORDER = Comparator
            .comparing((DefinitionEntry e) -> e.path().getBytes(StandardCharsets.UTF_8), java.util.Arrays::compareUnsigned)
            .thenComparing(e -> e.kind().letter());

    public Definition {
        entries = List.copyOf(entries);
    }

    /** The definition of these entries (in any order), with its hash. */
    public static Definition of(List<DefinitionEntry> entries) {
        List<DefinitionEntry> sorted = entries.stream().sorted(ORDER).toList();
        return new Definition(Digest.sha256Of(text(sorted, false).getBytes(StandardCharsets.UTF_8)).toString(), sorted);
    }

    /** The canonical text the hash is taken over. */
    public String canonicalText() {
        return text(entries, false);
    }

    /**
     * The value of the {@code dev.freshen.definition-files} label: the version line, then {@code <kind> <first 16
     * hex> <path>} per entry; empty when longer than {@link #MAX_FILES_LABEL} characters.
     */
    public Optional<String> filesLabel() {
        String label = text(entries, true);
        return label.length() > MAX_FILES_LABEL ? Optional.empty() : Optional.of(label.stripTrailing());
    }

    /**
     * The entries of a {@code dev.freshen.definition-files} label (each with its 16-hex sha256 prefix); empty when
     * the text is not such a label (another version line, a malformed line).
     */
    public static Optional<List<DefinitionEntry>> parseFilesLabel(String label) {
        if (label == null) {
            return Optional.empty();
        }
        List<String> lines = label.lines().toList();
        if (lines.isEmpty() || !lines.get(0).equals(VERSION_LINE)) {
            return Optional.empty();
        }
        List<DefinitionEntry> entries = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] parts = line.split(" ", 3);
            if (parts.length != 3 || parts[0].length() != 1) {
                return Optional.empty();
            }
            Optional<DefinitionEntry.Kind> kind = DefinitionEntry.Kind.of(parts[0].charAt(0));
            if (kind.isEmpty()) {
                return Optional.empty();
            }
            try {
                entries.add(new DefinitionEntry(kind.get(), unescape(parts[2]), parts[1]));
            } catch (IllegalArgumentException e) {
                return Optional.empty();
            }
        }
        return Optional.of(List.copyOf(entries));
    }

    /**
     * The files that differ from {@code published} (entries as read from its files label), in path order, each path
     * once: {@code added}, {@code removed}, {@code modified} (content, or a file became a link) or {@code mode} (only
     * the executable bit). Contents are compared by their first 16 hex characters.
     */
    public List<Trigger.FileChange> changesSince(List<DefinitionEntry> published) {
        Map<String, DefinitionEntry> before = byKey(published);
        Map<String, DefinitionEntry> now = byKey(entries);
        Map<String, String> changes = new java.util.TreeMap<>();
        now.forEach((key, entry) -> {
            DefinitionEntry old = before.get(key);
            String change = old == null ? Trigger.FileChange.ADDED
                    : !old.shortSha256().equals(entry.shortSha256()) || (old.kind() == DefinitionEntry.Kind.SYMLINK)
                    != (entry.kind() == DefinitionEntry.Kind.SYMLINK) ? Trigger.FileChange.MODIFIED
                    : old.kind() != entry.kind() ? Trigger.FileChange.MODE : null;
            if (change != null) {
                changes.putIfAbsent(entry.path(), change);
            }
        });
        before.forEach((key, entry) -> {
            if (!now.containsKey(key)) {
                changes.putIfAbsent(entry.path(), Trigger.FileChange.REMOVED);
            }
        });
        return changes.entrySet().stream().map(e -> new Trigger.FileChange(e.getKey(), e.getValue())).toList();
    }

    /** Entries by path and role: the Dockerfile and the settings apart from the context's files. */
    private static Map<String, DefinitionEntry> byKey(List<DefinitionEntry> entries) {
        Map<String, DefinitionEntry> keyed = new LinkedHashMap<>();
        for (DefinitionEntry entry : entries) {
            String role = entry.kind().inContext() ? "c" : String.valueOf(entry.kind().letter());
            keyed.put(role + " " + entry.path(), entry);
        }
        return keyed;
    }

    private static String text(List<DefinitionEntry> entries, boolean shortDigests) {
        StringBuilder text = new StringBuilder(VERSION_LINE).append('\n');
        for (DefinitionEntry entry : entries) {
            text.append(entry.kind().letter()).append(' ')
                    .append(shortDigests ? entry.shortSha256() : entry.sha256()).append(' ')
                    .append(escape(entry.path())).append('\n');
        }
        return text.toString();
    }

    /** {@code %}, CR, LF and the other C0 control characters (and DEL) as {@code %XX}. */
    static String escape(String path) {
        StringBuilder out = new StringBuilder(path.length());
        for (char c : path.toCharArray()) {
            if (c == '%' || c < 0x20 || c == 0x7f) {
                out.append('%').append(String.format("%02X", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static String unescape(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '%' && i + 2 < text.length()) {
                out.append((char) Integer.parseInt(text.substring(i + 1, i + 3), 16));
                i += 2;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
