package dev.freshen.testing;

import java.time.Duration;
import java.util.List;

/**
 * An image scan as the ECR double reports it through {@code DescribeImageScanFindings}
 * ({@link EcrApiServer#scan}): its final {@code status} ({@code COMPLETE}, {@code FAILED}, {@code UNSUPPORTED_IMAGE},
 * {@code SCAN_ELIGIBILITY_EXPIRED}, {@code FINDINGS_UNAVAILABLE}, ... as ECR names them) with its description, the
 * findings of a complete scan (basic scanning's {@code findings} or, {@code enhanced}, Amazon Inspector's
 * {@code enhancedFindings}), and how long ECR takes to get there: first {@code notStartedCalls} requests answered
 * {@code ScanNotFoundException} (ECR has not started), then {@code IN_PROGRESS} for {@code pendingCalls} more requests
 * and until {@code pendingFor} has passed since the scan was set.
 */
public record EcrScan(String status, String description, List<Finding> findings, boolean enhanced,
                      int notStartedCalls, int pendingCalls, Duration pendingFor) {

    /** One finding: the vulnerability id (a CVE id), its severity as ECR names it, and the package it is in. */
    public record Finding(String id, String severity, String packageName) {

        public Finding(String id, String severity) {
            this(id, severity, "openssl");
        }
    }

    public EcrScan {
        findings = List.copyOf(findings);
        pendingFor = pendingFor == null ? Duration.ZERO : pendingFor;
    }

    /** A complete basic scan (Clair-based, {@code imageScanFindings.findings}) with {@code findings}. */
    public static EcrScan basic(Finding... findings) {
        return new EcrScan("COMPLETE", "The scan was completed successfully.", List.of(findings), false, 0, 0, null);
    }

    /** A complete enhanced scan (Amazon Inspector, {@code imageScanFindings.enhancedFindings}) with {@code findings}. */
    public static EcrScan enhanced(Finding... findings) {
        return new EcrScan("ACTIVE", "Continuous scan is selected for image.", List.of(findings), true, 0, 0, null);
    }

    /** A scan that ended without findings: {@code status} such as {@code UNSUPPORTED_IMAGE}, and ECR's description. */
    public static EcrScan ended(String status, String description) {
        return new EcrScan(status, description, List.of(), false, 0, 0, null);
    }

    /** This scan, answered {@code ScanNotFoundException} for the first {@code calls} requests. */
    public EcrScan notStartedFor(int calls) {
        return new EcrScan(status, description, findings, enhanced, calls, pendingCalls, pendingFor);
    }

    /** This scan, {@code IN_PROGRESS} for {@code calls} requests (after those not started). */
    public EcrScan inProgressFor(int calls) {
        return new EcrScan(status, description, findings, enhanced, notStartedCalls, calls, pendingFor);
    }

    /** This scan, {@code IN_PROGRESS} until {@code duration} has passed since it was set. */
    public EcrScan inProgressFor(Duration duration) {
        return new EcrScan(status, description, findings, enhanced, notStartedCalls, pendingCalls, duration);
    }

    /** Whether the findings are listed ({@code COMPLETE} for basic scanning, {@code ACTIVE} for enhanced). */
    boolean hasFindings() {
        return status.equals("COMPLETE") || status.equals("ACTIVE");
    }
}
