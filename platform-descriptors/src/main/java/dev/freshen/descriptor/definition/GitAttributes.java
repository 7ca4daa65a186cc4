package dev.freshen.descriptor.definition;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Which files git stores with LF line endings, read from the {@code .gitattributes} files of a platform-images folder
 * without git (in Kubernetes the folder is a copy without {@code .git}), so that a definition hash does not depend on
 * the line endings a checkout wrote: {@link #isText} says whether git would turn every CRLF of the file into LF when
 * it is added ({@code git add}), {@link #toGit} does it.
 *
 * <p>The rules are git's (gitattributes(5), {@code attr.c}, {@code convert.c} of git 2.39): the {@code .gitattributes}
 * files from {@code root} down to the file's folder apply, a deeper file before a shallower one and a later line before
 * an earlier one, each attribute decided by the first line (in that order) that sets, unsets or unspecifies it; within a
 * line the last mention wins. A line is a pattern and attributes; a pattern without a slash matches the file's name at
 * any depth below the {@code .gitattributes}, one with a slash matches the path relative to it (a leading slash
 * anchors, {@code *} and {@code ?} stay within one folder, {@code **}{@code /}, {@code /**}{@code /} and {@code /**}
 * cross folders, {@code [a-z]} classes, {@code \} escapes); a pattern ending in {@code /} matches folders only, hence
 * no file; {@code !pattern} is refused by git and skipped here. The attributes read: {@code text} (set, {@code -text},
 * {@code !text}, {@code text=auto}, {@code text=input}; other values leave it unspecified), the built-in macro
 * {@code binary} ({@code -text}), {@code eol=lf|crlf}, and the legacy {@code crlf} when {@code text} is unspecified.
 * A file is converted when {@code text} is set (or {@code input}); when it is {@code auto} and the content is not
 * binary by git's {@code convert_is_binary} (a NUL, a CR not followed by LF, or more than one control character per
 * 128 printable ones, over the whole file); when {@code text} is unspecified and {@code eol} is set. {@code -text}
 * (also with {@code eol}) and everything else: the bytes as they are, as git stores them without
 * {@code core.autocrlf}. Not read: {@code [attr]} macro definitions (other than the built-in {@code binary}),
 * {@code .git/info/attributes}, the global attributes file, {@code core.autocrlf}, {@code .gitattributes} above
 * {@code root}, filters ({@code filter=lfs}) and {@code working-tree-encoding}. {@code GitNormalizationIT} holds these
 * rules to the real {@code git}.
 */
public final class GitAttributes {

    /** The name of an attributes file. */
    public static final String FILE_NAME = ".gitattributes";

    private static final System.Logger LOG = System.getLogger(GitAttributes.class.getName());

    /** What the {@code text} attribute (or {@code crlf}) says: git's {@code crlf_action} before {@code eol}. */
    private enum Action { UNDEFINED, TEXT, BINARY, AUTO }

    private final Path root;
    private final Map<String, List<Line>> files = new HashMap<>();

    private GitAttributes(Path root) {
        this.root = root;
    }

    /**
     * The attributes of the folder {@code root} (the platform-images root): its {@code .gitattributes} files are read
     * when first needed.
     */
    public static GitAttributes load(Path root) {
        return new GitAttributes(root.toAbsolutePath().normalize());
    }

    /**
     * Whether git converts the CRLF line endings of this file to LF when it is added.
     *
     * @param relPath the file's path relative to the root, slash-separated, e.g. {@code net10/runtime/run.sh}
     * @param content the file's content (the whole file: {@code text=auto} looks at all of it)
     */
    public boolean isText(String relPath, byte[] content) {
        Action action = action(relPath);
        return switch (action) {
            case TEXT -> true;
            case AUTO -> !convertIsBinary(content);
            case BINARY, UNDEFINED -> false;
        };
    }

    /** The content git stores for this file: {@link #isText text} with every CRLF as LF, else as it is. */
    public byte[] toGit(String relPath, byte[] content) {
        return isText(relPath, content) ? crlfToLf(content) : content;
    }

    /** Every CR that is followed by LF removed. */
    static byte[] crlfToLf(byte[] content) {
        byte[] out = new byte[content.length];
        int n = 0;
        for (int i = 0; i < content.length; i++) {
            if (content[i] == '\r' && i + 1 < content.length && content[i + 1] == '\n') {
                continue;
            }
            out[n++] = content[i];
        }
        return n == content.length ? content : java.util.Arrays.copyOf(out, n);
    }

    /** git's {@code gather_stats} and {@code convert_is_binary} ({@code convert.c}). */
    static boolean convertIsBinary(byte[] content) {
        long printable = 0;
        long nonPrintable = 0;
        for (int i = 0; i < content.length; i++) {
            int c = content[i] & 0xff;
            if (c == '\r') {
                if (i + 1 < content.length && content[i + 1] == '\n') {
                    i++;
                    continue;
                }
                return true;
            }
            if (c == '\n') {
                continue;
            }
            if (c == 0) {
                return true;
            }
            if (c == 127) {
                nonPrintable++;
            } else if (c < 32) {
                if (c == '\b' || c == '\t' || c == 033 || c == 014) {
                    printable++;
                } else {
                    nonPrintable++;
                }
            } else {
                printable++;
            }
        }
        if (content.length > 0 && content[content.length - 1] == 032) {
            nonPrintable--;
        }
        return (printable >> 7) < nonPrintable;
    }

    /** git's {@code convert_attrs}: the {@code text} (else {@code crlf}) action, then {@code eol}. */
    private Action action(String relPath) {
        Optional<String> text = Optional.empty();
        Optional<String> crlf = Optional.empty();
        Optional<String> eol = Optional.empty();
        boolean textDecided = false;
        boolean crlfDecided = false;
        boolean eolDecided = false;
        List<String> dirs = new ArrayList<>();
        dirs.add("");
        for (int slash = relPath.indexOf('/'); slash >= 0; slash = relPath.indexOf('/', slash + 1)) {
            dirs.add(relPath.substring(0, slash));
        }
        for (int d = dirs.size() - 1; d >= 0; d--) {
            String dir = dirs.get(d);
            String below = dir.isEmpty() ? relPath : relPath.substring(dir.length() + 1);
            List<Line> lines = lines(dir);
            for (int i = lines.size() - 1; i >= 0; i--) {
                Line line = lines.get(i);
                if (!line.matches(below)) {
                    continue;
                }
                if (!textDecided && line.states.containsKey("text")) {
                    text = Optional.ofNullable(line.states.get("text"));
                    textDecided = true;
                }
                if (!crlfDecided && line.states.containsKey("crlf")) {
                    crlf = Optional.ofNullable(line.states.get("crlf"));
                    crlfDecided = true;
                }
                if (!eolDecided && line.states.containsKey("eol")) {
                    eol = Optional.ofNullable(line.states.get("eol"));
                    eolDecided = true;
                }
            }
        }
        Action action = action(text);
        if (action == Action.UNDEFINED) {
            action = action(crlf);
        }
        boolean eolSet = eol.filter(v -> v.equals("=lf") || v.equals("=crlf")).isPresent();
        if (action == Action.UNDEFINED && eolSet) {
            return Action.TEXT;
        }
        return action;
    }

    /** git's {@code git_path_check_crlf}: a state is {@code +}, {@code -}, {@code =value}, {@code !} or absent. */
    private static Action action(Optional<String> state) {
        if (state.isEmpty()) {
            return Action.UNDEFINED;
        }
        return switch (state.get()) {
            case "+", "=input" -> Action.TEXT;
            case "-" -> Action.BINARY;
            case "=auto" -> Action.AUTO;
            default -> Action.UNDEFINED;
        };
    }

    /** The lines of {@code dir}'s attributes file ({@code dir} relative to the root, "" for the root itself). */
    private List<Line> lines(String dir) {
        return files.computeIfAbsent(dir, d -> {
            Path file = (d.isEmpty() ? root : root.resolve(d)).resolve(FILE_NAME);
            if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                return List.of();
            }
            try {
                return parse(new String(Files.readAllBytes(file), StandardCharsets.UTF_8), d);
            } catch (IOException e) {
                LOG.log(System.Logger.Level.WARNING, "Cannot read {0}: its attributes are not applied ({1})", file,
                        e.getMessage());
                return List.of();
            }
        });
    }

    /** The lines of an attributes file's text that say something about {@code text}, {@code crlf} or {@code eol}. */
    static List<Line> parse(String text, String dir) {
        List<Line> lines = new ArrayList<>();
        for (String raw : text.split("\n", -1)) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String pattern;
            String rest;
            if (line.startsWith("\"")) {
                int end = closingQuote(line);
                if (end < 0) {
                    continue;
                }
                pattern = unquote(line.substring(1, end));
                rest = line.substring(end + 1);
            } else {
                int blank = firstBlank(line);
                pattern = blank < 0 ? line : line.substring(0, blank);
                rest = blank < 0 ? "" : line.substring(blank);
            }
            if (pattern.startsWith("[attr]")) {
                LOG.log(System.Logger.Level.DEBUG, "{0}/{1}: the macro {2} is not applied to the definition hash "
                        + "(only the built-in binary is)", dir, FILE_NAME, pattern);
                continue;
            }
            if (pattern.startsWith("!")) {
                continue;
            }
            Map<String, String> states = new HashMap<>();
            for (String token : rest.strip().split("[ \t\r\f]+")) {
                if (token.isEmpty()) {
                    continue;
                }
                if (token.equals("binary")) {
                    states.put("text", "-");
                    continue;
                }
                String name;
                String state;
                if (token.startsWith("-") || token.startsWith("!")) {
                    name = token.substring(1);
                    state = token.startsWith("-") ? "-" : "!";
                } else if (token.contains("=")) {
                    name = token.substring(0, token.indexOf('='));
                    state = token.substring(token.indexOf('='));
                } else {
                    name = token;
                    state = "+";
                }
                if (name.equals("text") || name.equals("crlf") || name.equals("eol")) {
                    states.put(name, state);
                }
            }
            if (!states.isEmpty()) {
                Line.of(pattern, states).ifPresent(lines::add);
            }
        }
        return lines;
    }

    private static int firstBlank(String line) {
        for (int i = 0; i < line.length(); i++) {
            if (line.charAt(i) == ' ' || line.charAt(i) == '\t' || line.charAt(i) == '\r') {
                return i;
            }
        }
        return -1;
    }

    private static int closingQuote(String line) {
        for (int i = 1; i < line.length(); i++) {
            if (line.charAt(i) == '\\') {
                i++;
            } else if (line.charAt(i) == '"') {
                return i;
            }
        }
        return -1;
    }

    /** A C-quoted pattern's text (git's {@code unquote_c_style}: {@code \"}, {@code \\}, {@code \t}, {@code \n}). */
    private static String unquote(String quoted) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < quoted.length(); i++) {
            char c = quoted.charAt(i);
            if (c == '\\' && i + 1 < quoted.length()) {
                char next = quoted.charAt(++i);
                out.append(switch (next) {
                    case 't' -> '\t';
                    case 'n' -> '\n';
                    case 'r' -> '\r';
                    default -> next;
                });
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /**
     * One line: its pattern as a regular expression over the path below the attributes file's folder (or over the
     * file's name, for a pattern without a slash), and the states it gives ({@code +}, {@code -}, {@code =value}, or
     * {@code !} for unspecified).
     */
    record Line(Pattern pattern, boolean basename, Map<String, String> states) {

        /** The line of {@code pattern}; empty when it can match no file (a folder pattern, an unclosed class). */
        static Optional<Line> of(String pattern, Map<String, String> states) {
            if (pattern.endsWith("/")) {
                return Optional.empty();
            }
            boolean basename = pattern.indexOf('/') < 0;
            String anchored = pattern.startsWith("/") ? pattern.substring(1) : pattern;
            return wildmatch(anchored).map(p -> new Line(p, basename, Map.copyOf(states)));
        }

        boolean matches(String path) {
            String subject = basename ? path.substring(path.lastIndexOf('/') + 1) : path;
            return pattern.matcher(subject).matches();
        }

        /** git's {@code wildmatch} with {@code WM_PATHNAME} as a regular expression. */
        private static Optional<Pattern> wildmatch(String glob) {
            StringBuilder re = new StringBuilder();
            int n = glob.length();
            for (int i = 0; i < n; i++) {
                char c = glob.charAt(i);
                if (c == '*') {
                    int start = i;
                    while (i + 1 < n && glob.charAt(i + 1) == '*') {
                        i++;
                    }
                    boolean doubled = i > start;
                    boolean atStart = start == 0 || glob.charAt(start - 1) == '/';
                    boolean atEnd = i + 1 == n || glob.charAt(i + 1) == '/';
                    if (doubled && atStart && atEnd) {
                        if (i + 1 < n) {
                            re.append("(?:.*/)?");
                            i++;
                        } else {
                            re.append(".*");
                        }
                    } else {
                        re.append("[^/]*");
                    }
                } else if (c == '?') {
                    re.append("[^/]");
                } else if (c == '[') {
                    int end = classEnd(glob, i);
                    if (end < 0) {
                        return Optional.empty();
                    }
                    re.append(characterClass(glob.substring(i + 1, end)));
                    i = end;
                } else if (c == '\\' && i + 1 < n) {
                    re.append(Pattern.quote(String.valueOf(glob.charAt(++i))));
                } else {
                    re.append(Pattern.quote(String.valueOf(c)));
                }
            }
            try {
                return Optional.of(Pattern.compile(re.toString(), Pattern.DOTALL));
            } catch (java.util.regex.PatternSyntaxException e) {
                return Optional.empty();
            }
        }

        /** The index of the {@code ]} closing the class opened at {@code open}, or -1. */
        private static int classEnd(String glob, int open) {
            int i = open + 1;
            if (i < glob.length() && (glob.charAt(i) == '!' || glob.charAt(i) == '^')) {
                i++;
            }
            if (i < glob.length() && glob.charAt(i) == ']') {
                i++;
            }
            for (; i < glob.length(); i++) {
                char c = glob.charAt(i);
                if (c == '\\') {
                    i++;
                } else if (c == '[' && i + 1 < glob.length() && glob.charAt(i + 1) == ':') {
                    int close = glob.indexOf(":]", i + 2);
                    if (close < 0) {
                        return -1;
                    }
                    i = close + 1;
                } else if (c == ']') {
                    return i;
                }
            }
            return -1;
        }

        /** A wildmatch class body ({@code !a-z}, {@code [:digit:]x}) as a Java class that never matches '/'. */
        private static String characterClass(String body) {
            StringBuilder out = new StringBuilder("[");
            int i = 0;
            boolean negated = !body.isEmpty() && (body.charAt(0) == '!' || body.charAt(0) == '^');
            if (negated) {
                out.append('^');
                i++;
            }
            for (; i < body.length(); i++) {
                char c = body.charAt(i);
                if (c == '[' && i + 1 < body.length() && body.charAt(i + 1) == ':') {
                    int close = body.indexOf(":]", i + 2);
                    String name = body.substring(i + 2, close);
                    out.append(switch (name) {
                        case "alpha" -> "\\p{Alpha}";
                        case "digit" -> "\\p{Digit}";
                        case "alnum" -> "\\p{Alnum}";
                        case "upper" -> "\\p{Upper}";
                        case "lower" -> "\\p{Lower}";
                        case "space" -> "\\s";
                        case "punct" -> "\\p{Punct}";
                        case "xdigit" -> "\\p{XDigit}";
                        case "blank" -> " \\t";
                        case "cntrl" -> "\\p{Cntrl}";
                        case "print" -> "\\p{Print}";
                        case "graph" -> "\\p{Graph}";
                        default -> "";
                    });
                    i = close + 1;
                } else if (c == '\\' && i + 1 < body.length()) {
                    char escaped = body.charAt(++i);
                    out.append(Character.isLetterOrDigit(escaped) ? "" : "\\").append(escaped);
                } else if (c == '-' && i > (negated ? 1 : 0) && i + 1 < body.length()) {
                    out.append('-');
                } else if (Character.isLetterOrDigit(c)) {
                    out.append(c);
                } else {
                    out.append('\\').append(c);
                }
            }
            return negated ? out.append("/]").toString() : out.append("&&[^/]]").toString();
        }
    }
}
