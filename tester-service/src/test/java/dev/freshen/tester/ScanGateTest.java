package dev.freshen.tester;

import dev.freshen.descriptor.ScanPolicy;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The scan gate: present findings of failOn or worse fail, with the counts, the top ids and what to do. */
class ScanGateTest {

    private static final ImageScan CANDIDATE = ImageScan.complete("COMPLETE",
            Map.of("CRITICAL", 1, "HIGH", 4, "MEDIUM", 7),
            Map.of("CVE-2025-0001", "CRITICAL", "CVE-2025-0010", "HIGH", "CVE-2025-0011", "HIGH", "CVE-2025-0012", "HIGH",
                    "CVE-2025-0013", "HIGH", "CVE-2025-0100", "MEDIUM"));

    @Test
    void noGateNeverFails() {
        assertNull(ScanGate.problem("net10/runtime", ScanPolicy.NONE, CANDIDATE, null, null));
    }

    @Test
    void findingsBelowTheGatePass() {
        ImageScan medium = ImageScan.complete("COMPLETE", Map.of("MEDIUM", 2, "UNDEFINED", 3),
                Map.of("CVE-1", "MEDIUM", "CVE-2", "MEDIUM"));
        assertNull(ScanGate.problem("net10/runtime", new ScanPolicy("HIGH"), medium, null, null));
        assertNull(ScanGate.problem("net10/runtime", new ScanPolicy("CRITICAL"),
                ImageScan.complete("COMPLETE", Map.of("HIGH", 1), Map.of("CVE-9", "HIGH")), null, null));
    }

    @Test
    void presentFindingsOfTheGateOrWorseFailWithCountsTopIdsAndAHint() {
        Problem problem = ScanGate.problem("net10/runtime", new ScanPolicy("HIGH"), CANDIDATE,
                Map.of("CVE-2025-0001", "CRITICAL", "CVE-2025-0010", "HIGH"), "10.0-noble-1.4.0");
        assertEquals("scan-findings", problem.code());
        assertEquals("the image scan found 1 critical, 4 high vulnerabilities (scan.failOn: HIGH): CVE-2025-0001, "
                + "CVE-2025-0013, CVE-2025-0012 and 2 more; the published 10.0-noble-1.4.0 has 2 of them too", problem.reason());
        assertTrue(problem.hint().contains("freshen force-update net10/runtime"), problem.hint());
        assertTrue(problem.hint().contains("raise scan.failOn in platform-image.yaml"), problem.hint());
        assertEquals("CRITICAL CVE-2025-0001\nHIGH CVE-2025-0013 (new)\nHIGH CVE-2025-0012 (new)\nHIGH CVE-2025-0011 (new)\n"
                + "HIGH CVE-2025-0010", problem.excerpt());
    }

    @Test
    void aFindingThePublishedVersionHasTooStillFails() {
        ImageScan one = ImageScan.complete("COMPLETE", Map.of("CRITICAL", 1), Map.of("CVE-2025-0001", "CRITICAL"));
        Problem problem = ScanGate.problem("x/y", new ScanPolicy("CRITICAL"), one, Map.of("CVE-2025-0001", "CRITICAL"),
                "1.0-1.0.0");
        assertEquals("the image scan found 1 critical vulnerability (scan.failOn: CRITICAL): CVE-2025-0001; the published "
                + "1.0-1.0.0 has all of them too", problem.reason());
    }

    @Test
    void countsWithoutIdsStillFail() {
        ImageScan countsOnly = ImageScan.complete("COMPLETE", Map.of("HIGH", 2), Map.of());
        Problem problem = ScanGate.problem("x/y", new ScanPolicy("MEDIUM"), countsOnly, null, null);
        assertEquals("the image scan found 2 high vulnerabilities (scan.failOn: MEDIUM)", problem.reason());
        assertNull(problem.excerpt());
    }
}
