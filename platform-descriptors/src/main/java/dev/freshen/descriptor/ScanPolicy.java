package dev.freshen.descriptor;

import dev.freshen.events.ScanFindings;

import java.util.Locale;

/**
 * What the registry's image scan of a candidate decides ({@code scan:} in the descriptor): {@code failOn} is the
 * lowest severity, as ECR names it ({@code CRITICAL}, {@code HIGH}, {@code MEDIUM}, {@code LOW},
 * {@code INFORMATIONAL}), that fails the run when the candidate has a finding of it or worse, whether or not the
 * published version has it too; {@code null} (the default) never fails a run on findings. Written in any case,
 * kept upper-case.
 */
public record ScanPolicy(String failOn) {

    public static final ScanPolicy NONE = new ScanPolicy(null);

    public ScanPolicy {
        if (failOn != null) {
            failOn = checkFailOn(failOn);
        }
    }

    /** The severity in ECR's spelling. */
    static String checkFailOn(String failOn) {
        String upper = failOn.strip().toUpperCase(Locale.ROOT);
        if (!ScanFindings.ScanSeverity.RANKED.contains(upper)) {
            throw new InvalidField("failOn", "'" + failOn + "' is not a severity: one of "
                    + String.join(", ", ScanFindings.ScanSeverity.RANKED));
        }
        return upper;
    }

    /** Whether findings of some severity fail the run. */
    public boolean gated() {
        return failOn != null;
    }
}
