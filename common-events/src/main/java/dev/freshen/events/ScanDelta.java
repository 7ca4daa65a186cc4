package dev.freshen.events;

import java.util.HashMap;
import java.util.Map;

/**
 * What a new version changes in vulnerabilities against the version it follows, counted by severity (see
 * {@link ScanFindings}): {@code fixed} are ids the published version has and the candidate does not, counted at
 * the published version's severity; {@code introduced} are ids the candidate has and the published version does not,
 * at the candidate's severity. An id both have is in neither, also when its severity changed.
 */
public record ScanDelta(Map<String, Integer> fixed, Map<String, Integer> introduced) {

    public ScanDelta {
        fixed = ScanFindings.ScanSeverity.ordered(fixed);
        introduced = ScanFindings.ScanSeverity.ordered(introduced);
    }

    /**
     * The delta between two sets of findings, each a map of vulnerability id ({@code CVE-2024-12345}) to its severity
     * (the highest when a scan lists an id more than once, see {@link #keepHighest}).
     */
    public static ScanDelta between(Map<String, String> published, Map<String, String> candidate) {
        return new ScanDelta(count(published, candidate), count(candidate, published));
    }

    /** Adds finding {@code id} of {@code severity} to {@code findings}, keeping the higher severity of a repeated id. */
    public static void keepHighest(Map<String, String> findings, String id, String severity) {
        findings.merge(id, severity, (a, b) -> ScanFindings.ScanSeverity.rank(b) < ScanFindings.ScanSeverity.rank(a) ? b : a);
    }

    /** The ids of {@code in} that {@code notIn} lacks, counted by their severity in {@code in}. */
    private static Map<String, Integer> count(Map<String, String> in, Map<String, String> notIn) {
        Map<String, Integer> counts = new HashMap<>();
        in.forEach((id, severity) -> {
            if (!notIn.containsKey(id)) {
                counts.merge(severity, 1, Integer::sum);
            }
        });
        return counts;
    }
}
