package dev.freshen.descriptor;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The word processing of BuildKit's Dockerfile frontend: quotes, the escape token and variable expansion, as BuildKit
 * applies it to a {@code FROM} image, an {@code ARG} default or a heredoc word. Rules read from
 * {@code moby/buildkit: frontend/dockerfile/shell/lex.go} (stable {@code docker/dockerfile:1} frontend): {@code $a},
 * {@code ${a}}, {@code ${a:-w}}, {@code ${a-w}}, {@code ${a:+w}}, {@code ${a+w}}, {@code ${a:?w}}, {@code ${a?w}},
 * {@code ${a#p}}, {@code ${a##p}}, {@code ${a%p}}, {@code ${a%%p}}, {@code ${a/p/r}}, {@code ${a//p/r}}; single quotes
 * keep everything literal; in double quotes only {@code "}, {@code $} and the escape token can be escaped; an escaped
 * {@code $} is literal. A variable that is not set expands to the empty text, as in BuildKit; {@link Result#unset()}
 * names those read by a plain {@code $a} or {@code ${a}}, which Freshen reports when they are in an image reference.
 *
 * <p>Not thread-safe: one instance per word.
 */
final class ShellWords {

    /** The expanded text, the words it splits into (quotes respected) and the unset variables read plainly. */
    record Result(String text, List<String> words, Set<String> unset) {
    }

    private static final int EOF = -1;

    private final char escape;
    private final Function<String, String> env;
    private final boolean rawQuotes;
    private final boolean rawEscapes;
    private final boolean skipUnset;
    private final Set<String> unset = new LinkedHashSet<>();
    private String source;
    private int pos;

    /**
     * @param env        the value of a variable, {@code null} when it is not set
     * @param rawQuotes  keep quotes in the result (BuildKit's {@code RawQuotes}, used to find heredocs)
     * @param rawEscapes keep escape tokens in the result ({@code RawEscapes})
     * @param skipUnset  leave an unset variable as written ({@code SkipUnsetEnv})
     */
    ShellWords(char escape, Function<String, String> env, boolean rawQuotes, boolean rawEscapes, boolean skipUnset) {
        this.escape = escape;
        this.env = env;
        this.rawQuotes = rawQuotes;
        this.rawEscapes = rawEscapes;
        this.skipUnset = skipUnset;
    }

    /** Expands one word. */
    static Result expand(String word, char escape, Function<String, String> env) {
        return new ShellWords(escape, env, false, false, false).process(word);
    }

    /**
     * Processes {@code word}.
     *
     * @throws IllegalArgumentException with BuildKit's reason (an unclosed quote, a bad substitution, {@code ${a?w}})
     */
    Result process(String word) {
        source = word;
        pos = 0;
        Words words = new Words();
        String text = stopOn(EOF, rawEscapes, words);
        return new Result(text, words.done(), Set.copyOf(unset));
    }

    private int peek() {
        return pos < source.length() ? source.charAt(pos) : EOF;
    }

    private int next() {
        return pos < source.length() ? source.charAt(pos++) : EOF;
    }

    private String stopOn(int stop, boolean raw, Words words) {
        StringBuilder result = new StringBuilder();
        while (peek() != EOF) {
            int ch = peek();
            if (stop != EOF && ch == stop) {
                next();
                return result.toString();
            }
            if (ch == '$') {
                String value = dollar();
                result.append(value);
                words.addString(value);
            } else if (ch == '<') {
                String value = possibleHeredoc();
                result.append(value);
                words.addRaw(value);
            } else if (ch == '\'') {
                String value = singleQuote();
                result.append(value);
                words.addRaw(value);
            } else if (ch == '"') {
                String value = doubleQuote();
                result.append(value);
                words.addRaw(value);
            } else {
                ch = next();
                if (ch == escape) {
                    if (raw) {
                        words.addRaw(String.valueOf((char) ch));
                        result.append((char) ch);
                    }
                    ch = next();
                    if (ch == EOF) {
                        break;
                    }
                    words.addRaw(String.valueOf((char) ch));
                } else {
                    words.addChar((char) ch);
                }
                result.append((char) ch);
            }
        }
        if (stop != EOF) {
            throw new IllegalArgumentException("unexpected end of statement while looking for matching " + (char) stop);
        }
        return result.toString();
    }

    private String singleQuote() {
        StringBuilder result = new StringBuilder();
        int ch = next();
        if (rawQuotes) {
            result.append((char) ch);
        }
        while (true) {
            ch = next();
            if (ch == EOF) {
                throw new IllegalArgumentException("unexpected end of statement while looking for matching single-quote");
            }
            if (ch == '\'') {
                if (rawQuotes) {
                    result.append((char) ch);
                }
                return result.toString();
            }
            result.append((char) ch);
        }
    }

    private String doubleQuote() {
        StringBuilder result = new StringBuilder();
        int ch = next();
        if (rawQuotes) {
            result.append((char) ch);
        }
        while (true) {
            int peeked = peek();
            if (peeked == EOF) {
                throw new IllegalArgumentException("unexpected end of statement while looking for matching double-quote");
            }
            if (peeked == '"') {
                ch = next();
                if (rawQuotes) {
                    result.append((char) ch);
                }
                return result.toString();
            }
            if (peeked == '$') {
                result.append(dollar());
                continue;
            }
            ch = next();
            if (ch == escape) {
                if (rawEscapes) {
                    result.append((char) ch);
                }
                int after = peek();
                if (after == EOF) {
                    continue;
                }
                if (after == '"' || after == '$' || after == escape) {
                    ch = next();
                }
            }
            result.append((char) ch);
        }
    }

    private String possibleHeredoc() {
        next();
        if (peek() != '<') {
            return "<";
        }
        next();
        StringBuilder result = new StringBuilder("<<");
        while (peek() == ' ' || peek() == '\t') {
            result.append((char) next());
        }
        return result.toString();
    }

    private String dollar() {
        next();
        if (peek() != '{') {
            String name = name();
            if (name.isEmpty()) {
                return "$";
            }
            String value = env.apply(name);
            if (value == null) {
                if (skipUnset) {
                    return "$" + name;
                }
                unset.add(name);
                return "";
            }
            return value;
        }
        next();
        int first = peek();
        if (first == EOF) {
            throw new IllegalArgumentException("syntax error: missing '}'");
        }
        if (first == '{' || first == '}' || first == ':') {
            throw new IllegalArgumentException("syntax error: bad substitution");
        }
        String name = name();
        int ch = next();
        String modifier = ch == EOF ? "" : String.valueOf((char) ch);
        boolean nullIsUnset = false;
        switch (ch) {
            case '}' -> {
                String value = env.apply(name);
                if (value == null) {
                    if (skipUnset) {
                        return "${" + name + "}";
                    }
                    unset.add(name);
                    return "";
                }
                return value;
            }
            case ':', '+', '-', '?', '#', '%' -> {
                if (ch == ':') {
                    nullIsUnset = true;
                    ch = next();
                    modifier += ch == EOF ? "" : String.valueOf((char) ch);
                }
                boolean pattern = ch == '#' || ch == '%';
                if (nullIsUnset && pattern) {
                    throw new IllegalArgumentException("unsupported modifier (" + modifier + ") in substitution");
                }
                String word;
                try {
                    word = stopOn('}', pattern, new Words());
                } catch (IllegalArgumentException e) {
                    throw peek() == EOF ? new IllegalArgumentException("syntax error: missing '}'") : e;
                }
                String value = env.apply(name);
                boolean set = value != null;
                if (skipUnset && !set) {
                    return "${" + name + modifier + word + "}";
                }
                switch (ch) {
                    case '-' -> {
                        return !set || nullIsUnset && value.isEmpty() ? word : value;
                    }
                    case '+' -> {
                        return !set || nullIsUnset && value.isEmpty() ? "" : word;
                    }
                    case '?' -> {
                        if (!set) {
                            throw new IllegalArgumentException(name + ": " + (word.isEmpty() ? "is not allowed to be unset" : word));
                        }
                        if (nullIsUnset && value.isEmpty()) {
                            throw new IllegalArgumentException(name + ": " + (word.isEmpty() ? "is not allowed to be empty" : word));
                        }
                        return value;
                    }
                    case '#', '%' -> {
                        String v = set ? value : "";
                        boolean greedy = !word.isEmpty() && word.charAt(0) == ch;
                        String p = greedy ? word.substring(1) : word;
                        return ch == '%' ? trimSuffix(p, v, greedy) : trimPrefix(p, v, greedy);
                    }
                    default -> throw new IllegalArgumentException("unsupported modifier (" + modifier + ") in substitution");
                }
            }
            case '/' -> {
                boolean all = peek() == '/';
                if (all) {
                    next();
                }
                String pattern;
                String replacement;
                try {
                    pattern = stopOn('/', true, new Words());
                } catch (IllegalArgumentException e) {
                    throw peek() == EOF ? new IllegalArgumentException("syntax error: missing '/' in ${}") : e;
                }
                try {
                    replacement = stopOn('}', true, new Words());
                } catch (IllegalArgumentException e) {
                    throw peek() == EOF ? new IllegalArgumentException("syntax error: missing '}'") : e;
                }
                String value = env.apply(name);
                if (skipUnset && value == null) {
                    return "${" + name + "/" + pattern + "/" + replacement + "}";
                }
                String v = value == null ? "" : value;
                Matcher m = shellPattern(pattern, true, false).matcher(v);
                if (all) {
                    return m.replaceAll(Matcher.quoteReplacement(replacement));
                }
                return m.find() ? v.substring(0, m.start()) + replacement + v.substring(m.end()) : v;
            }
            default -> throw new IllegalArgumentException("unsupported modifier (" + modifier + ") in substitution");
        }
    }

    /** A name: letters, digits and '_'; a run of digits; or one special parameter character. */
    private String name() {
        StringBuilder name = new StringBuilder();
        while (peek() != EOF) {
            char ch = (char) peek();
            if (name.isEmpty() && Character.isDigit(ch)) {
                while (peek() != EOF && Character.isDigit((char) peek())) {
                    name.append((char) next());
                }
                return name.toString();
            }
            if (name.isEmpty() && "@*#?-$!0".indexOf(ch) >= 0) {
                next();
                return String.valueOf(ch);
            }
            if (!Character.isLetterOrDigit(ch) && ch != '_') {
                break;
            }
            name.append((char) next());
        }
        return name.toString();
    }

    /** A shell wildcard pattern ({@code ?}, {@code *}, no brackets) as a regular expression, as BuildKit converts it. */
    private static Pattern shellPattern(String pattern, boolean greedy, boolean anchored) {
        StringBuilder out = new StringBuilder(anchored ? "^" : "");
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            switch (c) {
                case '*' -> out.append(greedy ? ".*" : ".*?");
                case '?' -> out.append('.');
                case '\\' -> {
                    if (i + 1 < pattern.length() && (pattern.charAt(i + 1) == '}' || pattern.charAt(i + 1) == '/')) {
                        continue;
                    }
                    char escaped = i + 1 < pattern.length() ? pattern.charAt(++i) : 0;
                    if (escaped != '*' && escaped != '?' && escaped != '\\') {
                        throw new IllegalArgumentException("invalid pattern (" + pattern + ") in substitution");
                    }
                    out.append('\\').append(escaped);
                }
                default -> {
                    if ("[]{}.+()|^$".indexOf(c) >= 0) {
                        out.append('\\');
                    }
                    out.append(c);
                }
            }
        }
        return Pattern.compile(out.toString(), Pattern.DOTALL);
    }

    private static String trimPrefix(String pattern, String value, boolean greedy) {
        Matcher m = shellPattern(pattern, greedy, true).matcher(value);
        return m.find() ? value.substring(m.end()) : value;
    }

    private static String trimSuffix(String pattern, String value, boolean greedy) {
        // as BuildKit: reverse the pattern (keeping escapes before their character) and the value, trim the prefix
        char[] in = pattern.toCharArray();
        char[] reversed = new char[in.length];
        int last = in.length - 1;
        for (int i = 0; i <= last; ) {
            if (in[i] == '\\' && i != last) {
                reversed[last - i - 1] = in[i];
                reversed[last - i] = in[i + 1];
                i += 2;
            } else {
                reversed[last - i] = in[i];
                i++;
            }
        }
        String trimmed = trimPrefix(new String(reversed), new StringBuilder(value).reverse().toString(), greedy);
        return new StringBuilder(trimmed).reverse().toString();
    }

    /** Word splitting as BuildKit's {@code wordsStruct}: unquoted blanks separate words, quoted text never does. */
    private static final class Words {
        private final List<String> words = new ArrayList<>();
        private final StringBuilder buf = new StringBuilder();
        private boolean inWord;

        void addChar(char ch) {
            if (DockerfileSyntax.isSpace(ch)) {
                if (inWord && !buf.isEmpty()) {
                    words.add(buf.toString());
                    buf.setLength(0);
                    inWord = false;
                }
            } else {
                buf.append(ch);
                inWord = true;
            }
        }

        void addString(String s) {
            for (int i = 0; i < s.length(); i++) {
                addChar(s.charAt(i));
            }
        }

        void addRaw(String s) {
            buf.append(s);
            inWord = true;
        }

        List<String> done() {
            if (!buf.isEmpty()) {
                words.add(buf.toString());
                buf.setLength(0);
                inWord = false;
            }
            return List.copyOf(words);
        }
    }
}
