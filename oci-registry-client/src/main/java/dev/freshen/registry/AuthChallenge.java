package dev.freshen.registry;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One challenge of a {@code WWW-Authenticate} header (RFC 7235), e.g.
 * {@code Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/debian:pull"}.
 * The parser accepts several challenges per header value and several header values, quoted values holding commas
 * and escaped quotes, unquoted values, any spacing and parameter names in any case (kept lowercase).
 *
 * @param scheme the authentication scheme as sent ({@code Bearer}, {@code Basic}...)
 * @param params the auth-params by lowercase name
 */
record AuthChallenge(String scheme, Map<String, String> params) {

    private static final String TOKEN_SPECIALS = "!#$%&'*+-.^_`|~";

    AuthChallenge {
        params = Collections.unmodifiableMap(new LinkedHashMap<>(params));
    }

    /** Whether this challenge is of {@code name}, case-insensitively. */
    boolean is(String name) {
        return scheme.equalsIgnoreCase(name);
    }

    /** The parameter {@code name} (case-insensitive), or null. */
    String param(String name) {
        return params.get(name.toLowerCase(Locale.ROOT));
    }

    /** All challenges of all the header values, in order; unparseable parts are skipped. */
    static List<AuthChallenge> parse(List<String> headerValues) {
        List<AuthChallenge> challenges = new ArrayList<>();
        for (String value : headerValues) {
            challenges.addAll(new Parser(value).challenges());
        }
        return challenges;
    }

    private static final class Parser {
        private final String text;
        private int pos;

        Parser(String text) {
            this.text = text == null ? "" : text;
        }

        List<AuthChallenge> challenges() {
            List<AuthChallenge> result = new ArrayList<>();
            while (true) {
                skip(" \t,");
                if (pos >= text.length()) {
                    return result;
                }
                String scheme = token();
                if (scheme.isEmpty()) {
                    pos++; // not a token character: skip it
                    continue;
                }
                result.add(new AuthChallenge(scheme, params()));
            }
        }

        /** Auth-params up to the start of the next challenge (a token not followed by '='). */
        private Map<String, String> params() {
            Map<String, String> params = new LinkedHashMap<>();
            while (true) {
                int start = pos;
                skip(" \t,");
                if (pos >= text.length()) {
                    return params;
                }
                String name = token();
                if (name.isEmpty()) {
                    pos++; // not a token character (a token68's '=' padding, a stray quote): skip it
                    continue;
                }
                skip(" \t");
                if (pos >= text.length() || text.charAt(pos) != '=') {
                    pos = start; // the next challenge's scheme
                    return params;
                }
                pos++;
                skip(" \t");
                if (pos < text.length() && text.charAt(pos) == '=') {
                    skip("="); // a token68 such as "abc==", not a parameter
                    continue;
                }
                params.put(name.toLowerCase(Locale.ROOT), pos < text.length() && text.charAt(pos) == '"' ? quoted() : bare());
            }
        }

        private String token() {
            int start = pos;
            while (pos < text.length() && isTokenChar(text.charAt(pos))) {
                pos++;
            }
            return text.substring(start, pos);
        }

        /** An unquoted value: up to a comma or whitespace (lenient: URLs with '/' and ':' are accepted). */
        private String bare() {
            int start = pos;
            while (pos < text.length() && text.charAt(pos) != ',' && !Character.isWhitespace(text.charAt(pos))) {
                pos++;
            }
            return text.substring(start, pos);
        }

        private String quoted() {
            StringBuilder value = new StringBuilder();
            pos++; // opening quote
            while (pos < text.length()) {
                char c = text.charAt(pos++);
                if (c == '"') {
                    return value.toString();
                }
                if (c == '\\' && pos < text.length()) {
                    c = text.charAt(pos++);
                }
                value.append(c);
            }
            return value.toString(); // unterminated: take the rest
        }

        private void skip(String chars) {
            while (pos < text.length() && chars.indexOf(text.charAt(pos)) >= 0) {
                pos++;
            }
        }

        private static boolean isTokenChar(char c) {
            return c < 128 && (Character.isLetterOrDigit(c) || TOKEN_SPECIALS.indexOf(c) >= 0);
        }
    }
}
