package dev.freshen.descriptor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The build-context paths a Dockerfile's {@code COPY}/{@code ADD} instructions read (not those copied from a stage
 * or another image with {@code --from}), and whether it has {@code RUN} instructions: what the production
 * {@link Dockerfile} parser does not need, but a check of the platform-images folder does.
 */
final class DockerfileCopies {

    /** One {@code COPY}/{@code ADD}: its 1-based line and the context paths it reads. */
    record Copy(int line, List<String> sources) {
    }

    private static final Pattern INSTRUCTION = Pattern.compile("^([A-Za-z]+)\\s+(.*)$", Pattern.DOTALL);
    private static final Pattern JSON_STRING = Pattern.compile("\"((?:[^\"\\\\]|\\\\.)*)\"");

    private final List<Copy> copies;
    private final List<Integer> runLines;

    private DockerfileCopies(List<Copy> copies, List<Integer> runLines) {
        this.copies = List.copyOf(copies);
        this.runLines = List.copyOf(runLines);
    }

    static DockerfileCopies parse(String text) {
        List<Copy> copies = new ArrayList<>();
        List<Integer> runs = new ArrayList<>();
        String[] lines = text.split("\r?\n", -1);
        StringBuilder current = null;
        int start = 0;
        for (int i = 0; i < lines.length; i++) {
            String trimmed = lines[i].strip();
            if (trimmed.startsWith("#") || current == null && trimmed.isEmpty()) {
                continue; // comments, also inside a continued instruction, are dropped, as Docker does
            }
            if (current == null) {
                current = new StringBuilder();
                start = i + 1;
            }
            boolean continued = trimmed.endsWith("\\");
            current.append(continued ? trimmed.substring(0, trimmed.length() - 1) : trimmed).append(' ');
            if (!continued) {
                instruction(start, current.toString().strip(), copies, runs);
                current = null;
            }
        }
        if (current != null) {
            instruction(start, current.toString().strip(), copies, runs);
        }
        return new DockerfileCopies(copies, runs);
    }

    List<Copy> copies() {
        return copies;
    }

    /** The lines of the {@code RUN} instructions: each needs a shell (or at least a program) in the image. */
    List<Integer> runLines() {
        return runLines;
    }

    private static void instruction(int line, String body, List<Copy> copies, List<Integer> runs) {
        Matcher m = INSTRUCTION.matcher(body);
        if (!m.matches()) {
            return;
        }
        String keyword = m.group(1).toUpperCase(Locale.ROOT);
        if (keyword.equals("RUN")) {
            runs.add(line);
            return;
        }
        if (!keyword.equals("COPY") && !keyword.equals("ADD")) {
            return;
        }
        List<String> words = new ArrayList<>(Arrays.asList(m.group(2).strip().split("\\s+")));
        boolean fromElsewhere = false;
        while (!words.isEmpty() && words.get(0).startsWith("--")) {
            fromElsewhere |= words.remove(0).startsWith("--from=");
        }
        if (fromElsewhere || words.isEmpty()) {
            return;
        }
        List<String> arguments = String.join(" ", words).startsWith("[") ? jsonArray(String.join(" ", words)) : words;
        if (arguments.size() >= 2) {
            copies.add(new Copy(line, List.copyOf(arguments.subList(0, arguments.size() - 1))));
        }
    }

    private static List<String> jsonArray(String text) {
        List<String> values = new ArrayList<>();
        Matcher m = JSON_STRING.matcher(text);
        while (m.find()) {
            values.add(m.group(1));
        }
        return values;
    }
}
