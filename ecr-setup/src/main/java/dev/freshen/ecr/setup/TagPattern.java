package dev.freshen.ecr.setup;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A set of tags written as a pattern, to decide whether an ECR tag mutability exclusion filter touches a tag of an
 * image. Three forms:
 * <ul>
 *   <li>an ECR exclusion filter ({@link #filter}): letters, digits, {@code . _ -} and {@code *}, where {@code *}
 *       matches any run of characters, none included (ECR's {@code WILDCARD} filter type; the ECR double's
 *       {@code Repository.isImmutable} reads it the same way);</li>
 *   <li>an extra tag template of a descriptor ({@link #template}): {@code {date}} is eight digits ({@code yyyyMMdd}),
 *       {@code {version}} a version number ({@code 1.4.0}), {@code {runId}} any text;</li>
 *   <li>the version tags of a tag prefix ({@link #versionsOf}): {@code <prefix>-<digits>.<digits>.<digits>}.</li>
 * </ul>
 * {@link #overlaps} says whether two patterns have a tag in common (exact, by walking both patterns at once: each
 * part is one character of a class, or a run of characters of a class). Kept in Freshen rather than taken from an
 * automaton library: two patterns of at most 128 characters, about forty lines, no dependency.
 */
public final class TagPattern {

    private static final Pattern TEMPLATE = Pattern.compile("\\{([^{}]*)}");

    /** One part: a single character of {@code chars}, or ({@code run}) any number of them, none included. */
    private record Part(Chars chars, boolean run) {
    }

    /** A character class: any character, a digit, or one literal character. */
    private record Chars(char literal, boolean any, boolean digit) {
        static final Chars ANY = new Chars('\0', true, false);
        static final Chars DIGIT = new Chars('\0', false, true);

        static Chars of(char c) {
            return new Chars(c, false, false);
        }

        boolean meets(Chars other) {
            if (any || other.any) {
                return true;
            }
            if (digit && other.digit) {
                return true;
            }
            if (digit) {
                return Character.isDigit(other.literal);
            }
            if (other.digit) {
                return Character.isDigit(literal);
            }
            return literal == other.literal;
        }
    }

    private final String text;
    private final List<Part> parts;

    private TagPattern(String text, List<Part> parts) {
        this.text = text;
        this.parts = List.copyOf(parts);
    }

    /** An ECR {@code WILDCARD} exclusion filter. */
    public static TagPattern filter(String filter) {
        List<Part> parts = new ArrayList<>();
        for (char c : filter.toCharArray()) {
            parts.add(c == '*' ? new Part(Chars.ANY, true) : new Part(Chars.of(c), false));
        }
        return new TagPattern(filter, parts);
    }

    /** Every expansion of an extra tag template; a literal tag is just itself. */
    public static TagPattern template(String template) {
        List<Part> parts = new ArrayList<>();
        Matcher matcher = TEMPLATE.matcher(template);
        int at = 0;
        while (matcher.find()) {
            literal(parts, template.substring(at, matcher.start()));
            switch (matcher.group(1)) {
                case "date" -> {
                    for (int i = 0; i < 8; i++) {
                        parts.add(new Part(Chars.DIGIT, false));
                    }
                }
                case "version" -> version(parts);
                default -> parts.add(new Part(Chars.ANY, true));
            }
            at = matcher.end();
        }
        literal(parts, template.substring(at));
        return new TagPattern(template, parts);
    }

    /** Every version tag of {@code prefix}: {@code <prefix>-<major>.<minor>.<patch>}. */
    public static TagPattern versionsOf(String prefix) {
        List<Part> parts = new ArrayList<>();
        literal(parts, prefix + "-");
        version(parts);
        return new TagPattern(prefix + "-<version>", parts);
    }

    /**
     * The ECR filter that matches every version tag of {@code prefix} (and no tag without three dot-separated parts
     * after it): {@code <prefix>-*.*.*}.
     */
    public static String versionFilter(String prefix) {
        return prefix + "-*.*.*";
    }

    /**
     * The ECR filter that covers every expansion of a template: {@code {version}} as {@code *.*.*}, any other
     * template as {@code *}.
     */
    public static String filterOf(String template) {
        return TEMPLATE.matcher(template).replaceAll(m -> m.group(1).equals("version") ? "*.*.*" : "*");
    }

    private static void literal(List<Part> parts, String text) {
        for (char c : text.toCharArray()) {
            parts.add(new Part(Chars.of(c), false));
        }
    }

    private static void version(List<Part> parts) {
        for (int i = 0; i < 3; i++) {
            if (i > 0) {
                parts.add(new Part(Chars.of('.'), false));
            }
            parts.add(new Part(Chars.DIGIT, false));
            parts.add(new Part(Chars.DIGIT, true));
        }
    }

    /** Whether some tag is in both patterns. */
    public boolean overlaps(TagPattern other) {
        int n = parts.size();
        int m = other.parts.size();
        boolean[][] reached = new boolean[n + 1][m + 1];
        reached[0][0] = true;
        for (int i = 0; i <= n; i++) {
            for (int j = 0; j <= m; j++) {
                if (!reached[i][j]) {
                    continue;
                }
                Part a = i < n ? parts.get(i) : null;
                Part b = j < m ? other.parts.get(j) : null;
                if (a != null && a.run()) {
                    reached[i + 1][j] = true; // a's run ends here
                }
                if (b != null && b.run()) {
                    reached[i][j + 1] = true;
                }
                if (a != null && b != null && a.chars().meets(b.chars())) {
                    // one character both can give: a run stays where it is, a single character is used up
                    if (a.run() && !b.run()) {
                        reached[i][j + 1] = true;
                    } else if (!a.run() && b.run()) {
                        reached[i + 1][j] = true;
                    } else if (!a.run()) {
                        reached[i + 1][j + 1] = true;
                    }
                }
            }
        }
        return reached[n][m];
    }

    /** Whether the ECR filter {@code filter} matches the tag {@code tag}, as ECR applies it. */
    public static boolean matches(String filter, String tag) {
        return regex(filter).matcher(tag).matches();
    }

    /**
     * Whether every tag the filter {@code inner} matches is matched by {@code outer} too, so {@code inner} can be left
     * out. Checked by reading {@code inner}'s {@code *} as a character only a {@code *} of {@code outer} takes: never
     * wrong when it says yes; it may say no for a few covered pairs (then both are kept).
     */
    public static boolean covers(String outer, String inner) {
        return regex(outer).matcher(inner).matches();
    }

    private static Pattern regex(String filter) {
        StringBuilder regex = new StringBuilder();
        for (String literal : filter.split("\\*", -1)) {
            if (!regex.isEmpty()) {
                regex.append(".*");
            }
            regex.append(Pattern.quote(literal));
        }
        return Pattern.compile(regex.toString());
    }

    @Override
    public String toString() {
        return text;
    }
}
