package dev.freshen.tester;

import dev.freshen.descriptor.ScanPolicy;
import dev.freshen.descriptor.Target;
import dev.freshen.events.Durations;
import dev.freshen.events.FailureKind;
import dev.freshen.events.ScanDelta;
import dev.freshen.events.ScanFindings;
import dev.freshen.events.image.ImageReference;
import dev.freshen.events.image.VersionTag;
import dev.freshen.retry.StopRequested;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * Waits for the registry's scan of a verified candidate and judges it: the scan's result for the events
 * ({@link ScanFindings}), the delta against the version published now, and the descriptor's gate
 * ({@code scan.failOn}).
 *
 * <ul>
 *   <li><b>Not scanned registry</b> (a plain OCI registry): no result ({@code scan} absent from the events); a gated
 *       image fails ({@code scan-unavailable}): its gate cannot be applied.</li>
 *   <li><b>Waiting.</b> The scan is asked for every {@link Settings#pollInterval()} until it is complete or ended, up
 *       to {@link Settings#timeout()} from the first question; "not started yet" (ECR's {@code ScanNotFoundException})
 *       is waited for like "in progress", but only up to {@link Settings#startTimeout()}: a repository that does not
 *       scan on push (and no registry scanning rule that covers it) never starts one, and is {@code not-scanned}
 *       then, not {@code timed-out} ten minutes later.</li>
 *   <li><b>Ended without findings</b> (ECR's {@code FAILED}, {@code UNSUPPORTED_IMAGE}, ...): {@code not-scanned}
 *       with the registry's reason; a gated image fails ({@code scan-unavailable}).</li>
 *   <li><b>Timed out</b>: {@code timed-out}; the run goes on ({@link OnTimeout#PROCEED}, the default) or fails
 *       ({@link OnTimeout#FAIL}, {@code scan-timed-out}); a gated image fails either way ({@code scan-unavailable}).
 *       Both failures are {@code transient-exhausted}: the scan may be done when the run is tried again.</li>
 *   <li><b>Complete</b>: counts by severity, and the delta against the highest version tag of the image's
 *       {@code tagPrefix} in its target repository (read in the candidate's registry, or
 *       {@link Settings#targetRegistry()}), when that version's scan is complete; the delta is left out, never a
 *       failure, when it cannot be read. Then the gate: a finding of {@code failOn} or worse in the candidate fails the
 *       run ({@code scan-findings}, permanent), also when the published version has it too.</li>
 * </ul>
 */
public class ScanCheck {

    private static final Logger LOG = Logger.getLogger(ScanCheck.class);
    private static final String NOT_STARTED = "SCAN_NOT_STARTED";

    /** What happens when the scan has no result within the time-out. */
    public enum OnTimeout {
        /** The run goes on; its events say "scan timed out". */
        PROCEED,
        /** The run ends with {@code PipelineFailed} ({@code scan-timed-out}). */
        FAIL
    }

    /**
     * @param timeout        how long to wait for a scan, from the first question
     * @param startTimeout   how long to wait for a scan that the registry has not started (at most {@code timeout})
     * @param pollInterval   how long between two questions
     * @param onTimeout      what a scan without result within {@code timeout} means
     * @param targetRegistry where the published versions are, when not in the candidate's registry
     *                       ({@code freshen.tester.scan.target-registry})
     */
    public record Settings(Duration timeout, Duration startTimeout, Duration pollInterval, OnTimeout onTimeout,
                           Optional<String> targetRegistry) {

        public Settings {
            if (timeout.isNegative() || startTimeout.isNegative() || pollInterval.isNegative() || pollInterval.isZero()) {
                throw new IllegalArgumentException("the scan time-outs must not be negative and the poll interval must "
                        + "be positive, were " + Durations.human(timeout) + ", " + Durations.human(startTimeout) + " and "
                        + Durations.human(pollInterval));
            }
        }
    }

    /**
     * What the scan says: {@code findings} for the events (null: the registry does not scan), and, when the run must
     * end, the {@code problem} with its {@code kind}.
     */
    public record Result(ScanFindings findings, Problem problem, FailureKind kind) {

        static Result passed(ScanFindings findings) {
            return new Result(findings, null, null);
        }
    }

    /** Waits; {@link #SLEEP} in service. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(Duration duration) throws InterruptedException;
    }

    /** Waits with {@link Thread#sleep}. */
    public static final Sleeper SLEEP = d -> Thread.sleep(d.toMillis());

    /** Never scans: every candidate is unscanned, and a gate cannot be applied. */
    public static final ScanCheck NONE = new ScanCheck(ImageScans.NONE,
            new Settings(Duration.ZERO, Duration.ZERO, Duration.ofSeconds(1), OnTimeout.PROCEED, Optional.empty()),
            Clock.systemUTC(), d -> { });

    private final ImageScans scans;
    private final Settings settings;
    private final Clock clock;
    private final Sleeper sleeper;

    public ScanCheck(ImageScans scans, Settings settings, Clock clock, Sleeper sleeper) {
        this.scans = scans;
        this.settings = settings;
        this.clock = clock;
        this.sleeper = sleeper;
    }

    /**
     * Waits for the scan of {@code candidate} (pinned by digest) of the platform image {@code imageId} and judges it.
     *
     * @throws StopRequested when interrupted while waiting
     */
    public Result check(String imageId, ImageReference candidate, Target target, ScanPolicy policy) {
        if (!scans.scans(candidate.registry())) {
            return policy.gated() ? new Result(null, Problems.scanUnavailable(imageId, policy,
                    "the candidate's registry " + candidate.registry() + " does not scan images (Freshen reads scans "
                            + "from AWS ECR only)"), FailureKind.PERMANENT) : Result.passed(null);
        }
        ImageScan scan = await(candidate);
        if (scan.state() == ImageScan.State.NOT_STARTED) {
            Duration waited = settings.startTimeout().compareTo(settings.timeout()) < 0 ? settings.startTimeout()
                    : settings.timeout();
            scan = ImageScan.ended(NOT_STARTED, "ECR did not start a scan within " + Durations.human(waited)
                    + "; turn on scan on push for the repository, or a registry scanning rule that covers it");
        }
        switch (scan.state()) {
            case PENDING: {
                String reason = "no result after " + Durations.human(settings.timeout()) + " (ECR: "
                        + words(scan.status()) + ")";
                ScanFindings findings = ScanFindings.without(ScanFindings.TIMED_OUT, reason);
                if (policy.gated()) {
                    return new Result(findings, Problems.scanUnavailable(imageId, policy, "the scan timed out: " + reason),
                            FailureKind.TRANSIENT_EXHAUSTED);
                }
                if (settings.onTimeout() == OnTimeout.FAIL) {
                    return new Result(findings, Problems.scanTimedOut(imageId, reason), FailureKind.TRANSIENT_EXHAUSTED);
                }
                LOG.warnf("%s: the scan of %s timed out (%s); going on", imageId, candidate, reason);
                return Result.passed(findings);
            }
            case ENDED: {
                String reason = NOT_STARTED.equals(scan.status()) ? scan.description()
                        : words(scan.status()) + (scan.description() == null ? "" : ": " + scan.description());
                ScanFindings findings = ScanFindings.without(ScanFindings.NOT_SCANNED, reason);
                return policy.gated() ? new Result(findings, Problems.scanUnavailable(imageId, policy,
                        "the candidate was not scanned (" + reason + ")"), FailureKind.PERMANENT) : Result.passed(findings);
            }
            default: {
                ScanFindings findings = ScanFindings.complete(scan.counts().isEmpty() ? countsOf(scan.findings())
                        : scan.counts());
                Optional<Published> published = published(candidate, target);
                if (published.isPresent()) {
                    findings = findings.withDelta(published.get().tag(),
                            ScanDelta.between(published.get().scan().findings(), scan.findings()));
                }
                Problem problem = ScanGate.problem(imageId, policy, scan,
                        published.map(p -> p.scan().findings()).orElse(null), published.map(Published::tag).orElse(null));
                return problem == null ? Result.passed(findings) : new Result(findings, problem, FailureKind.PERMANENT);
            }
        }
    }

    /**
     * The scan of {@code candidate} once it is complete or ended, or as it is at the time-out (pending), or at the
     * start time-out (not started).
     */
    private ImageScan await(ImageReference candidate) {
        Instant deadline = clock.instant().plus(settings.timeout());
        Instant startDeadline = clock.instant().plus(settings.startTimeout());
        while (true) {
            ImageScan scan = scans.describe(candidate);
            Instant now = clock.instant();
            Duration left = Duration.between(now, scan.state() == ImageScan.State.NOT_STARTED
                    && startDeadline.isBefore(deadline) ? startDeadline : deadline);
            boolean waiting = scan.state() == ImageScan.State.PENDING || scan.state() == ImageScan.State.NOT_STARTED;
            if (!waiting || left.isNegative() || left.isZero()) {
                return scan;
            }
            try {
                sleeper.sleep(left.compareTo(settings.pollInterval()) < 0 ? left : settings.pollInterval());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StopRequested("interrupted while waiting for the scan of " + candidate, e);
            }
        }
    }

    /** A published version whose scan is complete. */
    private record Published(String tag, ImageScan scan) {
    }

    /** The highest version of the image's prefix in its target repository, with its complete scan; else empty. */
    private Optional<Published> published(ImageReference candidate, Target target) {
        String registry = settings.targetRegistry().orElse(candidate.registry());
        try {
            Optional<VersionTag> highest = VersionTag.highest(target.tagPrefix(), scans.tags(registry, target.repository()));
            if (highest.isEmpty()) {
                return Optional.empty();
            }
            String tag = highest.get().tag();
            ImageScan scan = scans.describe(new ImageReference(registry, target.repository(), tag, null));
            if (scan.state() != ImageScan.State.COMPLETE) {
                LOG.infof("No scan delta for %s: the scan of the published %s is %s", candidate, tag, words(scan.status()));
                return Optional.empty();
            }
            return Optional.of(new Published(tag, scan));
        } catch (StopRequested e) {
            throw e;
        } catch (RuntimeException e) {
            LOG.warnf(e, "No scan delta for %s: the published version could not be read", candidate);
            return Optional.empty();
        }
    }

    private static Map<String, Integer> countsOf(Map<String, String> findings) {
        Map<String, Integer> counts = new java.util.HashMap<>();
        findings.values().forEach(severity -> counts.merge(severity, 1, Integer::sum));
        return counts;
    }

    /** ECR's status ids in words: {@code UNSUPPORTED_IMAGE} is "unsupported image". */
    static String words(String status) {
        return status == null ? "no status" : status.toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
    }
}
