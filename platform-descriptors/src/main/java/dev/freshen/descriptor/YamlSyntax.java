package dev.freshen.descriptor;

import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Turns SnakeYAML's syntax errors ("while parsing a block mapping … expected &lt;block end&gt;") into a problem a
 * person can act on: the line and column, the line itself quoted, what is wrong in plain words, and a hint for the
 * mistakes people make (a tab, a key indented differently from its neighbours, a missing space after {@code :}, an
 * unclosed quote or list, a second document).
 */
final class YamlSyntax {

    /** {@code key:value}: a key with no space after its colon, which YAML reads as one text. */
    static final Pattern NO_SPACE_AFTER_COLON = Pattern.compile("^\\s*(?:-\\s+)?([A-Za-z_][\\w.-]*):([^\\s:/\\\\][^\\n]*)$");

    private YamlSyntax() {
    }

    static DescriptorProblem problem(String file, List<String> lines, MarkedYAMLException e) {
        String problem = e.getProblem() == null ? "" : e.getProblem();
        String context = e.getContext() == null ? "" : e.getContext();
        Mark problemMark = e.getProblemMark();
        Mark contextMark = e.getContextMark();
        Mark at = problemMark != null ? problemMark : contextMark;
        List<Integer> tabs = tabLines(lines);

        String what;
        String hint;
        int[] unclosed = unclosedQuote(lines, at == null ? lines.size() : line(at));
        if (unclosed != null && !(problem.contains("\\t") || problem.contains("'\t'") || problem.contains("TAB"))) {
            int quoteLine = unclosed[0];
            int quoteColumn = unclosed[1];
            String quoted = "\"" + shown(text(lines, quoteLine)) + "\"";
            return new DescriptorProblem(DescriptorProblem.YAML_SYNTAX, file, null, quoteLine, quoteColumn,
                    "not valid YAML: the quote opened here is not closed on its line, so YAML reads the lines after it "
                            + "as part of the text: " + quoted,
                    "Close the quote on line " + quoteLine + ", or remove it.");
        }
        if (problem.contains("\\t") || problem.contains("'\t'") || problem.contains("TAB")) {
            what = "a tab character where YAML expects spaces";
            hint = "Indent with spaces only: replace the tab" + (tabs.size() > 1 ? "s on lines " : " on line ")
                    + join(tabs.isEmpty() ? List.of(line(at)) : tabs) + " with spaces.";
        } else if (problem.startsWith("could not find expected ':'") && contextMark != null) {
            at = contextMark;
            var missing = NO_SPACE_AFTER_COLON.matcher(text(lines, line(at)));
            if (missing.matches()) {
                what = "'" + missing.group(1) + ":" + missing.group(2).strip() + "' has no space after ':'";
                hint = spaceAfterColon(missing.group(1), missing.group(2));
            } else {
                what = "a line without ':' where a key is expected";
                hint = "Write keys as key: value, with a space after ':'; quote texts that contain ': '.";
            }
        } else if (problem.startsWith("expected <block end>") || problem.startsWith("expected <block sequence end>")) {
            what = "this line is indented differently from the lines before it";
            hint = indentationHint(lines, line(at));
        } else if (problem.startsWith("mapping values are not allowed")) {
            int previous = previousContentLine(lines, line(at));
            var missing = previous > 0 ? NO_SPACE_AFTER_COLON.matcher(text(lines, previous)) : null;
            if (previous > 0 && indent(text(lines, line(at))) > indent(text(lines, previous))) {
                what = "this line is indented more than line " + previous + ", so YAML reads it as part of that line's value";
                hint = "Indent it like line " + previous + " (" + spaces(indent(text(lines, previous)))
                        + ") if it is a key of the same mapping" + (missing != null && missing.matches()
                        ? "; and put a space after ':' on line " + previous + " (" + missing.group(1) + ": "
                        + missing.group(2).strip() + ")" : "") + ".";
            } else {
                what = "a ':' where YAML does not expect a key";
                hint = "Put a space after the ':' of a key (key: value), give a nested key more indentation than its "
                        + "parent, and quote a text that contains ': '.";
            }
        } else if (problem.contains("expected a single document") || problem.contains("another document")
                || context.contains("single document")) {
            what = "a second YAML document ('---') in the file";
            hint = "A descriptor is one document: remove the second '---' and merge what follows into the first.";
        } else if (context.contains("flow sequence") || context.contains("flow mapping")) {
            at = contextMark != null ? contextMark : at;
            boolean list = context.contains("flow sequence");
            what = "the " + (list ? "list [" : "mapping {") + " opened here is not closed, or lacks a ',' between items";
            hint = "Separate the items with ', ' and close it with " + (list ? "]" : "}") + " on the same line, or "
                    + "write one item per line instead.";
        } else {
            what = problem.isBlank() ? "the file cannot be read as YAML" : plain(problem);
            hint = "Check the indentation (spaces only, the same number for the keys of one mapping, more for nested "
                    + "keys) and the quotes around this line.";
        }
        if (!tabs.isEmpty() && !what.contains("tab")) {
            hint = hint + " Lines " + join(tabs) + " also contain tabs: YAML allows only spaces for indentation.";
        }
        int line = line(at);
        int column = at == null ? 0 : at.getColumn() + 1;
        String quoted = line == 0 ? "" : ": \"" + shown(text(lines, line)) + "\"";
        return new DescriptorProblem(DescriptorProblem.YAML_SYNTAX, file, null, line, column,
                "not valid YAML: " + what + quoted, hint);
    }

