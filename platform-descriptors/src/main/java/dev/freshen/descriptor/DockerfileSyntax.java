package dev.freshen.descriptor;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The lexical layer of BuildKit's Dockerfile frontend: parser directives, line continuations, comments, heredocs and
 * the split of an instruction into keyword, flags and arguments, keeping for every character of an instruction the
 * offset in the file it came from (so that a rewrite can change exactly one reference).
 *
 * <p>The rules are those of the stable {@code docker/dockerfile:1} frontend, read from
 * {@code moby/buildkit: frontend/dockerfile/parser/parser.go} ({@code Parse}, {@code processLine},
 * {@code trimContinuationCharacter}, {@code heredocsFromLine}), {@code parser/directives.go},
 * {@code parser/split_command.go} ({@code extractBuilderFlags}) and {@code parser/line_parsers.go}:
 * <ul>
 *   <li>parser directives ({@code syntax}, {@code escape}, {@code check}; {@code # name=value}) are read only until
 *       the first line that is not one (an empty line, another comment, an instruction, an unknown directive);
 *       {@code escape} is {@code \} or a backtick and is also the line-continuation character;</li>
 *   <li>a line ending in the escape character (then blanks) continues on the next; the lines are joined without
 *       adding anything, continuation lines keep their leading blanks, and empty lines and comment lines inside a
 *       continuation are skipped;</li>
 *   <li>a comment is a line whose first non-blank character is {@code #}; {@code #} elsewhere is text;</li>
 *   <li>{@code RUN}, {@code COPY} and {@code ADD} in shell form (also after {@code ONBUILD}) may hold heredocs
 *       ({@code <<EOF}, {@code <<-EOF}, {@code <<"EOF"}, {@code 3<<EOF}, several per instruction); their bodies follow
 *       the instruction, in order, each up to its delimiter line (tabs stripped first for {@code <<-}), and are
 *       data;</li>
 *   <li>the keyword is case-insensitive; flags ({@code --name=value}, quotes and the escape token removed) come
 *       before the arguments.</li>
 * </ul>
 */
final class DockerfileSyntax {

    /** A failure to read the file, at a 1-based line. */
    static final class SyntaxError extends RuntimeException {
        final int line;

        SyntaxError(int line, String message) {
            super(message);
            this.line = line;
        }
    }

    /**
     * Text of one instruction with, for every character, its offset in the file.
     */
    record Located(String text, int[] offsets) {
        Located sub(int from, int to) {
            return new Located(text.substring(from, to), java.util.Arrays.copyOfRange(offsets, from, to));
        }

        /** The file offsets [start, end) that the characters [from, to) of this text span. */
        int[] span(int from, int to) {
            return new int[]{offsets[from], offsets[to - 1] + 1};
        }
    }

    /** A flag as BuildKit reads it: {@code --name=value} with quotes and escapes removed. */
    record Flag(String name, String value, Located located) {
        /** The file span of the value's characters [from, to) (in {@link #value()}). */
        int[] valueSpan(int from, int to) {
            int skip = located.text().length() - value.length();
            return located.span(skip + from, skip + to);
        }
    }

    /** One instruction: its keyword as written, its lines, flags and arguments (the text after the flags). */
    record Instruction(String keyword, int startLine, int endLine, List<Flag> flags, Located args, boolean json,
                       int heredocs) {
        String command() {
            return keyword.toLowerCase(Locale.ROOT);
        }
    }

    /** The instructions, and the escape character and {@code syntax} directive in force. */
    record Result(List<Instruction> instructions, char escape, String syntax) {
    }

    private static final Pattern DIRECTIVE = Pattern.compile("^([a-zA-Z][a-zA-Z0-9]*)[\\t\\n\\f\\r ]*=[\\t\\n\\f\\r ]*(.+?)[\\t\\n\\f\\r ]*$");
    private static final Pattern HEREDOC = Pattern.compile("^(\\d*)<<(-?)[\\t\\n\\f\\r ]*([^<]*)$");
    private static final Set<String> DIRECTIVES = Set.of("syntax", "escape", "check");
    /** The instructions whose arguments may be a JSON array ({@code parseMaybeJSON}, {@code parseMaybeJSONToList}). */
    private static final Set<String> JSON_FORMS = Set.of("run", "cmd", "entrypoint", "shell", "copy", "add", "volume");
    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private DockerfileSyntax() {
    }

    /**
     * Reads {@code text} into instructions.
     *
     * @throws SyntaxError with BuildKit's reason and the line (an unterminated heredoc, a second {@code escape}
     *                     directive, an escape character other than {@code \} and backtick, a JSON array of non-texts)
     */
    static Result lex(String text) {
        List<int[]> lines = lines(text);
        int bom = text.startsWith("\uFEFF") ? 1 : 0;
        char escape = '\\';
        String syntax = null;
        boolean directivesDone = false;
        Set<String> seen = new HashSet<>();
        List<Instruction> instructions = new ArrayList<>();
        int i = 0;
        while (i < lines.size()) {
            int lineStart = lines.get(i)[0] + (i == 0 ? bom : 0);
            int lineEnd = trimNewline(text, lineStart, lines.get(i)[1]);
            int contentStart = skipSpace(text, lineStart, lineEnd);
            int lineNumber = i + 1;
            i++;
            if (!directivesDone) {
                String[] directive = directive(text.substring(contentStart, lineEnd));
                if (directive == null) {
                    directivesDone = true;
                } else {
                    if (!seen.add(directive[0])) {
                        throw new SyntaxError(lineNumber, "only one " + directive[0] + " parser directive can be used");
                    }
                    if (directive[0].equals("escape")) {
                        if (!directive[1].equals("`") && !directive[1].equals("\\")) {
                            throw new SyntaxError(lineNumber, "invalid escape token '" + directive[1] + "' does not match ` or \\");
                        }
                        escape = directive[1].charAt(0);
                    } else if (directive[0].equals("syntax")) {
                        syntax = directive[1];
                    }
                }
            }
            if (contentStart < lineEnd && text.charAt(contentStart) == '#') {
                continue; // a comment (or directive) line
            }
            StringBuilder joined = new StringBuilder();
            List<Integer> offsets = new ArrayList<>();
            int end = continuation(text, contentStart, lineEnd, escape);
            boolean more = end >= 0;
            append(text, contentStart, more ? end : lineEnd, joined, offsets);
            if (!more && joined.isEmpty()) {
                continue;
            }
            while (more && i < lines.size()) {
                int start = lines.get(i)[0];
                int stop = trimNewline(text, start, lines.get(i)[1]);
                i++;
                int first = skipSpace(text, start, stop);
                if (first < stop && text.charAt(first) == '#' || first == stop) {
                    continue; // a comment line, or an empty line, inside a continuation
                }
                end = continuation(text, start, stop, escape);
                more = end >= 0;
                append(text, start, more ? end : stop, joined, offsets);
            }
            Located line = new Located(joined.toString(), offsets.stream().mapToInt(Integer::intValue).toArray());
            Instruction instruction = instruction(line, escape, lineNumber, i);
            int heredocs = 0;
            if (canContainHeredoc(instruction, escape) && line.text().contains("<<")) {
                for (String delimiter : heredocDelimiters(line.text(), lineNumber, i)) {
                    boolean chomp = delimiter.startsWith("-");
                    String name = delimiter.substring(1);
                    boolean terminated = false;
                    while (i < lines.size()) {
                        int start = lines.get(i)[0];
                        int stop = trimNewline(text, start, lines.get(i)[1]);
                        i++;
                        if (chomp) {
                            while (start < stop && text.charAt(start) == '\t') {
                                start++;
                            }
                        }
                        if (text.substring(start, stop).equals(name)) {
                            terminated = true;
                            break;
                        }
                    }
                    if (!terminated) {
                        throw new SyntaxError(lineNumber, "unterminated heredoc (no line '" + name + "' ends it)");
                    }
                    heredocs++;
                }
            }
            instructions.add(new Instruction(instruction.keyword(), lineNumber, i, instruction.flags(), instruction.args(),
                    instruction.json(), heredocs));
        }
        if (instructions.isEmpty()) {
            throw new SyntaxError(0, "the file has no instructions");
        }
        return new Result(List.copyOf(instructions), escape, syntax);
    }

    /** Go's {@code unicode.IsSpace}. */
    static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == 0x0B || c == '\f' || c == '\r' || c == 0x85 || c == 0xA0
                || Character.isSpaceChar(c);
    }

    /** BuildKit's {@code reWhitespace}: {@code [\t\v\f\r ]}. */
    private static boolean isBlank(char c) {
        return c == ' ' || c == '\t' || c == 0x0B || c == '\f' || c == '\r';
    }

    /** [start, end) of each line, the end including its '\n'. */
    private static List<int[]> lines(String text) {
        List<int[]> lines = new ArrayList<>();
        int start = 0;
        while (start < text.length()) {
            int nl = text.indexOf('\n', start);
            int end = nl < 0 ? text.length() : nl + 1;
            lines.add(new int[]{start, end});
            start = end;
        }
        return lines;
    }

    private static int trimNewline(String text, int start, int end) {
        while (end > start && (text.charAt(end - 1) == '\n' || text.charAt(end - 1) == '\r')) {
            end--;
        }
        return end;
    }

    private static int skipSpace(String text, int start, int end) {
        while (start < end && isSpace(text.charAt(start))) {
            start++;
        }
        return start;
    }

    /** {@code {name, value}} when the line is a known parser directive, else {@code null}. */
    private static String[] directive(String line) {
        if (!line.startsWith("#")) {
            return null;
        }
        int start = 1;
        while (start < line.length() && isSpace(line.charAt(start))) {
            start++;
        }
        Matcher m = DIRECTIVE.matcher(line.substring(start));
        if (!m.matches()) {
            return null;
        }
        String name = m.group(1).toLowerCase(Locale.ROOT);
        return DIRECTIVES.contains(name) ? new String[]{name, m.group(2)} : null;
    }

    /**
     * Where the text of a line ends when it continues on the next ({@code -1} when it does not): BuildKit's
     * {@code ([^E])E[ \t]*$|^E[ \t]*$}, so an escaped escape character does not continue the line.
     */
    private static int continuation(String text, int start, int end, char escape) {
        int e = end;
        while (e > start && (text.charAt(e - 1) == ' ' || text.charAt(e - 1) == '\t')) {
            e--;
        }
        if (e == start || text.charAt(e - 1) != escape) {
            return -1;
        }
        int escapeAt = e - 1;
        if (escapeAt == start || text.charAt(escapeAt - 1) != escape) {
            return escapeAt;
        }
        return -1;
    }

    private static void append(String text, int start, int end, StringBuilder joined, List<Integer> offsets) {
        for (int k = start; k < end; k++) {
            joined.append(text.charAt(k));
            offsets.add(k);
        }
    }

    /** BuildKit's {@code splitCommand}, {@code extractBuilderFlags} and the JSON test of the argument parsers. */
    private static Instruction instruction(Located line, char escape, int startLine, int endLine) {
        String s = line.text();
        int from = 0;
        int to = s.length();
        while (from < to && isSpace(s.charAt(from))) {
            from++;
        }
        while (to > from && isSpace(s.charAt(to - 1))) {
            to--;
        }
        int k = from;
        while (k < to && !isBlank(s.charAt(k))) {
            k++;
        }
        String keyword = s.substring(from, k);
        while (k < to && isBlank(s.charAt(k))) {
            k++;
        }
        List<Flag> flags = new ArrayList<>();
        int argsStart = flags(line, k, to, escape, flags);
        while (argsStart < to && isSpace(s.charAt(argsStart))) {
            argsStart++;
        }
        Located args = line.sub(argsStart, Math.max(argsStart, to));
        boolean json = JSON_FORMS.contains(keyword.toLowerCase(Locale.ROOT)) && isJsonArray(args.text(), startLine);
        return new Instruction(keyword, startLine, endLine, List.copyOf(flags), args, json, 0);
    }

    /** Reads the flags from {@code pos}; returns where the arguments start. */
    private static int flags(Located line, int pos, int end, char escape, List<Flag> flags) {
        String s = line.text();
        while (true) {
            while (pos < end && isSpace(s.charAt(pos))) {
                pos++;
            }
            if (pos >= end || s.charAt(pos) != '-' || pos + 1 >= end || s.charAt(pos + 1) != '-') {
                return pos;
            }
            StringBuilder word = new StringBuilder();
            List<Integer> offsets = new ArrayList<>();
            boolean blankOk = false;
            char quote = 0;
            int start = pos;
            while (pos < end) {
                char ch = s.charAt(pos);
                if (quote == 0 && isSpace(ch)) {
                    break;
                }
                if (quote == 0 && (ch == '\'' || ch == '"')) {
                    quote = ch;
                    blankOk = true;
                    pos++;
                    continue;
                }
                if (quote != 0 && ch == quote) {
                    quote = 0;
                    pos++;
                    continue;
                }
                if (ch == escape) {
                    if (pos + 1 == end) {
                        pos++;
                        quote = 0;
                        continue;
                    }
                    pos++;
                    ch = s.charAt(pos);
                }
                word.append(ch);
                offsets.add(line.offsets()[pos]);
                pos++;
            }
            String w = word.toString();
            if (w.equals("--") && quote == 0 && !blankOk) {
                return pos;
            }
            if (!w.equals("--") && (blankOk || !w.isEmpty())) {
                String body = w.startsWith("--") ? w.substring(2) : w;
                int eq = body.indexOf('=');
                String name = eq < 0 ? body : body.substring(0, eq);
                String value = eq < 0 ? "" : body.substring(eq + 1);
                int[] located = offsets.stream().mapToInt(Integer::intValue).toArray();
                flags.add(new Flag(name, value, new Located(w, located.length == 0 ? new int[]{line.offsets()[start]}
                        : located)));
            }
        }
    }

    /** Whether the arguments are a JSON array of texts (JSON form) rather than shell form. */
    private static boolean isJsonArray(String args, int line) {
        if (!args.startsWith("[")) {
            return false;
        }
        JsonNode node;
        try {
            node = JSON.readTree(args);
        } catch (JsonProcessingException e) {
            return false;
        }
        if (node == null || !node.isArray()) {
            return false;
        }
        for (JsonNode item : node) {
            if (!item.isTextual()) {
                throw new SyntaxError(line, "the JSON array holds something else than texts: " + args);
            }
        }
        return true;
    }

    private static boolean canContainHeredoc(Instruction instruction, char escape) {
        String command = instruction.command();
        boolean json = instruction.json();
        if (command.equals("onbuild")) {
            Located rest = instruction.args();
            if (rest.text().isEmpty()) {
                return false;
            }
            Instruction inner = instruction(rest, escape, instruction.startLine(), instruction.endLine());
            command = inner.command();
            json = inner.json();
        }
        return (command.equals("run") || command.equals("copy") || command.equals("add")) && !json;
    }

    /** The heredocs an instruction line opens, in order: {@code "-NAME"} when tabs are stripped, else {@code "+NAME"}. */
    private static List<String> heredocDelimiters(String line, int startLine, int endLine) {
        List<String> words;
        try {
            words = new ShellWords('\\', name -> null, true, true, true).process(line).words();
        } catch (IllegalArgumentException e) {
            return List.of(); // as BuildKit: a line that cannot be split opens no heredoc
        }
        List<String> delimiters = new ArrayList<>();
        for (String word : words) {
            Matcher m = HEREDOC.matcher(word);
            if (!m.matches() || m.group(3).isEmpty()) {
                continue;
            }
            List<String> name;
            try {
                name = new ShellWords('\\', n -> null, false, false, true).process(m.group(3)).words();
            } catch (IllegalArgumentException e) {
                throw new SyntaxError(startLine, "cannot read the heredoc " + word + ": " + e.getMessage());
            }
            if (name.size() == 1) {
                delimiters.add((m.group(2).equals("-") ? "-" : "+") + name.get(0));
            }
        }
        return delimiters;
    }
}
