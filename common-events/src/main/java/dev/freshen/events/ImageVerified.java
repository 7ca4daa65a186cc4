package dev.freshen.events;

import dev.freshen.events.image.ImageReference;

import java.time.Instant;
import java.util.List;

/**
 * The tester proved {@code candidate} (by digest): every policy check and the integration test passed.
 *
 * <p>Optional, added in a compatible way: {@code scan} is what the registry's image scan found in the candidate and
 * how that compares with the version published now ({@link ScanFindings}); {@code null} when the candidate's registry
 * does not scan (not ECR) or a writer did not scan.
 */
public record ImageVerified(String runId, String imageId, int attempt, Instant occurredAt, Trigger trigger,
                            List<BaseImage> baseImages, ImageReference candidate, List<CheckResult> checks,
                            List<StageTiming> timings, ScanFindings scan) implements FreshenEvent {

    public ImageVerified {
        Require.envelope("ImageVerified", runId, imageId, attempt, occurredAt);
        Require.present(trigger, "ImageVerified", "trigger");
        baseImages = Require.nonEmpty(baseImages, "ImageVerified", "baseImages");
        Require.present(candidate, "ImageVerified", "candidate");
        if (!candidate.isPinned()) {
            throw new IllegalArgumentException("ImageVerified: field 'candidate' must be pinned by digest, was " + candidate);
        }
        checks = Require.listOrEmpty(checks);
        if (checks.stream().anyMatch(c -> !c.passed())) {
            throw new IllegalArgumentException("ImageVerified: a verified image cannot carry a failed check");
        }
        timings = Require.listOrEmpty(timings);
    }

    /** A verified image without scan findings. */
    public ImageVerified(String runId, String imageId, int attempt, Instant occurredAt, Trigger trigger,
                         List<BaseImage> baseImages, ImageReference candidate, List<CheckResult> checks,
                         List<StageTiming> timings) {
        this(runId, imageId, attempt, occurredAt, trigger, baseImages, candidate, checks, timings, null);
    }
}
