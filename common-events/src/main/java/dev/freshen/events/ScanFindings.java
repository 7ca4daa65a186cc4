package dev.freshen.events;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What the registry's image scan (AWS ECR basic or enhanced scanning, {@code DescribeImageScanFindings}) found in a
 * candidate, as {@code ImageVerified.scan} and, copied by the publisher, {@code ImagePublished.scan}. Absent from
 * both events when the candidate's registry does not scan (a plain OCI registry).
 *
 * <ul>
 *   <li>{@code status}: {@code complete} (the scan finished: {@code counts} is what it found), {@code not-scanned}
 *       (the registry answered that it cannot scan this image, e.g. ECR's {@code UNSUPPORTED_IMAGE}; {@code reason}
 *       says why) or {@code timed-out} (no result within the tester's wait; {@code reason} says how long). An open
 *       set: a reader shows an id it does not know with its {@code reason}.</li>
 *   <li>{@code counts}: findings by severity as ECR names them ({@link ScanSeverity}: {@code CRITICAL},
 *       {@code HIGH}, {@code MEDIUM}, {@code LOW}, {@code INFORMATIONAL}, {@code UNDEFINED}; enhanced scanning also
 *       {@code UNTRIAGED}), only severities with at least one finding, most severe first; empty when nothing was
 *       found or the scan did not complete.</li>
 *   <li>{@code comparedWith}: the version tag whose findings the delta is against (the highest version of the image's
 *       tag prefix in the target repository when the tester scanned); null when there is no delta: the first version,
 *       or that version's findings were not available.</li>
 *   <li>{@code fixed}, {@code introduced}: vulnerability ids (CVE ids; each id counted once, at its highest
 *       severity) found in {@code comparedWith} but not in the candidate, and the other way round, counted by
 *       severity as {@code counts}; null exactly when {@code comparedWith} is.</li>
 * </ul>
 * Fields a newer writer added are kept in {@link #unknownFields()} (the publisher copies this value).
 */
public record ScanFindings(String status, String reason, Map<String, Integer> counts, String comparedWith,
                           Map<String, Integer> fixed, Map<String, Integer> introduced,
                           @JsonAnySetter Map<String, JsonNode> unknownFields) {

    public static final String COMPLETE = "complete";
    public static final String NOT_SCANNED = "not-scanned";
    public static final String TIMED_OUT = "timed-out";

    public ScanFindings {
        Require.present(status, "ScanFindings", "status");
        WireIds.check(status, "scan status");
        counts = ScanSeverity.ordered(counts);
        if (comparedWith != null && comparedWith.isBlank()) {
            comparedWith = null;
        }
        if (comparedWith == null) {
            fixed = null;
            introduced = null;
        } else {
            fixed = ScanSeverity.ordered(fixed);
            introduced = ScanSeverity.ordered(introduced);
        }
        if (reason != null && reason.isBlank()) {
            reason = null;
        }
        unknownFields = UnknownFields.copyOf(unknownFields);
    }

    /** A finished scan that found {@code counts} (severity to number of findings), without a delta yet. */
    public static ScanFindings complete(Map<String, Integer> counts) {
        return new ScanFindings(COMPLETE, null, counts, null, null, null, Map.of());
    }

    /** No scan result: {@code status} {@link #NOT_SCANNED} or {@link #TIMED_OUT}, and why in plain words. */
    public static ScanFindings without(String status, String reason) {
        return new ScanFindings(status, reason, Map.of(), null, null, null, Map.of());
    }

    /** This result with the delta against version tag {@code comparedWith}. */
    public ScanFindings withDelta(String comparedWith, ScanDelta delta) {
        return new ScanFindings(status, reason, counts, comparedWith, delta.fixed(), delta.introduced(), unknownFields);
    }

    /** Whether the scan finished ({@code counts} is what it found). */
    @JsonIgnore
    public boolean isComplete() {
        return COMPLETE.equals(status);
    }

    /** Whether there is a delta against a published version. */
    @JsonIgnore
    public boolean hasDelta() {
        return comparedWith != null;
    }

    /**
     * One line for people: {@code "1 critical, 3 high, 12 medium"}, {@code "no findings"}, {@code "not scanned: the
     * image's operating system is not supported"}, {@code "scan timed out after 10m"} (the reason of a result that is
     * not complete is shown as the writer gave it).
     */
    public String countsText() {
        if (isComplete()) {
            return counts.isEmpty() ? "no findings" : words(counts);
        }
        if (TIMED_OUT.equals(status)) {
            return reason == null ? "scan timed out" : "scan timed out: " + reason;
        }
        if (NOT_SCANNED.equals(status)) {
            return reason == null ? "not scanned" : "not scanned: " + reason;
        }
        return "scan " + status + (reason == null ? "" : ": " + reason);
    }

    /**
     * The delta for people, or null when there is none: {@code "fixes 4 CVEs: 1 critical, 3 high; introduces 0"},
     * {@code "fixes 0; introduces 1 CVE: 1 high"}.
     */
    public String deltaText() {
        if (!hasDelta()) {
            return null;
        }
        return "fixes " + cves(fixed) + "; introduces " + cves(introduced);
    }

    /** "0", "1 CVE: 1 high", "4 CVEs: 1 critical, 3 high". */
    private static String cves(Map<String, Integer> bySeverity) {
        int total = bySeverity.values().stream().mapToInt(Integer::intValue).sum();
        return total == 0 ? "0" : total + (total == 1 ? " CVE: " : " CVEs: ") + words(bySeverity);
    }

    /** "1 critical, 3 high". */
    static String words(Map<String, Integer> bySeverity) {
        List<String> parts = new ArrayList<>();
        bySeverity.forEach((severity, n) -> parts.add(n + " " + severity.toLowerCase(Locale.ROOT)));
        return String.join(", ", parts);
    }

    /** Fields a newer writer added, as JSON by name; written out again after the known fields. */
    @JsonAnyGetter
    @Override
    public Map<String, JsonNode> unknownFields() {
        return unknownFields;
    }

    /** ECR's severities in order, most severe first, and the ordering of count maps by them. */
    public static final class ScanSeverity {

        /**
         * ECR's severity names, most severe first: basic scanning's {@code CRITICAL}, {@code HIGH}, {@code MEDIUM},
         * {@code LOW}, {@code INFORMATIONAL}, {@code UNDEFINED} (service model {@code FindingSeverity}), and enhanced
         * scanning's {@code UNTRIAGED} (Amazon Inspector); other names are kept, after these.
         */
        public static final List<String> ORDER = List.of("CRITICAL", "HIGH", "MEDIUM", "LOW", "INFORMATIONAL",
                "UNDEFINED", "UNTRIAGED");

        /** The severities a gate may name: {@code failOn: HIGH} fails on HIGH or CRITICAL findings. */
        public static final List<String> RANKED = ORDER.subList(0, 5);

        private ScanSeverity() {
        }

        /** 0 for CRITICAL, 1 for HIGH, …; names outside {@link #ORDER} after them. */
        public static int rank(String severity) {
            int i = severity == null ? -1 : ORDER.indexOf(severity.toUpperCase(Locale.ROOT));
            return i < 0 ? ORDER.size() : i;
        }

        /**
         * Whether {@code severity} is {@code threshold} or worse; UNDEFINED, UNTRIAGED and unknown names never are.
         */
        public static boolean atLeast(String severity, String threshold) {
            int rank = rank(severity);
            return rank < RANKED.size() && rank <= rank(threshold);
        }

        /**
         * An unmodifiable copy without zero counts, severities upper-cased and most severe first (others after, by
         * name).
         *
         * @throws IllegalArgumentException for a negative count
         */
        static Map<String, Integer> ordered(Map<String, Integer> counts) {
            if (counts == null || counts.isEmpty()) {
                return Map.of();
            }
            List<Map.Entry<String, Integer>> entries = new ArrayList<>();
            counts.forEach((severity, n) -> {
                if (n != null && n < 0) {
                    throw new IllegalArgumentException("ScanFindings: count of " + severity + " is negative: " + n);
                }
                if (severity != null && n != null && n > 0) {
                    entries.add(Map.entry(severity.toUpperCase(Locale.ROOT), n));
                }
            });
            entries.sort(Map.Entry.<String, Integer>comparingByKey((a, b) -> rank(a) != rank(b)
                    ? Integer.compare(rank(a), rank(b)) : a.compareTo(b)));
            Map<String, Integer> out = new LinkedHashMap<>();
            entries.forEach(e -> out.merge(e.getKey(), e.getValue(), Integer::sum));
            return Collections.unmodifiableMap(out);
        }
    }
}
