package dev.freshen.docker;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The output of one build, as it streams: keeps the last lines for the failure excerpt, the warnings, and the step
 * being run (classic builder: {@code Step 3/5 : RUN ...}; BuildKit: {@code #7 [3/5] RUN ...}) to name a failing step.
 */
public final class BuildLog {

    private static final Pattern CLASSIC_STEP = Pattern.compile("^Step \\d+/\\d+ : .*");
    private static final Pattern BUILDKIT_STEP = Pattern.compile("^#\\d+ \\[(?:[\\w-]+ )?\\d+/\\d+] .*");
    private static final int MAX_WARNINGS = 50;
    /** Compiler warnings as MSBuild (dotnet build) prints them: {@code Program.cs(3,5): warning CS0168: ...}. */
    private static final Pattern COMPILER_WARNING = Pattern.compile("\\bwarning [A-Z]{2,}\\d+\\s*:");

    private final int keep;
    private final Deque<String> tail = new ArrayDeque<>();
    private final List<String> warnings = new ArrayList<>();
    private final Set<String> secrets = new HashSet<>();
    private String currentStep;
    private long lines;

    /** @param keep how many of the last lines to keep for the excerpt */
    public BuildLog(int keep) {
        this.keep = keep;
    }

    /**
     * From now on, every occurrence of one of {@code values} (passwords of the build's registries; those shorter than
     * 4 characters are not looked for) in the output is kept as {@code ***}.
     */
    public synchronized void redact(Collection<String> values) {
        values.stream().filter(v -> v.length() >= 4).forEach(secrets::add);
    }

    /** Adds output, which may hold several lines or part of one; escape sequences and control characters are dropped. */
    public synchronized void append(String output) {
        String text = PlainText.clean(output);
        for (String secret : secrets) {
            text = text.replace(secret, "***");
        }
        for (String line : text.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            lines++;
            String stripped = line.strip();
            boolean step = CLASSIC_STEP.matcher(stripped).matches() || BUILDKIT_STEP.matcher(stripped).matches();
            if (step) {
                currentStep = stripped;
            }
            String lower = stripped.toLowerCase(Locale.ROOT);
            boolean warning = lower.startsWith("[warning]") || lower.startsWith("warning:") || lower.contains(" warning:")
                    || lower.startsWith("warn:") || COMPILER_WARNING.matcher(stripped).find();
            if (warning && !step && warnings.size() < MAX_WARNINGS) {
                warnings.add(stripped);
            }
            tail.addLast(stripped);
            if (tail.size() > keep) {
                tail.removeFirst();
            }
        }
    }

    public synchronized List<String> warnings() {
        return List.copyOf(warnings);
    }

    /** The step that ran last (the failing one when the build failed), or null. */
    public synchronized String currentStep() {
        return currentStep;
    }

    public synchronized String tail() {
        return String.join("\n", tail);
    }

    public synchronized long lineCount() {
        return lines;
    }
}
