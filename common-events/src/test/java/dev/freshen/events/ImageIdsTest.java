package dev.freshen.events;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ImageIdsTest {

    private static final List<String> KNOWN = List.of("fixture/runtime", "net10/runtime", "net10/aspnet", "net10/sdk",
            "net11/runtime", "net10/runtime-chiseled");

    @Test
    void aTypoGetsTheClosestIds() {
        assertEquals(List.of("fixture/runtime"), ImageIds.near("fixture/runtim", KNOWN));
        assertEquals(List.of("net10/runtime", "net11/runtime", "fixture/runtime"), ImageIds.near("net12/runtime", KNOWN));
        assertEquals(List.of("net10/aspnet"), ImageIds.near("net10/aspnt", KNOWN));
        assertEquals(List.of(), ImageIds.near("something/else", KNOWN));
        assertEquals(List.of(), ImageIds.near("net10/runtime", List.of("net10/runtime")), "the id itself is no suggestion");
    }

    @Test
    void distanceIsLevenshtein() {
        assertEquals(0, ImageIds.distance("abc", "abc"));
        assertEquals(1, ImageIds.distance("abc", "abd"));
        assertEquals(3, ImageIds.distance("kitten", "sitting"));
        assertEquals(4, ImageIds.distance("", "abcd"));
    }
}
