package dev.freshen.tester;

import dev.freshen.descriptor.ScanPolicy;
import dev.freshen.events.ScanFindings;
import dev.freshen.events.ScanFindings.ScanSeverity;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The descriptor's gate on a complete scan ({@code scan: {failOn: HIGH}}): the run fails when the candidate has a
 * finding of {@code failOn} or worse, whether the published version has it too or not ("present", not "introduced":
 * a platform image is a base that applications inherit, so an accepted finding is accepted in the descriptor, not by
 * having shipped it once).
 */
public final class ScanGate {

    /** How many ids the one-line reason names; the log excerpt lists them all, up to {@link #EXCERPT_IDS}. */
    static final int REASON_IDS = 3;
    static final int EXCERPT_IDS = 50;

    private ScanGate() {
    }

    /**
     * Null when {@code scan} passes {@code policy}, else the {@code scan-findings} problem naming the counts and the
     * most severe ids.
     *
     * @param published    the published version's findings (id to severity), or null when not known
     * @param publishedTag that version's tag, or null
     */
    public static Problem problem(String imageId, ScanPolicy policy, ImageScan scan, Map<String, String> published,
                                  String publishedTag) {
        if (!policy.gated()) {
            return null;
        }
        String failOn = policy.failOn();
        Map<String, Integer> counts = new LinkedHashMap<>();
        scan.counts().forEach((severity, n) -> {
            if (ScanSeverity.atLeast(severity, failOn) && n > 0) {
                counts.put(severity, n);
            }
        });
        List<Map.Entry<String, String>> ids = scan.findings().entrySet().stream()
                .filter(e -> ScanSeverity.atLeast(e.getValue(), failOn))
                .sorted(Comparator.<Map.Entry<String, String>>comparingInt(e -> ScanSeverity.rank(e.getValue()))
                        .thenComparing(Map.Entry::getKey, Comparator.reverseOrder()))
                .toList();
        if (counts.isEmpty()) {
            ids.forEach(e -> counts.merge(e.getValue(), 1, Integer::sum));
        }
        if (counts.isEmpty()) {
            return null;
        }
        String countText = ScanFindings.complete(counts).countsText();
        String named = ids.isEmpty() ? "" : ": " + String.join(", ", ids.stream().limit(REASON_IDS)
                .map(Map.Entry::getKey).toList()) + (ids.size() > REASON_IDS ? " and " + (ids.size() - REASON_IDS) + " more" : "");
        String inherited = "";
        if (published != null && !ids.isEmpty()) {
            long known = ids.stream().filter(e -> published.containsKey(e.getKey())).count();
            inherited = known == ids.size() ? "; the published " + publishedTag + " has all of them too"
                    : known > 0 ? "; the published " + publishedTag + " has " + known + " of them too"
                    : "; all of them are new since the published " + publishedTag;
        }
        String reason = "the image scan found " + countText + " " + (total(counts) == 1 ? "vulnerability" : "vulnerabilities")
                + " (scan.failOn: " + failOn + ")" + named + inherited;
        String hint = "Rebuild once the base image or the packages have a fix (freshen force-update " + imageId
                + "), remove or update the packages that carry them in the Dockerfile, or, if they are accepted, raise "
                + "scan.failOn in platform-image.yaml.";
        String excerpt = ids.isEmpty() ? null : String.join("\n", ids.stream().limit(EXCERPT_IDS)
                .map(e -> e.getValue() + " " + e.getKey() + (published != null && !published.containsKey(e.getKey())
                        ? " (new)" : "")).toList()) + (ids.size() > EXCERPT_IDS ? "\n… and " + (ids.size() - EXCERPT_IDS)
                + " more" : "");
        return new Problem("scan-findings", reason, hint, excerpt);
    }

    private static int total(Map<String, Integer> counts) {
        return counts.values().stream().mapToInt(Integer::intValue).sum();
    }
}
