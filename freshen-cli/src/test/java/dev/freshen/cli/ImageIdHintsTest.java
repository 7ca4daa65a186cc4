package dev.freshen.cli;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ImageIdHintsTest {

    private static final List<String> KNOWN = List.of("fixture/runtime", "net10/runtime", "net10/aspnet", "net10/sdk",
            "net11/runtime", "net10/runtime-chiseled");

    @Test
    void aTypoGetsTheClosestIds() {
        assertEquals(List.of("fixture/runtime"), ImageIdHints.near("fixture/runtim", KNOWN));
        assertEquals(List.of("net10/runtime", "net11/runtime", "fixture/runtime"), ImageIdHints.near("net12/runtime", KNOWN));
        assertEquals(List.of("net10/aspnet"), ImageIdHints.near("net10/aspnt", KNOWN));
        assertEquals(List.of(), ImageIdHints.near("something/else", KNOWN));
    }

    @Test
    void theMessageSaysWhatToDo() {
        assertEquals("unknown platform image 'fixture/runtim'; did you mean fixture/runtime?",
                ImageIdHints.unknown("unknown platform image 'fixture/runtim'", "fixture/runtim", KNOWN));
        assertEquals("unknown platform image 'x/y'; 'freshen status' lists the watched images",
                ImageIdHints.unknown("unknown platform image 'x/y'", "x/y", KNOWN));
    }

    @Test
    void distanceIsLevenshtein() {
        assertEquals(0, ImageIdHints.distance("abc", "abc"));
        assertEquals(1, ImageIdHints.distance("abc", "abd"));
        assertEquals(3, ImageIdHints.distance("kitten", "sitting"));
        assertEquals(4, ImageIdHints.distance("", "abcd"));
    }
}
