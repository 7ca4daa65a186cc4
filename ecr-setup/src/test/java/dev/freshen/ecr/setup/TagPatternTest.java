package dev.freshen.ecr.setup;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TagPatternTest {

    @Test
    void aFilterMatchesAsEcrDoesStarBeingAnyRunOfCharacters() {
        assertTrue(TagPattern.matches("10.0-noble-*", "10.0-noble-chiseled"));
        assertTrue(TagPattern.matches("10.0-noble-*.*.*", "10.0-noble-1.4.0"));
        assertTrue(TagPattern.matches("10.0-noble-*.*.*", "10.0-noble-chiseled-1.4.0"), "a sibling's version is a version too");
        assertFalse(TagPattern.matches("10.0-noble-*.*.*", "10.0-noble-chiseled"));
        assertFalse(TagPattern.matches("10.0-noble-*.*.*", "10.0-noble"));
        assertTrue(TagPattern.matches("*", ""));
        assertFalse(TagPattern.matches("latest", "latest2"));
        assertTrue(TagPattern.matches("a.b", "a.b"));
        assertFalse(TagPattern.matches("a.b", "axb"), "a dot is a dot, not any character");
    }

    @Test
    void overlapsIsExactForWildcardsTemplatesAndVersionTags() {
        TagPattern versions = TagPattern.versionsOf("10.0-noble");
        assertTrue(TagPattern.filter("10.0-noble-*").overlaps(versions));
        assertTrue(TagPattern.filter("10.0-noble-*").overlaps(TagPattern.template("10.0-noble-chiseled")));
        assertFalse(TagPattern.filter("10.0-noble-*.*.*").overlaps(TagPattern.template("10.0-noble-chiseled")));
        assertFalse(TagPattern.filter("latest").overlaps(versions));
        assertFalse(TagPattern.filter("10.0").overlaps(versions));
        assertTrue(TagPattern.filter("nightly-*").overlaps(TagPattern.template("nightly-{date}")));
        assertFalse(TagPattern.filter("nightly-*.*.*").overlaps(TagPattern.template("nightly-{date}")), "a date has no dots");
        assertTrue(TagPattern.filter("nightly-2026*").overlaps(TagPattern.template("nightly-{date}")));
        assertFalse(TagPattern.filter("nightly-x*").overlaps(TagPattern.template("nightly-{date}")), "dates are digits");
        assertFalse(TagPattern.filter("nightly-1234567").overlaps(TagPattern.template("nightly-{date}")), "eight digits");
        assertTrue(TagPattern.filter("*-lts").overlaps(TagPattern.template("{version}-lts")));
        assertTrue(TagPattern.filter("run-*").overlaps(TagPattern.template("run-{runId}")));
        assertFalse(TagPattern.filter("10.0-noble-*.*.*").overlaps(TagPattern.versionsOf("11.0-resolute")));
        assertTrue(TagPattern.filter("*.*.*").overlaps(TagPattern.template("{version}")));
        assertTrue(TagPattern.filter("*").overlaps(TagPattern.filter("*a*b*")));
        assertFalse(TagPattern.filter("a*").overlaps(TagPattern.filter("b*")));
        assertTrue(TagPattern.filter("*x").overlaps(TagPattern.filter("x*")));
    }

    @Test
    void overlapsAgreesWithMatchingOnConcreteTags() {
        String[] filters = {"10.0-noble-*", "10.0-noble-*.*.*", "*", "latest", "*.0", "1*.*", "a*b*c"};
        String[] tags = {"10.0-noble-chiseled", "10.0-noble-1.2.3", "latest", "11.0", "abc", "aXbYc", "10.0", ""};
        for (String filter : filters) {
            for (String tag : tags) {
                if (tag.isEmpty()) {
                    continue; // a literal template cannot be empty
                }
                assertEquals(TagPattern.matches(filter, tag), TagPattern.filter(filter).overlaps(TagPattern.template(tag)),
                        filter + " vs " + tag);
            }
        }
    }

    @Test
    void coversOnlyWhenEveryTagOfTheInnerFilterMatchesTheOuter() {
        assertTrue(TagPattern.covers("10.0-noble-*.*.*", "10.0-noble-chiseled-*.*.*"));
        assertFalse(TagPattern.covers("10.0-noble-chiseled-*.*.*", "10.0-noble-*.*.*"));
        assertTrue(TagPattern.covers("*", "anything-*"));
        assertFalse(TagPattern.covers("a*", "*a"));
        assertEquals("10.0-*.*.*-lts", TagPattern.filterOf("10.0-{version}-lts"));
        assertEquals("nightly-*", TagPattern.filterOf("nightly-{date}"));
        assertEquals("run-*", TagPattern.filterOf("run-{runId}"));
    }
}
