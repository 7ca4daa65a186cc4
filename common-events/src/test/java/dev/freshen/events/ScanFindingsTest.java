package dev.freshen.events;

import dev.freshen.events.image.ImageReference;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Scan findings: the delta between two scans, the words people read, and the JSON form. */
class ScanFindingsTest {

    private static final Map<String, String> PUBLISHED = Map.of(
            "CVE-2025-0001", "CRITICAL", "CVE-2025-0002", "HIGH", "CVE-2025-0003", "HIGH", "CVE-2025-0004", "HIGH",
            "CVE-2025-0005", "MEDIUM", "CVE-2025-0006", "LOW");
    private static final Map<String, String> CANDIDATE = Map.of(
            "CVE-2025-0005", "MEDIUM", "CVE-2025-0006", "HIGH");

    @Test
    void theDeltaCountsFixedAtThePublishedSeverityAndIntroducedAtTheCandidates() {
        ScanDelta delta = ScanDelta.between(PUBLISHED, CANDIDATE);
        assertEquals(Map.of("CRITICAL", 1, "HIGH", 3), delta.fixed());
        assertEquals(Map.of(), delta.introduced(), "an id in both is neither fixed nor introduced, whatever its severity");

        ScanDelta back = ScanDelta.between(CANDIDATE, PUBLISHED);
        assertEquals(Map.of(), back.fixed());
        assertEquals(Map.of("CRITICAL", 1, "HIGH", 3), back.introduced());
        assertEquals(new ScanDelta(Map.of(), Map.of()), ScanDelta.between(Map.of(), Map.of()));
    }

    @Test
    void aRepeatedIdCountsOnceAtItsHighestSeverity() {
        Map<String, String> findings = new HashMap<>();
        ScanDelta.keepHighest(findings, "CVE-1", "LOW");
        ScanDelta.keepHighest(findings, "CVE-1", "HIGH");
        ScanDelta.keepHighest(findings, "CVE-1", "MEDIUM");
        ScanDelta.keepHighest(findings, "CVE-2", "UNTRIAGED");
        ScanDelta.keepHighest(findings, "CVE-2", "INFORMATIONAL");
        assertEquals(Map.of("CVE-1", "HIGH", "CVE-2", "INFORMATIONAL"), findings);
    }

    @Test
    void theDeltaReadsAsTheIssueWritesIt() {
        ScanFindings scan = ScanFindings.complete(Map.of("MEDIUM", 1, "HIGH", 1))
                .withDelta("10.0-noble-1.4.0", ScanDelta.between(PUBLISHED, CANDIDATE));
        assertEquals("fixes 4 CVEs: 1 critical, 3 high; introduces 0", scan.deltaText());
        assertEquals("1 high, 1 medium", scan.countsText(), "most severe first, whatever order they came in");
        assertEquals("fixes 0; introduces 1 CVE: 1 low", ScanFindings.complete(Map.of("LOW", 1))
                .withDelta("10.0-1.0.0", new ScanDelta(Map.of(), Map.of("LOW", 1))).deltaText());
        assertNull(ScanFindings.complete(Map.of()).deltaText(), "no version to compare with: no delta");
        assertEquals("no findings", ScanFindings.complete(Map.of("HIGH", 0)).countsText(), "zero counts are dropped");
    }

    @Test
    void aScanWithoutResultSaysWhy() {
        assertEquals("not scanned: the image's operating system is not supported (UNSUPPORTED_IMAGE)",
                ScanFindings.without(ScanFindings.NOT_SCANNED,
                        "the image's operating system is not supported (UNSUPPORTED_IMAGE)").countsText());
        assertEquals("scan timed out: no result after 10m", ScanFindings.without(ScanFindings.TIMED_OUT,
                "no result after 10m").countsText());
        assertEquals("scan quarantined: held", ScanFindings.without("quarantined", "held").countsText(),
                "a status of a newer writer is shown by its id");
        assertFalse(ScanFindings.without(ScanFindings.TIMED_OUT, "x").isComplete());
        assertThrows(IllegalArgumentException.class, () -> ScanFindings.without("Timed Out", "x"));
    }

    @Test
    void severitiesRankAsEcrNamesThem() {
        assertTrue(ScanFindings.ScanSeverity.atLeast("CRITICAL", "HIGH"));
        assertTrue(ScanFindings.ScanSeverity.atLeast("HIGH", "HIGH"));
        assertFalse(ScanFindings.ScanSeverity.atLeast("MEDIUM", "HIGH"));
        assertTrue(ScanFindings.ScanSeverity.atLeast("INFORMATIONAL", "INFORMATIONAL"));
        assertFalse(ScanFindings.ScanSeverity.atLeast("UNDEFINED", "INFORMATIONAL"), "no severity is no rank");
        assertFalse(ScanFindings.ScanSeverity.atLeast("UNTRIAGED", "LOW"));
        assertEquals(List.of("CRITICAL", "HIGH", "LOW", "UNDEFINED", "ZZZ"), List.copyOf(ScanFindings.ScanSeverity
                .ordered(Map.of("ZZZ", 1, "low", 2, "UNDEFINED", 3, "HIGH", 4, "CRITICAL", 5)).keySet()));
    }

    @Test
    void itTravelsInImageVerifiedAndIsLeftOutWhenAbsent() {
        ImageReference candidate = ImageReference.parse("123456789012.dkr.ecr.eu-west-1.amazonaws.com/platform/x-staging@sha256:"
                + "a".repeat(64));
        ScanFindings scan = ScanFindings.complete(Map.of("HIGH", 2)).withDelta("10.0-1.0.0",
                new ScanDelta(Map.of("CRITICAL", 1), Map.of()));
        ImageVerified verified = new ImageVerified("b-0123456789abcdef01234567", "net10/runtime", 1,
                Instant.parse("2026-12-01T09:00:00Z"), Trigger.baseImageUpdated(), List.of(EventJsonTest.BASE), candidate,
                List.of(), List.of(), scan);
        String json = new String(EventJson.write(verified), StandardCharsets.UTF_8);
        assertTrue(json.contains("\"scan\":{\"status\":\"complete\",\"counts\":{\"HIGH\":2},\"comparedWith\":\"10.0-1.0.0\","
                + "\"fixed\":{\"CRITICAL\":1},\"introduced\":{}}"), json);
        assertEquals(verified, EventJson.read(EventJson.write(verified), EventType.IMAGE_VERIFIED));

        ImageVerified without = new ImageVerified(verified.runId(), verified.imageId(), 1, verified.occurredAt(),
                verified.trigger(), verified.baseImages(), candidate, List.of(), List.of());
        assertFalse(new String(EventJson.write(without), StandardCharsets.UTF_8).contains("scan"));
        assertNull(((ImageVerified) EventJson.read(EventJson.write(without), EventType.IMAGE_VERIFIED)).scan());
    }
}
