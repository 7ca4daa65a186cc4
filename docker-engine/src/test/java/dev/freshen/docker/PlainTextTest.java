package dev.freshen.docker;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class PlainTextTest {

    /** Input (with \e, \r, \a, \0 written as such) and what is left to show. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            \\e[31mred\\e[0m text                             | red text
            \\e[1;32;40mbold green\\e[m                        | bold green
            \\e[2K\\e[1Gcursor moves                          | cursor moves
            \\e]0;window title\\afollows                      | follows
            \\e]8;;https://x.example\\e\\\\link\\e]8;;\\e\\\\ | link
            \\ecreset                                         | reset
            a\\0b\\ac\\bd                                     | abcd
            tab\\tstays                                       | tab\\tstays
            crlf\\r\\nline                                    | crlf\\nline
            10%\\r50%\\r100%\\ndone                           | 100%\\ndone
            evil\u202Ereversed                                 | evilreversed
            """)
    void removesEscapesAndControlCharacters(String input, String expected) {
        assertEquals(unescape(expected), PlainText.clean(unescape(input)));
    }

    @Test
    void eightBitIntroducersAreEscapesToo() {
        assertEquals("red", PlainText.clean("\u009B31mred\u009B0m"));
    }

    @Test
    void nullStaysNull() {
        assertNull(PlainText.clean(null));
    }

    @Test
    void headCutsAtACharacterNotInsideOne() {
        assertEquals("short", PlainText.head("short", 500));
        assertEquals("ab…", PlainText.head("abcdef", 2));
        // "é" is two bytes: three bytes hold "a" and "é", two hold only "a"
        assertEquals("aé…", PlainText.head("aéb", 3));
        assertEquals("a…", PlainText.head("aéb", 2));
    }

    @Test
    void oneLineJoinsLinesWithSpaces() {
        assertEquals("a b c", PlainText.oneLine(" a\n b\t\tc \n"));
    }

    private static String unescape(String text) {
        return text.replace("\\e", "\u001B").replace("\\a", "\u0007").replace("\\0", "\u0000").replace("\\b", "\b")
                .replace("\\t", "\t").replace("\\r", "\r").replace("\\n", "\n").replace("\\\\", "\\");
    }
}
