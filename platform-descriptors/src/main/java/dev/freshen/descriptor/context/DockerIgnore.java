package dev.freshen.descriptor.context;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A {@code .dockerignore} file, read and matched by Docker's rules, so that a context Freshen sends holds exactly the
 * files the docker CLI and BuildKit send.
 *
 * <p>Reading ({@link #parse}), as {@code moby/patternmatcher: ignorefile/ignorefile.go} ({@code ReadAll}, which
 * {@code docker/cli: cli/command/image/build/dockerignore.go} calls): a UTF-8 byte order mark is dropped; a line whose
 * first character is {@code #} is a comment (a line with blanks before the {@code #} is a pattern); every other line
 * is trimmed, and a blank line is skipped; a leading {@code !} makes the pattern an exception (blanks after it are
 * trimmed too); the pattern is cleaned like Go's {@code filepath.Clean} ({@code a//b/./c/../d} is {@code a/b/d}, a
 * trailing {@code /} goes, {@code ./x} is {@code x}) and then one leading {@code /} is dropped ({@code /x} is {@code x}).
 *
 * <p>Matching, as {@code moby/patternmatcher: patternmatcher.go} ({@code New}, {@code Pattern.compile},
 * {@code MatchesUsingParentResults}): patterns apply in order and the last one that matches decides, an exception
 * re-including what an earlier pattern excluded; a pattern matches a path when it matches the path itself or one of
 * its parent folders, so {@code dir} excludes everything under {@code dir} and {@code !dir} brings it all back;
 * {@code *} and {@code ?} stay within one path element, {@code [a-z]} and {@code [^a-z]} are classes, {@code \} escapes
 * the next character, and {@code **} matches any number of elements, none included ({@code **}{@code /x} matches
 * {@code x} and {@code a/b/x}; {@code x/**} matches everything under {@code x}). A malformed pattern (an unclosed
 * {@code [}, a trailing {@code \}) or a lone {@code !} is refused, as Go's {@code filepath.Match} refuses it.
 *
 * <p>No Java library implements these rules exactly (docker-java's own matcher, for one, refuses a context whose
 * {@code .dockerignore} excludes the Dockerfile), hence this class. {@code DockerIgnoreIT} (docker-engine) checks the contexts it
 * gives against BuildKit, {@code DockerIgnoreGoReferenceIT} its matching against Docker's Go matcher itself.
 */
public final class DockerIgnore {

    /** The file's name, at the root of the build context. */
    public static final String FILE_NAME = ".dockerignore";

    private static final DockerIgnore NONE = new DockerIgnore(List.of());

    private final List<Rule> rules;
    private final boolean exceptions;

    private DockerIgnore(List<Rule> rules) {
        this.rules = List.copyOf(rules);
        this.exceptions = rules.stream().anyMatch(r -> r.exception);
    }

    /** No patterns: nothing is excluded. */
    public static DockerIgnore none() {
        return NONE;
    }

    /**
     * The patterns of a {@code .dockerignore} file's text (see the class for the reading rules).
     *
     * @throws InvalidPattern naming the line when a pattern is malformed
     */
    public static DockerIgnore parse(String text) {
        List<Rule> rules = new ArrayList<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            if (i == 0 && line.startsWith("\uFEFF")) {
                line = line.substring(1);
            }
            if (line.startsWith("#")) {
                continue;
            }
            String pattern = goTrim(line);
            if (pattern.isEmpty()) {
                continue;
            }
            boolean exception = pattern.charAt(0) == '!';
            if (exception) {
                pattern = goTrim(pattern.substring(1));
            }
            if (!pattern.isEmpty()) {
                pattern = clean(pattern);
                if (pattern.length() > 1 && pattern.charAt(0) == '/') {
                    pattern = pattern.substring(1);
                }
            }
            try {
                rules.add(Rule.of((exception ? "!" : "") + pattern));
            } catch (InvalidPattern e) {
                throw new InvalidPattern(FILE_NAME + " line " + (i + 1) + ": " + e.getMessage(), i + 1);
            }
        }
        return new DockerIgnore(rules);
    }

    /** {@link #parse} of UTF-8 bytes (Go reads them as they are; a byte that is not UTF-8 stays a replacement). */
    public static DockerIgnore parse(byte[] content) {
        return parse(new String(content, StandardCharsets.UTF_8));
    }

    /** The patterns as Docker keeps them after reading and cleaning, exceptions with their {@code !}. */
    public List<String> patterns() {
        return rules.stream().map(r -> (r.exception ? "!" : "") + r.pattern).toList();
    }

    /** Whether a pattern is an exception ({@code !...}): an excluded folder may then hold included files. */
    public boolean hasExceptions() {
        return exceptions;
    }

    /**
     * Whether {@code path} is excluded, given no result for its parent folders (they are checked here).
     *
     * @param path a slash-separated path relative to the context root, e.g. {@code src/app/Program.cs}
     */
    public boolean excludes(String path) {
        return match(path, null).excluded();
    }

    /**
     * Matches {@code path} using the result of its parent folder ({@code null} for an entry at the root or when it is
     * not known), as {@code MatchesUsingParentResults} does while Docker walks the context: a pattern that matched the
     * parent matches its entries.
     */
    public Match match(String path, Match parent) {
        String file = clean(path);
        boolean[] parentMatched = parent == null ? null : parent.matched;
        boolean excluded = false;
        boolean[] matched = new boolean[rules.size()];
        for (int i = 0; i < rules.size(); i++) {
            Rule rule = rules.get(i);
            boolean match = parentMatched != null && parentMatched[i];
            if (!match) {
                if (rule.exception != excluded) {
                    continue;
                }
                match = rule.matches(file);
                if (!match && parentMatched == null) {
                    int slash = file.indexOf('/');
                    while (slash > 0 && !match) {
                        match = rule.matches(file.substring(0, slash));
                        slash = file.indexOf('/', slash + 1);
                    }
                }
            }
            matched[i] = match;
            if (match) {
                excluded = !rule.exception;
            }
        }
        return new Match(excluded, matched);
    }

    /**
     * Whether an excluded folder must still be walked because an exception may re-include something in it: BuildKit's
     * rule ({@code tonistiigi/fsutil: filter.go}): always when an exception holds a wildcard before a trailing
     * {@code /*} or {@code /**}, otherwise when an exception's pattern starts with the folder's path.
     *
     * @param dir the excluded folder, slash-separated, relative to the context root
     */
    public boolean mayReincludeUnder(String dir) {
        if (!exceptions) {
            return false;
        }
        String dirSlash = dir + "/";
        for (Rule rule : rules) {
            if (!rule.exception) {
                continue;
            }
            String literal = rule.pattern;
            if (literal.endsWith("/**")) {
                literal = literal.substring(0, literal.length() - 3);
            }
            if (literal.endsWith("/*")) {
                literal = literal.substring(0, literal.length() - 2);
            }
            if (literal.chars().anyMatch(c -> "*[]?^\\".indexOf(c) >= 0) || (literal + "/").startsWith(dirSlash)) {
                return true;
            }
        }
        return false;
    }

    /** The result for one path: whether it is excluded, and which patterns matched it (for its entries). */
    public static final class Match {
        private final boolean excluded;
        private final boolean[] matched;

        private Match(boolean excluded, boolean[] matched) {
            this.excluded = excluded;
            this.matched = matched;
        }

        public boolean excluded() {
            return excluded;
        }
    }

    /** A pattern Docker refuses (the message names the line and the pattern). */
    public static final class InvalidPattern extends IllegalArgumentException {
        private final int line;

        public InvalidPattern(String message) {
            this(message, 0);
        }

        /** @param line the 1-based line of the pattern in the file; 0 when not known */
        public InvalidPattern(String message, int line) {
            super(message);
            this.line = line;
        }

        /** The 1-based line of the refused pattern in the file; 0 when not known. */
        public int line() {
            return line;
        }
    }

    /** Go's {@code strings.TrimSpace}: Unicode white space at both ends. */
    private static String goTrim(String s) {
        int start = 0;
        int end = s.length();
        while (start < end && isGoSpace(s.charAt(start))) {
            start++;
        }
        while (end > start && isGoSpace(s.charAt(end - 1))) {
            end--;
        }
        return s.substring(start, end);
    }

    private static boolean isGoSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\u000B' || c == '\f' || c == '\r' || c == '\u0085'
                || c == '\u00A0' || Character.isSpaceChar(c);
    }

    /**
     * Go's {@code filepath.Clean} on a slash path: one slash between elements, no {@code .} elements, {@code x/..}
     * removed, {@code ..} kept at the start of a relative path and dropped at the root; the empty path is {@code .}.
     */
    static String clean(String path) {
        if (path.isEmpty()) {
            return ".";
        }
        boolean rooted = path.charAt(0) == '/';
        List<String> out = new ArrayList<>();
        int dotdot = 0;
        for (String element : path.split("/")) {
            if (element.isEmpty() || element.equals(".")) {
                continue;
            }
            if (element.equals("..")) {
                if (out.size() > dotdot) {
                    out.remove(out.size() - 1);
                } else if (!rooted) {
                    out.add("..");
                    dotdot++;
                }
                continue;
            }
            out.add(element);
        }
        String joined = String.join("/", out);
        if (rooted) {
            return "/" + joined;
        }
        return joined.isEmpty() ? "." : joined;
    }

    /** One cleaned pattern, compiled as {@code Pattern.compile} does (exact, prefix, suffix or regular expression). */
    private static final class Rule {
        private enum Type { EXACT, PREFIX, SUFFIX, REGEXP }

        final boolean exception;
        final String pattern;
        final Type type;
        final Pattern regexp;

        private Rule(boolean exception, String pattern, Type type, Pattern regexp) {
            this.exception = exception;
            this.pattern = pattern;
            this.type = type;
            this.regexp = regexp;
        }

        /** {@code New}: trim, clean (with the {@code !} still in front), then take off the {@code !}. */
        static Rule of(String raw) {
            String p = clean(goTrim(raw));
            boolean exception = p.charAt(0) == '!';
            if (exception) {
                if (p.length() == 1) {
                    throw new InvalidPattern("illegal exception pattern \"!\" (a \"!\" needs a pattern after it)");
                }
                p = p.substring(1);
            }
            checkSyntax(p);
            return compile(exception, p);
        }

        boolean matches(String path) {
            return switch (type) {
                case EXACT -> path.equals(pattern);
                case PREFIX -> path.startsWith(pattern.substring(0, pattern.length() - 2));
                case SUFFIX -> {
                    String suffix = pattern.substring(2);
                    yield path.endsWith(suffix) || suffix.startsWith("/") && path.equals(suffix.substring(1));
                }
                case REGEXP -> regexp.matcher(path).matches();
            };
        }

        private static Rule compile(boolean exception, String pattern) {
            StringBuilder re = new StringBuilder("^");
            Type type = Type.EXACT;
            int[] cps = pattern.codePoints().toArray();
            boolean inClass = false;
            int i = 0;
            for (int step = 0; i < cps.length; step++) {
                int ch = cps[i++];
                if (ch == '*') {
                    if (i < cps.length && cps[i] == '*') {
                        i++;
                        if (i < cps.length && cps[i] == '/') {
                            i++;
                        }
                        if (i == cps.length) {
                            if (type == Type.EXACT) {
                                type = Type.PREFIX;
                            } else {
                                re.append(".*");
                                type = Type.REGEXP;
                            }
                        } else {
                            re.append("(.*/)?");
                            type = Type.REGEXP;
                        }
                        if (step == 0) {
                            type = Type.SUFFIX;
                        }
                    } else {
                        re.append("[^/]*");
                        type = Type.REGEXP;
                    }
                } else if (ch == '?') {
                    re.append("[^/]");
                    type = Type.REGEXP;
                } else if (".+()|{}$".indexOf(ch) >= 0) {
                    re.append('\\').appendCodePoint(ch);
                } else if (ch == '\\') {
                    if (i < cps.length) {
                        re.append('\\').appendCodePoint(cps[i++]);
                        type = Type.REGEXP;
                    } else {
                        re.append("\\\\");
                    }
                } else if (ch == '[' || ch == ']') {
                    // Go's regexp reads '[' inside a class as a literal; Java would nest a class
                    re.append(ch == '[' && inClass ? "\\[" : String.valueOf((char) ch));
                    inClass = ch == '[' || (inClass && ch != ']');
                    type = Type.REGEXP;
                } else if (ch == '&' && inClass) {
                    re.append("\\&");
                } else {
                    re.appendCodePoint(ch);
                }
            }
            Pattern compiled = null;
            if (type == Type.REGEXP) {
                try {
                    compiled = Pattern.compile(re.toString(), Pattern.UNIX_LINES);
                } catch (java.util.regex.PatternSyntaxException e) {
                    throw new InvalidPattern("the pattern \"" + pattern + "\" is malformed");
                }
            }
            return new Rule(exception, pattern, type, compiled);
        }

        /** The syntax check of Go's {@code filepath.Match}: classes closed and not empty, no trailing escape. */
        private static void checkSyntax(String pattern) {
            int[] cps = pattern.codePoints().toArray();
            int i = 0;
            while (i < cps.length) {
                int ch = cps[i++];
                if (ch == '\\') {
                    if (i == cps.length) {
                        throw malformed(pattern, "it ends with an escaping \\");
                    }
                    i++;
                } else if (ch == '[') {
                    if (i < cps.length && cps[i] == '^') {
                        i++;
                    }
                    int ranges = 0;
                    while (true) {
                        if (i < cps.length && cps[i] == ']' && ranges > 0) {
                            i++;
                            break;
                        }
                        i = classChar(cps, i, pattern);
                        if (cps[i] == '-') {
                            i = classChar(cps, i + 1, pattern);
                        }
                        ranges++;
                    }
                }
            }
        }

        /** Go's {@code getEsc}: one character of a class; something must follow it (at least the closing ']'). */
        private static int classChar(int[] cps, int i, String pattern) {
            if (i >= cps.length || cps[i] == '-' || cps[i] == ']') {
                throw malformed(pattern, "a [ ] class is empty, unclosed or has a bad range");
            }
            if (cps[i] == '\\') {
                i++;
                if (i >= cps.length) {
                    throw malformed(pattern, "a [ ] class is unclosed");
                }
            }
            i++;
            if (i >= cps.length) {
                throw malformed(pattern, "a [ ] class is unclosed");
            }
            return i;
        }

        private static InvalidPattern malformed(String pattern, String why) {
            return new InvalidPattern("the pattern \"" + pattern + "\" is malformed: " + why);
        }
    }
}