    /**
     * The first quote that starts a value (after {@code ": "}, {@code "- "}, {@code [}, {@code {} or {@code ,}) and is
     * not closed on its own line, up to line {@code last}: {line, column}, 1-based; null when there is none. A quoted
     * value may span lines in YAML, which is why an unclosed quote is reported lines later.
     */
    static int[] unclosedQuote(List<String> lines, int last) {
        for (int number = 1; number <= Math.min(last, lines.size()); number++) {
            String line = lines.get(number - 1);
            int i = 0;
            while (i < line.length()) {
                char c = line.charAt(i);
                if (c == '#' && (i == 0 || line.charAt(i - 1) == ' ')) {
                    break;
                }
                if ((c == '"' || c == '\'') && startsValue(line, i)) {
                    int end = closing(line, i);
                    if (end < 0) {
                        return new int[] {number, i + 1};
                    }
                    i = end + 1;
                    continue;
                }
                i++;
            }
        }
        return null;
    }

    private static boolean startsValue(String line, int quote) {
        int before = quote - 1;
        while (before >= 0 && line.charAt(before) == ' ') {
            before--;
        }
        if (before < 0) {
            return true;
        }
        char c = line.charAt(before);
        return c == '[' || c == '{' || c == ',' || (c == ':' || c == '-') && before < quote - 1;
    }

    /** The index of the quote closing the one at {@code open}, or -1. */
    private static int closing(String line, int open) {
        char quote = line.charAt(open);
        for (int i = open + 1; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quote == '"' && c == '\\') {
                i++;
            } else if (c == quote) {
                if (quote == '\'' && i + 1 < line.length() && line.charAt(i + 1) == '\'') {
                    i++;
                } else {
                    return i;
                }
            }
        }
        return -1;
    }

    /** The hint for a key written {@code key:value}. */
    static String spaceAfterColon(String key, String value) {
        return "Put a space after ':' (" + key + ": " + value.strip() + "); without it YAML reads '" + key + ":"
                + value.strip() + "' as one text.";
    }

    /** Where the keys around line {@code number} are, and where this one is. */
    private static String indentationHint(List<String> lines, int number) {
        if (number == 0 || number > lines.size()) {
            return "Indent the keys of one mapping by the same number of spaces, and nested keys further.";
        }
        int mine = indent(text(lines, number));
        int parent = number - 1;
        while (parent > 0 && (blank(text(lines, parent)) || indent(text(lines, parent)) >= mine)) {
            parent--;
        }
        if (parent == 0) {
            return "Indent this line by " + spaces(0) + " like the other top-level keys.";
        }
        String parentLine = text(lines, parent).strip();
        String parentKey = parentLine.contains(":") ? parentLine.substring(0, parentLine.indexOf(':')).replaceFirst("^-\\s*", "") : parentLine;
        int sibling = parent + 1;
        while (sibling < number && blank(text(lines, sibling))) {
            sibling++;
        }
        int siblings = sibling < number ? indent(text(lines, sibling)) : -1;
        if (siblings > mine || siblings < 0) {
            return "The keys under " + parentKey + ": (line " + parent + ") are indented by "
                    + spaces(Math.max(siblings, indent(text(lines, parent)) + 2)) + "; this line by " + spaces(mine)
                    + ". Indent it like them to put it under " + parentKey + ":, or like " + parentKey
                    + ": (" + spaces(indent(text(lines, parent))) + ") to make it a key beside it.";
        }
        return "Indent this line like the keys of its mapping (" + spaces(siblings) + ").";
    }

    private static String spaces(int count) {
        return count == 0 ? "no spaces" : count == 1 ? "1 space" : count + " spaces";
    }

    static List<Integer> tabLines(List<String> lines) {
        List<Integer> tabs = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            int end = 0;
            while (end < line.length() && (line.charAt(end) == ' ' || line.charAt(end) == '\t')) {
                end++;
            }
            if (line.substring(0, end).contains("\t")) {
                tabs.add(i + 1);
            }
        }
        return tabs;
    }

    private static int previousContentLine(List<String> lines, int number) {
        int previous = number - 1;
        while (previous > 0 && (blank(text(lines, previous)) || text(lines, previous).strip().startsWith("#"))) {
            previous--;
        }
        return previous;
    }

    private static boolean blank(String line) {
        return line.isBlank() || line.strip().startsWith("#");
    }

    private static int indent(String line) {
        int n = 0;
        while (n < line.length() && line.charAt(n) == ' ') {
            n++;
        }
        return n;
    }

    /** 1-based line of a mark, 0 when none. */
    private static int line(Mark mark) {
        return mark == null ? 0 : mark.getLine() + 1;
    }

    private static String text(List<String> lines, int number) {
        return number >= 1 && number <= lines.size() ? lines.get(number - 1) : "";
    }

    /** The line as quoted in a message: trailing blanks dropped, tabs visible, at most 120 characters. */
    static String shown(String line) {
        String text = line.stripTrailing().replace("\t", "\\t");
        return text.length() <= 120 ? text : text.substring(0, 119) + "…";
    }

    /** SnakeYAML's wording without its token names. */
    private static String plain(String problem) {
        return problem.replace("<block end>", "the end of the block").replace("<block mapping start>", "a new key")
                .replace("<scalar>", "a value").replace("<block sequence start>", "a list item")
                .toLowerCase(Locale.ROOT).strip();
    }

    private static String join(List<Integer> numbers) {
        return String.join(", ", numbers.stream().map(String::valueOf).toList());
    }
}
