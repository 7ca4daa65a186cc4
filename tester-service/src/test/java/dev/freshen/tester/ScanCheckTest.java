package dev.freshen.tester;

import dev.freshen.descriptor.ScanPolicy;
import dev.freshen.descriptor.Target;
import dev.freshen.events.FailureKind;
import dev.freshen.events.ScanFindings;
import dev.freshen.events.image.ImageReference;
import dev.freshen.testing.SettableClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** Waiting for a scan, its time-out, the delta against the published version and the gate, with a fake registry. */
class ScanCheckTest {

    private static final String ECR = "123456789012.dkr.ecr.eu-west-1.amazonaws.com";
    private static final ImageReference CANDIDATE = ImageReference.parse(ECR + "/platform/runtime-staging@sha256:"
            + "c".repeat(64));
    private static final Target TARGET = new Target("platform/runtime", "10.0", List.of("latest"));

    private final SettableClock clock = new SettableClock(Instant.parse("2026-12-01T09:00:00Z"));
    private final FakeScans scans = new FakeScans();
    private final List<Duration> sleeps = new ArrayList<>();

    private ScanCheck check(ScanCheck.OnTimeout onTimeout) {
        return new ScanCheck(scans, new ScanCheck.Settings(Duration.ofMinutes(10), Duration.ofMinutes(2),
                Duration.ofSeconds(15), onTimeout, Optional.empty()), clock, d -> {
            sleeps.add(d);
            clock.advance(d);
        });
    }

    @Test
    void aPlainRegistryIsNotScannedAndNothingGoesIntoTheEvents() {
        ImageReference oci = ImageReference.parse("registry.example.com/platform/runtime@sha256:" + "c".repeat(64));
        ScanCheck.Result result = check(ScanCheck.OnTimeout.PROCEED).check("net10/runtime", oci, TARGET, ScanPolicy.NONE);
        assertNull(result.findings());
        assertNull(result.problem());
        assertEquals(0, scans.asked);

        ScanCheck.Result gated = check(ScanCheck.OnTimeout.PROCEED).check("net10/runtime", oci, TARGET, new ScanPolicy("HIGH"));
        assertEquals("scan-unavailable", gated.problem().code());
        assertEquals(FailureKind.PERMANENT, gated.kind());
        assertEquals("the image scan gate (scan.failOn: HIGH) cannot be applied: the candidate's registry "
                + "registry.example.com does not scan images (Freshen reads scans from AWS ECR only)", gated.problem().reason());
    }

    @Test
    void notStartedAndInProgressAreWaitedForAtThePollInterval() {
        scans.candidate.add(ImageScan.notStarted(null));
        scans.candidate.add(ImageScan.pending("IN_PROGRESS", null));
        scans.candidate.add(ImageScan.complete("COMPLETE", Map.of("HIGH", 1), Map.of("CVE-1", "HIGH")));
        ScanCheck.Result result = check(ScanCheck.OnTimeout.PROCEED).check("net10/runtime", CANDIDATE, TARGET, ScanPolicy.NONE);
        assertEquals(ScanFindings.complete(Map.of("HIGH", 1)), result.findings(), "no published version: no delta");
        assertEquals(List.of(Duration.ofSeconds(15), Duration.ofSeconds(15)), sleeps);
    }

    @Test
    void theDeltaIsAgainstTheHighestVersionOfThePrefix() {
        scans.candidate.add(ImageScan.complete("COMPLETE", Map.of("MEDIUM", 1), Map.of("CVE-3", "MEDIUM")));
        scans.tags = List.of("10.0-1.9.0", "10.0-1.10.0", "10.0-chiseled-2.0.0", "latest", "candidate-x");
        scans.published.put("10.0-1.10.0", ImageScan.complete("COMPLETE", Map.of("CRITICAL", 1, "HIGH", 3, "MEDIUM", 1),
                Map.of("CVE-1", "CRITICAL", "CVE-2", "HIGH", "CVE-4", "HIGH", "CVE-5", "HIGH", "CVE-3", "MEDIUM")));
        ScanFindings findings = check(ScanCheck.OnTimeout.PROCEED).check("net10/runtime", CANDIDATE, TARGET, ScanPolicy.NONE)
                .findings();
        assertEquals("10.0-1.10.0", findings.comparedWith());
        assertEquals("fixes 4 CVEs: 1 critical, 3 high; introduces 0", findings.deltaText());
        assertEquals(List.of(ECR + "/platform/runtime:10.0-1.10.0"), scans.describedPublished);
    }

    @Test
    void aPublishedVersionWithoutCompleteScanGivesNoDelta() {
        scans.candidate.add(ImageScan.complete("COMPLETE", Map.of(), Map.of()));
        scans.tags = List.of("10.0-1.0.0");
        scans.published.put("10.0-1.0.0", ImageScan.notStarted(null));
        ScanFindings findings = check(ScanCheck.OnTimeout.PROCEED).check("x/y", CANDIDATE, TARGET, ScanPolicy.NONE).findings();
        assertEquals(ScanFindings.complete(Map.of()), findings);
        assertEquals(List.of(), sleeps, "the published version's scan is not waited for");
    }

