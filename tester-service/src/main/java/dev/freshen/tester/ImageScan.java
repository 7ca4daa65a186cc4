package dev.freshen.tester;

import java.util.Map;

/**
 * One look at a registry's scan of an image ({@link ImageScans#describe}).
 *
 * @param state       whether the scan is still to come, finished with findings, or ended without any
 * @param status      the registry's own word for it (ECR's {@code imageScanStatus.status}: {@code IN_PROGRESS},
 *                    {@code COMPLETE}, {@code UNSUPPORTED_IMAGE}, ...; {@code SCAN_NOT_STARTED} while ECR answers
 *                    {@code ScanNotFoundException})
 * @param description why, in the registry's words, or null
 * @param counts      findings by severity as the registry counts them (ECR's {@code findingSeverityCounts}); empty
 *                    unless complete
 * @param findings    vulnerability id to severity (each id once, at its highest severity); empty unless complete
 */
public record ImageScan(State state, String status, String description, Map<String, Integer> counts,
                        Map<String, String> findings) {

    /** Where a scan is. */
    public enum State {
        /** The registry has not started the scan (ECR: {@code ScanNotFoundException}): it may, or never will. */
        NOT_STARTED,
        /** In progress: ask again later. */
        PENDING,
        /** Finished: {@code counts} and {@code findings} are what it found. */
        COMPLETE,
        /** Ended without findings (failed, unsupported image, no such image, ...): asking again will not help. */
        ENDED
    }

    public ImageScan {
        counts = Map.copyOf(counts);
        findings = Map.copyOf(findings);
    }

    public static ImageScan notStarted(String description) {
        return new ImageScan(State.NOT_STARTED, "SCAN_NOT_STARTED", description, Map.of(), Map.of());
    }

    public static ImageScan pending(String status, String description) {
        return new ImageScan(State.PENDING, status, description, Map.of(), Map.of());
    }

    public static ImageScan ended(String status, String description) {
        return new ImageScan(State.ENDED, status, description, Map.of(), Map.of());
    }

    public static ImageScan complete(String status, Map<String, Integer> counts, Map<String, String> findings) {
        return new ImageScan(State.COMPLETE, status, null, counts, findings);
    }
}
