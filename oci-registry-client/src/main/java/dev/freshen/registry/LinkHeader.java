package dev.freshen.registry;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * RFC 5988/8288 {@code Link} headers, as registries send them for pagination:
 * {@code </v2/repo/tags/list?last=b&n=2>; rel="next"}. Several links per value and several values are accepted; the
 * target may be relative (resolve it against the request URI).
 */
final class LinkHeader {

    private LinkHeader() {
    }

    /** The target of the first link whose {@code rel} includes {@code next}, if any. */
    static Optional<String> next(List<String> headerValues) {
        for (String value : headerValues) {
            Optional<String> next = next(value);
            if (next.isPresent()) {
                return next;
            }
        }
        return Optional.empty();
    }

    private static Optional<String> next(String value) {
        int pos = 0;
        while (value != null && pos < value.length()) {
            int open = value.indexOf('<', pos);
            if (open < 0) {
                return Optional.empty();
            }
            int close = value.indexOf('>', open);
            if (close < 0) {
                return Optional.empty();
            }
            String target = value.substring(open + 1, close).trim();
            int end = endOfLink(value, close + 1);
            if (relations(value.substring(close + 1, end)).contains(" next ")) {
                return Optional.of(target);
            }
            pos = end + 1;
        }
        return Optional.empty();
    }

    /** The index of the comma ending the link whose parameters start at {@code from} (outside quotes), or the end. */
    private static int endOfLink(String value, int from) {
        boolean quoted = false;
        for (int i = from; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            } else if (c == ',' && !quoted) {
                return i;
            }
        }
        return value.length();
    }

    /** The {@code rel} values of a link's parameters, lowercase, as " a b " (space-padded for whole-word checks). */
    private static String relations(String params) {
        for (String param : params.split(";")) {
            int eq = param.indexOf('=');
            if (eq > 0 && param.substring(0, eq).trim().equalsIgnoreCase("rel")) {
                String rel = param.substring(eq + 1).trim();
                if (rel.length() >= 2 && rel.startsWith("\"") && rel.endsWith("\"")) {
                    rel = rel.substring(1, rel.length() - 1);
                }
                return " " + String.join(" ", rel.toLowerCase(Locale.ROOT).trim().split("\\s+")) + " ";
            }
        }
        return "";
    }
}