    @Test
    void aTimeOutProceedsMarkedByDefault() {
        scans.always = ImageScan.pending("IN_PROGRESS", null);
        ScanCheck.Result result = check(ScanCheck.OnTimeout.PROCEED).check("x/y", CANDIDATE, TARGET, ScanPolicy.NONE);
        assertNull(result.problem());
        assertEquals(ScanFindings.without(ScanFindings.TIMED_OUT, "no result after 10m 00s (ECR: in progress)"), result.findings());
        assertEquals(Duration.ofMinutes(10), sleeps.stream().reduce(Duration.ZERO, Duration::plus), "waited the time-out, no more");
        assertEquals(41, scans.asked, "asked at 0s, every 15s, and once at the time-out");
    }

    @Test
    void aScanEcrNeverStartsIsNotScannedAfterTheStartTimeOutNotTheWholeWait() {
        scans.always = ImageScan.notStarted(null);
        ScanCheck.Result result = check(ScanCheck.OnTimeout.FAIL).check("x/y", CANDIDATE, TARGET, ScanPolicy.NONE);
        assertNull(result.problem(), "not a time-out");
        assertEquals(ScanFindings.NOT_SCANNED, result.findings().status());
        assertEquals("ECR did not start a scan within 2m 00s; turn on scan on push for the "
                + "repository, or a registry scanning rule that covers it", result.findings().reason());
        assertEquals(Duration.ofMinutes(2), sleeps.stream().reduce(Duration.ZERO, Duration::plus));

        scans.always = null;
        scans.candidate.add(ImageScan.notStarted(null));
        scans.candidate.add(ImageScan.pending("IN_PROGRESS", null));
        scans.candidate.add(ImageScan.complete("COMPLETE", Map.of(), Map.of()));
        sleeps.clear();
        assertEquals(ScanFindings.COMPLETE, check(ScanCheck.OnTimeout.FAIL).check("x/y", CANDIDATE, TARGET, ScanPolicy.NONE)
                .findings().status(), "a scan that starts in time is waited for");
    }

    @Test
    void aTimeOutFailsWhenSetSoOrWhenTheImageIsGated() {
        scans.always = ImageScan.pending("IN_PROGRESS", null);
        ScanCheck.Result failed = check(ScanCheck.OnTimeout.FAIL).check("x/y", CANDIDATE, TARGET, ScanPolicy.NONE);
        assertEquals("scan-timed-out", failed.problem().code());
        assertEquals(FailureKind.TRANSIENT_EXHAUSTED, failed.kind());

        ScanCheck.Result gated = check(ScanCheck.OnTimeout.PROCEED).check("x/y", CANDIDATE, TARGET, new ScanPolicy("CRITICAL"));
        assertEquals("scan-unavailable", gated.problem().code());
        assertEquals(FailureKind.TRANSIENT_EXHAUSTED, gated.kind());
    }

    @Test
    void aScanThatEndedWithoutFindingsIsNotScannedWithEcrsReason() {
        scans.candidate.add(ImageScan.ended("UNSUPPORTED_IMAGE", "The operating system 'scratch' is not supported."));
        ScanCheck.Result result = check(ScanCheck.OnTimeout.PROCEED).check("x/y", CANDIDATE, TARGET, ScanPolicy.NONE);
        assertEquals("not scanned: unsupported image: The operating system 'scratch' is not supported.",
                result.findings().countsText());
        assertNull(result.problem());
        ScanCheck.Result gated = check(ScanCheck.OnTimeout.PROCEED).check("x/y", CANDIDATE, TARGET, new ScanPolicy("LOW"));
        assertEquals("scan-unavailable", gated.problem().code());
        assertEquals(FailureKind.PERMANENT, gated.kind());
    }

    @Test
    void theGateFailsAndTheEventStillCarriesTheFindings() {
        scans.candidate.add(ImageScan.complete("COMPLETE", Map.of("CRITICAL", 1), Map.of("CVE-2025-0001", "CRITICAL")));
        ScanCheck.Result result = check(ScanCheck.OnTimeout.PROCEED).check("x/y", CANDIDATE, TARGET, new ScanPolicy("CRITICAL"));
        assertEquals("scan-findings", result.problem().code());
        assertEquals(FailureKind.PERMANENT, result.kind());
        assertEquals(ScanFindings.complete(Map.of("CRITICAL", 1)), result.findings());
    }

    /** Answers the candidate's scans in order (then the last again), and each published tag's. */
    private static final class FakeScans implements ImageScans {
        final Deque<ImageScan> candidate = new ArrayDeque<>();
        final Map<String, ImageScan> published = new HashMap<>();
        final List<String> describedPublished = new ArrayList<>();
        List<String> tags = List.of();
        ImageScan always;
        int asked;

        @Override
        public boolean scans(String registry) {
            return registry.equals(ECR);
        }

        @Override
        public ImageScan describe(ImageReference image) {
            if (image.digest() == null) {
                describedPublished.add(image.toString());
                return published.get(image.tag());
            }
            asked++;
            if (always != null) {
                return always;
            }
            return candidate.size() > 1 ? candidate.poll() : candidate.peek();
        }

        @Override
        public List<String> tags(String registry, String repository) {
            return tags;
        }
    }
}
