package dev.freshen.publisher;

import dev.freshen.events.image.VersionTag;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ExtraTagsTest {

    private static final VersionTag VERSION = new VersionTag("10.0-noble", 1, 4, 0);
    private static final Instant VERIFIED = Instant.parse("2026-11-27T23:30:00Z");

    @Test
    void expandsTheTemplatesInDescriptorOrder() {
        List<ExtraTags.ExtraTag> tags = ExtraTags.expand(List.of("10.0", "latest", "run-{runId}", "nightly-{date}",
                "v{version}"), "b-0123abcd", VERIFIED, VERSION);
        assertEquals(List.of(new ExtraTags.ExtraTag("10.0", true), new ExtraTags.ExtraTag("latest", true),
                new ExtraTags.ExtraTag("run-b-0123abcd", false), new ExtraTags.ExtraTag("nightly-20261127", true),
                new ExtraTags.ExtraTag("v1.4.0", false)), tags);
    }

    @Test
    void theDateIsTheUtcDateOfVerification() {
        Instant lateInTheDay = Instant.parse("2026-12-31T23:59:59Z");
        assertEquals("d-20261231", ExtraTags.expand(List.of("d-{date}"), "r", lateInTheDay, VERSION).get(0).tag());
    }

    @Test
    void dropsDuplicatesAndTheVersionTagItself() {
        List<ExtraTags.ExtraTag> tags = ExtraTags.expand(List.of("latest", "latest", "10.0-noble-{version}"), "r",
                VERIFIED, VERSION);
        assertEquals(List.of(new ExtraTags.ExtraTag("latest", true)), tags);
    }

    @Test
    void anUnknownTemplateIsAPermanentFailureNamingIt() {
        PublishFailure e = assertThrows(PublishFailure.class,
                () -> ExtraTags.expand(List.of("build-{buildNumber}"), "r", VERIFIED, VERSION));
        assertFalse(e.isTransient());
        assertTrue(e.getMessage().contains("{buildNumber}") && e.getMessage().contains("{runId}"), e.getMessage());
    }

    @Test
    void aTagThatExpandsToAnotherVersionOfThePrefixIsRefused() {
        PublishFailure e = assertThrows(PublishFailure.class,
                () -> ExtraTags.expand(List.of("10.0-noble-2.0.0"), "r", VERIFIED, VERSION));
        assertTrue(e.getMessage().contains("version tag of prefix 10.0-noble"), e.getMessage());
    }

    @Test
    void aTagThatExpandsToSomethingInvalidIsRefused() {
        PublishFailure e = assertThrows(PublishFailure.class,
                () -> ExtraTags.expand(List.of("{runId}"), "-bad", VERIFIED, VERSION));
        assertTrue(e.getMessage().contains("'-bad'"), e.getMessage());
    }

    @Test
    void movingTagsAndTheirWildcards() {
        assertTrue(ExtraTags.isMoving("latest"));
        assertTrue(ExtraTags.isMoving("nightly-{date}"));
        assertFalse(ExtraTags.isMoving("run-{runId}"));
        assertFalse(ExtraTags.isMoving("{version}-lts"));
        assertEquals("nightly-*", ExtraTags.wildcard("nightly-{date}"));
        assertEquals("10.0", ExtraTags.wildcard("10.0"));
    }
}
