package dev.freshen.docker;

import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * Text from programs (container output, HTTP bodies, build logs) made safe to show in a failure reason, a card or a
 * terminal: terminal escape sequences (ANSI colours, cursor moves, window titles) and control characters removed,
 * line ends made {@code \n}, and cut to a size in bytes.
 */
public final class PlainText {

    /**
     * ECMA-48 escape sequences: CSI ({@code ESC [ ... final}, colours and cursor moves), OSC ({@code ESC ] ... BEL} or
     * {@code ESC ] ... ESC \}, e.g. window titles and hyperlinks), and the two-character escapes ({@code ESC c}, ...).
     * The same sequences introduced by their 8-bit C1 characters ({@code U+009B} CSI, {@code U+009D} OSC).
     */
    private static final Pattern ESCAPES = Pattern.compile(
            "(?:\u001B\\[|\u009B)[0-?]*[ -/]*[@-~]"
                    + "|(?:\u001B]|\u009D)[^\u0007\u001B\u009C]*(?:\u0007|\u001B\\\\|\u009C)?"
                    + "|\u001B[ -/]*[0-~]");
    /** Bidirectional overrides and isolates: they make text read differently from what it is (CVE-2021-42574). */
    private static final Pattern BIDI = Pattern.compile("[\u202A-\u202E\u2066-\u2069]");

    private PlainText() {
    }

    /**
     * {@code text} without escape sequences, control characters and bidirectional overrides; null stays null. Tab and
     * line feed stay, {@code \r\n} becomes {@code \n}, and of a line that a lone {@code \r} overwrote (a progress
     * bar) only what a terminal would show last stays.
     */
    public static String clean(String text) {
        if (text == null) {
            return null;
        }
        String noEscapes = BIDI.matcher(ESCAPES.matcher(text).replaceAll("")).replaceAll("").replace("\r\n", "\n");
        StringBuilder out = new StringBuilder(noEscapes.length());
        for (String line : noEscapes.split("\n", -1)) {
            String shown = lastOverwrite(line);
            shown.codePoints().filter(c -> c == '\t' || !Character.isISOControl(c)).forEach(out::appendCodePoint);
            out.append('\n');
        }
        out.setLength(out.length() - 1);
        return out.toString();
    }

    private static String lastOverwrite(String line) {
        String[] parts = line.split("\r");
        for (int i = parts.length - 1; i >= 0; i--) {
            if (!parts[i].isEmpty()) {
                return parts[i];
            }
        }
        return "";
    }

    /**
     * The start of {@code text} up to {@code maxBytes} bytes of UTF-8, never cutting a character in two; followed by
     * "…" when something was cut.
     */
    public static String head(String text, int maxBytes) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        if (bytes.length <= maxBytes) {
            return text;
        }
        int end = Math.max(0, maxBytes);
        while (end > 0 && (bytes[end] & 0xC0) == 0x80) {
            end--; // a continuation byte: back to the start of its character
        }
        return new String(bytes, 0, end, StandardCharsets.UTF_8) + "…";
    }

    /** {@code text} on one line: runs of white space (line ends included) become one space. */
    public static String oneLine(String text) {
        return text.strip().replaceAll("\\s+", " ");
    }
}
