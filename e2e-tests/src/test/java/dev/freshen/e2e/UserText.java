package dev.freshen.e2e;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The rules every user-facing text of the corpus is held to (API answers, CLI output, status lines, cards): the words
 * a case expects are in it, and none of what must never reach a user is: Java exception and class names (qualified by
 * their package), stack frames, ISO-8601 durations, and the API keys (configured or sent).
 */
final class UserText {

    /** What never reaches a user, whatever the case. */
    static final List<Pattern> NEVER = List.of(
            Pattern.compile("Exception"),
            Pattern.compile("\\bjava\\.[a-z]"),
            Pattern.compile("\\b(?:[a-z][a-z0-9_]*\\.){2,}[A-Z][A-Za-z0-9_$]*"),
            Pattern.compile("\\bPT\\d"),
            Pattern.compile("\\bat dev\\."),
            Pattern.compile("(?m)^\\s+at [a-z][\\w$]*\\.[\\w$.]+\\("),
            Pattern.compile("Caused by:"));

    private UserText() {
    }

    /**
     * Fails unless {@code text} holds each of {@code words} ({@code re:} starts a regular expression); {@code where}
     * names the place in the message.
     */
    static void assertContains(String where, String text, Collection<String> words) {
        List<String> missing = new ArrayList<>();
        for (String word : words) {
            if (!matches(text, word)) {
                missing.add(word);
            }
        }
        if (!missing.isEmpty()) {
            throw new AssertionError(where + " lacks " + quoted(missing) + "; it is:\n" + indent(text));
        }
    }

    /**
     * Fails when {@code text} holds anything of {@link #NEVER}, any of {@code secrets}, or any of {@code forbidden}
     * (the words a case says must not be there).
     */
    static void assertClean(String where, String text, Collection<String> forbidden, Collection<String> secrets) {
        for (Pattern never : NEVER) {
            var m = never.matcher(text);
            if (m.find()) {
                throw new AssertionError(where + " holds '" + m.group() + "', which never reaches a user; it is:\n"
                        + indent(text));
            }
        }
        for (String secret : secrets) {
            if (text.contains(secret)) {
                throw new AssertionError(where + " echoes an API key; it is:\n" + indent(text.replace(secret, "<KEY>")));
            }
        }
        for (String word : forbidden) {
            if (matches(text, word)) {
                throw new AssertionError(where + " holds '" + word + "', which it must not; it is:\n" + indent(text));
            }
        }
    }

    static boolean matches(String text, String word) {
        return word.startsWith("re:") ? Pattern.compile(word.substring(3)).matcher(text).find() : text.contains(word);
    }

    static String indent(String text) {
        return "    | " + text.strip().replace("\n", "\n    | ");
    }

    private static String quoted(List<String> words) {
        return String.join(", ", words.stream().map(w -> "'" + w + "'").toList());
    }
}
