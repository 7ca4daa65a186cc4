package dev.freshen.descriptor;

import dev.freshen.events.image.ImageReference;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What Freshen needs to know of a Dockerfile: its {@code FROM} lines with {@code ARG} defaults resolved, which of
 * them are external bases (not {@code scratch}, not an earlier stage), and whether it needs BuildKit.
 */
public record Dockerfile(List<From> froms, boolean requiresBuildKit) {

    /** One {@code FROM} line: its 1-based line number, the reference as written, resolved, and the stage name. */
    public record From(int line, String written, String resolved, String stageName, ImageReference external) {

        public boolean isExternal() {
            return external != null;
        }
    }

    private static final Pattern INSTRUCTION = Pattern.compile("^\\s*([A-Za-z]+)\\s*(.*)$", Pattern.DOTALL);
    private static final Pattern VARIABLE = Pattern.compile("\\$(?:\\{([A-Za-z_][A-Za-z0-9_]*)(?::?-([^}]*))?}|([A-Za-z_][A-Za-z0-9_]*))");
    private static final Pattern BUILDKIT_FLAGS = Pattern.compile("--(mount|chmod|link|exclude|parents|checksum|security|network)\\b");
    private static final Pattern HEREDOC = Pattern.compile("<<-?\\s*[\"']?[A-Za-z_]+");

    public Dockerfile {
        froms = List.copyOf(froms);
    }

    /** The distinct external base images, in order of appearance. */
    public List<ImageReference> externalBases() {
        Set<ImageReference> bases = new LinkedHashSet<>();
        froms.stream().filter(From::isExternal).forEach(f -> bases.add(f.external()));
        return List.copyOf(bases);
    }

    /** The base of the final stage when it is external (what {@code org.opencontainers.image.base.name} names). */
    public ImageReference finalBase() {
        From last = froms.get(froms.size() - 1);
        return last.external();
    }

    /**
     * Parses Dockerfile text.
     *
     * @throws IllegalArgumentException naming the line when a FROM cannot be read or resolved
     */
    public static Dockerfile parse(String text) {
        Map<String, String> globalArgs = new HashMap<>();
        Set<String> stages = new HashSet<>();
        List<From> froms = new ArrayList<>();
        boolean buildKit = false;
        List<String[]> instructions = instructions(text);
        for (String[] entry : instructions) {
            int line = Integer.parseInt(entry[0]);
            String body = entry[1];
            if (body.startsWith("#")) {
                buildKit |= body.matches("#\\s*syntax\\s*=.*") && froms.isEmpty();
                continue;
            }
            Matcher m = INSTRUCTION.matcher(body);
            if (!m.matches()) {
                continue;
            }
            String keyword = m.group(1).toUpperCase(Locale.ROOT);
            String args = m.group(2).strip();
            switch (keyword) {
                case "ARG" -> {
                    if (froms.isEmpty()) {
                        for (String declaration : args.split("\\s+")) {
                            int eq = declaration.indexOf('=');
                            String name = eq < 0 ? declaration : declaration.substring(0, eq);
                            String value = eq < 0 ? null : unquote(declaration.substring(eq + 1));
                            globalArgs.put(name, value);
                        }
                    }
                }
                case "FROM" -> {
                    From from = from(line, args, globalArgs, stages);
                    froms.add(from);
                    if (from.stageName() != null) {
                        stages.add(from.stageName().toLowerCase(Locale.ROOT));
                    }
                }
                case "RUN", "COPY", "ADD" -> buildKit |= BUILDKIT_FLAGS.matcher(args).find() || HEREDOC.matcher(args).find();
                default -> {
                    // other instructions do not matter to Freshen
                }
            }
        }
        if (froms.isEmpty()) {
            throw new IllegalArgumentException("no FROM instruction");
        }
        return new Dockerfile(froms, buildKit);
    }

    private static From from(int line, String args, Map<String, String> globalArgs, Set<String> stages) {
        List<String> words = new ArrayList<>(List.of(args.split("\\s+")));
        words.removeIf(w -> w.startsWith("--"));
        if (words.isEmpty() || words.get(0).isEmpty()) {
            throw new IllegalArgumentException("line " + line + ": FROM without an image");
        }
        String written = words.get(0);
        String stageName = null;
        if (words.size() >= 3 && words.get(1).equalsIgnoreCase("AS")) {
            stageName = words.get(2);
        } else if (words.size() > 1) {
            throw new IllegalArgumentException("line " + line + ": cannot read 'FROM " + args + "' (expected FROM <image> [AS <name>])");
        }
        String resolved = substitute(line, written, globalArgs);
        if (resolved.equalsIgnoreCase("scratch") || stages.contains(resolved.toLowerCase(Locale.ROOT))) {
            return new From(line, written, resolved, stageName, null);
        }
        try {
            return new From(line, written, resolved, stageName, ImageReference.parse(resolved));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("line " + line + ": " + e.getMessage(), e);
        }
    }

    private static String substitute(int line, String value, Map<String, String> args) {
        Matcher m = VARIABLE.matcher(value);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name = m.group(1) != null ? m.group(1) : m.group(3);
            String fallback = m.group(2);
            String replacement = args.get(name);
            if (replacement == null || replacement.isEmpty()) {
                replacement = fallback;
            }
            if (replacement == null) {
                throw new IllegalArgumentException("line " + line + ": FROM uses $" + name
                        + ", which has no default (declare ARG " + name + "=<value> before the first FROM)");
            }
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** Logical instructions with their first line number, continuation lines joined, comment lines kept separately. */
    private static List<String[]> instructions(String text) {
        List<String[]> result = new ArrayList<>();
        String[] lines = text.split("\r?\n", -1);
        StringBuilder current = null;
        int start = 0;
        for (int i = 0; i < lines.length; i++) {
            String raw = lines[i];
            String trimmed = raw.strip();
            if (current == null && (trimmed.isEmpty() || trimmed.startsWith("#"))) {
                if (trimmed.startsWith("#")) {
                    result.add(new String[]{String.valueOf(i + 1), trimmed});
                }
                continue;
            }
            if (current != null && trimmed.startsWith("#")) {
                continue; // comment inside a continued instruction
            }
            if (current == null) {
                current = new StringBuilder();
                start = i + 1;
            }
            if (trimmed.endsWith("\\")) {
                current.append(trimmed, 0, trimmed.length() - 1).append(' ');
            } else {
                current.append(trimmed);
                result.add(new String[]{String.valueOf(start), current.toString()});
                current = null;
            }
        }
        if (current != null) {
            result.add(new String[]{String.valueOf(start), current.toString()});
        }
        return result;
    }

    private static String unquote(String value) {
        if (value.length() >= 2 && (value.startsWith("\"") && value.endsWith("\"") || value.startsWith("'") && value.endsWith("'"))) {
            return value.substring(1, value.length() - 1);
        }
        return value;
    }
}
