package dev.freshen.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.freshen.events.image.ImageReference;
import dev.freshen.events.image.PlatformDigest;

import java.time.Instant;
import java.util.List;

/**
 * The tester proved {@code candidate} (by digest): every policy check and the integration test passed.
 *
 * <p>Optional, added in a compatible way: {@code scan} is what the registry's image scan found in the candidate and
 * how that compares with the version published now ({@link ScanFindings}); {@code null} when the candidate's registry
 * does not scan (not ECR) or a writer did not scan. For a multi-platform image {@code candidate} is an OCI image
 * index, {@code manifests} its children as {@link ImageBuilt#manifests()} listed them, and each per-platform check
 * names its platform ({@link CheckResult#platform()}).
 */
public record ImageVerified(String runId, String imageId, int attempt, Instant occurredAt, Trigger trigger,
                            List<BaseImage> baseImages, ImageReference candidate, List<CheckResult> checks,
                            List<StageTiming> timings, ScanFindings scan,
                            @JsonInclude(JsonInclude.Include.NON_EMPTY) List<PlatformDigest> manifests) implements FreshenEvent {

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
        manifests = PlatformDigest.checked(manifests, "ImageVerified");
    }

    /** A verified single-platform image. */
    public ImageVerified(String runId, String imageId, int attempt, Instant occurredAt, Trigger trigger,
                         List<BaseImage> baseImages, ImageReference candidate, List<CheckResult> checks,
                         List<StageTiming> timings, ScanFindings scan) {
        this(runId, imageId, attempt, occurredAt, trigger, baseImages, candidate, checks, timings, scan, List.of());
    }

    /** This event for a multi-platform image whose index {@code candidate} names {@code children}, in index order. */
    public ImageVerified withManifests(List<PlatformDigest> children) {
        return new ImageVerified(runId, imageId, attempt, occurredAt, trigger, baseImages, candidate, checks, timings,
                scan, children);
    }

    /** A verified image without scan findings. */
    public ImageVerified(String runId, String imageId, int attempt, Instant occurredAt, Trigger trigger,
                         List<BaseImage> baseImages, ImageReference candidate, List<CheckResult> checks,
                         List<StageTiming> timings) {
        this(runId, imageId, attempt, occurredAt, trigger, baseImages, candidate, checks, timings, null, List.of());
    }
}
