package dev.freshen.tester.ecr;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.freshen.descriptor.ScanPolicy;
import dev.freshen.descriptor.Target;
import dev.freshen.events.ScanFindings;
import dev.freshen.events.image.Digest;
import dev.freshen.events.image.ImageReference;
import dev.freshen.registry.Credentials;
import dev.freshen.registry.Manifest;
import dev.freshen.registry.MediaTypes;
import dev.freshen.registry.RegistryClient;
import dev.freshen.registry.RegistrySettings;
import dev.freshen.tester.ImageScan;
import dev.freshen.tester.ScanCheck;
import dev.freshen.testing.EcrApiServer;
import dev.freshen.testing.EcrScan;
import dev.freshen.testing.HtpasswdRegistry;
import dev.freshen.testing.LocalRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ecr.EcrClient;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The tester's ECR scan reading with the real AWS SDK client against the ECR double (the registry behind it real):
 * waiting through "not started" and "in progress", every page of basic and enhanced findings, the delta against the
 * published version, the time-out, scans that ended without findings, missing images, and a registry that is not
 * ECR.
 */
class EcrImageScansIT {

    private static final String KEY = "AKIAFRESHENSCAN00001";
    private static final String SECRET = "scan/" + UUID.randomUUID();
    private static final String PASSWORD = "pw-" + UUID.randomUUID();
    private static final String STAGING = "platform/scanned-staging";
    private static final String TARGET_REPOSITORY = "platform/scanned";
    private static final Target TARGET = new Target(TARGET_REPOSITORY, "10.0", List.of("latest"));
    private static final ObjectMapper JSON = new ObjectMapper();

    private static HtpasswdRegistry registry;
    private static EcrApiServer ecr;
    private static EcrClient client;
    private static RegistryClient admin;
    private static EcrImageScans scans;

    @BeforeAll
    static void start() {
        registry = HtpasswdRegistry.start("AWS", PASSWORD);
        ecr = EcrApiServer.start(registry, "AWS", PASSWORD, KEY, SECRET);
        ecr.createRepository(STAGING, "MUTABLE", List.of(), false);
        ecr.createRepository(TARGET_REPOSITORY, "MUTABLE", List.of(), true);
        client = EcrClient.builder().region(Region.of(EcrApiServer.REGION)).endpointOverride(ecr.endpoint())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(KEY, SECRET)))
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
                .build();
        admin = new RegistryClient(RegistrySettings.defaults().withCredentials(ecr.registryHost(),
                new Credentials("AWS", PASSWORD)));
        scans = new EcrImageScans(host -> client, Set.of(ecr.registryHost()), Optional.of(EcrApiServer.ACCOUNT_ID));
    }

    @AfterAll
    static void stop() {
        if (client != null) {
            client.close();
        }
        if (ecr != null) {
            ecr.close();
        }
        if (registry != null) {
            registry.close();
        }
    }

    @AfterEach
    void pages() {
        ecr.maxPageSize(1000);
    }

    @Test
    void notStartedAndInProgressAreWaitedForAndEveryPageOfBasicFindingsIsRead() {
        ImageReference candidate = push(STAGING, "candidate-" + UUID.randomUUID());
        List<EcrScan.Finding> findings = new ArrayList<>();
        for (int i = 0; i < 250; i++) {
            findings.add(new EcrScan.Finding(String.format("CVE-2025-%05d", i), i == 0 ? "CRITICAL" : i < 4 ? "HIGH"
                    : i < 50 ? "MEDIUM" : "LOW"));
        }
        ecr.scan(STAGING, candidate.digest().toString(), EcrScan.basic(findings.toArray(EcrScan.Finding[]::new))
                .notStartedFor(2).inProgressFor(2));
        ecr.maxPageSize(100);
        int before = ecr.calls("DescribeImageScanFindings").size();

        ScanCheck.Result result = check(Duration.ofSeconds(30), ScanCheck.OnTimeout.PROCEED)
                .check("fixture/scanned", candidate, TARGET, ScanPolicy.NONE);

        List<String> answers = ecr.calls("DescribeImageScanFindings").stream().skip(before)
                .filter(c -> STAGING.equals(c.repository())).map(c -> String.valueOf(c.errorType())).toList();
        assertEquals(List.of("ScanNotFoundException", "ScanNotFoundException", "null", "null", "null", "null", "null"),
                answers, "2 not started, 2 in progress, then 3 pages of 100");
        assertEquals(Map.of("CRITICAL", 1, "HIGH", 3, "MEDIUM", 46, "LOW", 200), result.findings().counts());
        ImageScan read = scans.describe(candidate);
        assertEquals(250, read.findings().size(), "every page's ids");
        assertNull(result.problem());
    }

    @Test
    void enhancedFindingsAreReadByVulnerabilityIdAndComparedWithThePublishedVersion() {
        ImageReference published = push(TARGET_REPOSITORY, "10.0-1.4.0");
        push(TARGET_REPOSITORY, "10.0-1.3.0");
        ecr.scan(TARGET_REPOSITORY, published.digest().toString(), EcrScan.enhanced(
                new EcrScan.Finding("CVE-2025-0001", "CRITICAL"), new EcrScan.Finding("CVE-2025-0002", "HIGH"),
                new EcrScan.Finding("CVE-2025-0003", "HIGH"), new EcrScan.Finding("CVE-2025-0004", "HIGH"),
                new EcrScan.Finding("CVE-2025-0004", "HIGH", "libssl3"), new EcrScan.Finding("CVE-2025-0009", "MEDIUM")));
        ImageReference candidate = push(STAGING, "candidate-" + UUID.randomUUID());
        ecr.scan(STAGING, candidate.digest().toString(), EcrScan.enhanced(
                new EcrScan.Finding("CVE-2025-0009", "MEDIUM"), new EcrScan.Finding("CVE-2025-0100", "UNTRIAGED")));

        ScanFindings findings = check(Duration.ofSeconds(30), ScanCheck.OnTimeout.PROCEED)
                .check("fixture/scanned", candidate, TARGET, ScanPolicy.NONE).findings();

        assertEquals(ScanFindings.COMPLETE, findings.status());
        assertEquals(Map.of("MEDIUM", 1, "UNTRIAGED", 1), findings.counts());
        assertEquals("10.0-1.4.0", findings.comparedWith(), "the highest version of the prefix");
        assertEquals("fixes 4 CVEs: 1 critical, 3 high; introduces 1 CVE: 1 untriaged", findings.deltaText());
    }

    @Test
    void theGateFailsOnPresentFindingsWithTheirIds() {
        ImageReference candidate = push(STAGING, "candidate-" + UUID.randomUUID());
        ecr.scan(STAGING, candidate.digest().toString(), EcrScan.basic(new EcrScan.Finding("CVE-2025-7777", "CRITICAL")));
        ScanCheck.Result result = check(Duration.ofSeconds(30), ScanCheck.OnTimeout.PROCEED)
                .check("fixture/scanned", candidate, TARGET, new ScanPolicy("CRITICAL"));
        assertEquals("scan-findings", result.problem().code());
        assertTrue(result.problem().reason().contains("1 critical vulnerability (scan.failOn: CRITICAL): CVE-2025-7777"),
                result.problem().reason());
    }

    @Test
    void aScanStillInProgressAtTheTimeOutIsMarkedAndTheRunGoesOn() {
        ImageReference candidate = push(STAGING, "candidate-" + UUID.randomUUID());
        ecr.scan(STAGING, candidate.digest().toString(), EcrScan.basic().inProgressFor(Duration.ofMinutes(10)));
        Instant started = Instant.now();
        ScanCheck.Result result = check(Duration.ofSeconds(1), ScanCheck.OnTimeout.PROCEED)
                .check("fixture/scanned", candidate, TARGET, ScanPolicy.NONE);
        Duration took = Duration.between(started, Instant.now());
        assertEquals(ScanFindings.TIMED_OUT, result.findings().status());
        assertEquals("scan timed out: no result after 1s (ECR: in progress)", result.findings().countsText());
        assertNull(result.problem());
        assertTrue(took.compareTo(Duration.ofSeconds(1)) >= 0 && took.compareTo(Duration.ofSeconds(10)) < 0, took.toString());

        ScanCheck.Result failed = check(Duration.ofMillis(300), ScanCheck.OnTimeout.FAIL)
                .check("fixture/scanned", candidate, TARGET, ScanPolicy.NONE);
        assertEquals("scan-timed-out", failed.problem().code());
    }

    @Test
    void aRepositoryThatDoesNotScanIsNotScannedAfterTheStartTimeOut() {
        ImageReference candidate = push(STAGING, "candidate-" + UUID.randomUUID());
        ScanCheck check = new ScanCheck(scans, new ScanCheck.Settings(Duration.ofMinutes(10), Duration.ofSeconds(1),
                Duration.ofMillis(100), ScanCheck.OnTimeout.FAIL, Optional.empty()), Clock.systemUTC(), ScanCheck.SLEEP);
        ScanCheck.Result result = check.check("fixture/scanned", candidate, TARGET, ScanPolicy.NONE);
        assertEquals(ScanFindings.NOT_SCANNED, result.findings().status());
        assertTrue(result.findings().reason().startsWith("ECR did not start a scan within 1s"),
                result.findings().reason());
        assertEquals("ScanNotFoundException", last("DescribeImageScanFindings").errorType());
    }

    @Test
    void scansThatEndedWithoutFindingsAreNotScannedWithEcrsReason() {
        for (String status : List.of("FAILED", "UNSUPPORTED_IMAGE", "SCAN_ELIGIBILITY_EXPIRED", "FINDINGS_UNAVAILABLE")) {
            ImageReference candidate = push(STAGING, "candidate-" + UUID.randomUUID());
            ecr.scan(STAGING, candidate.digest().toString(), EcrScan.ended(status, "ECR says " + status));
            ScanFindings findings = check(Duration.ofSeconds(30), ScanCheck.OnTimeout.PROCEED)
                    .check("fixture/scanned", candidate, TARGET, ScanPolicy.NONE).findings();
            assertEquals(ScanFindings.NOT_SCANNED, findings.status(), status);
            assertEquals(status.toLowerCase().replace('_', ' ') + ": ECR says " + status, findings.reason());
        }
    }

    @Test
    void missingImagesAndRepositoriesEndAndTagsAreReadByTag() {
        ImageReference gone = new ImageReference(ecr.registryHost(), STAGING, null, Digest.parse("sha256:" + "0".repeat(64)));
        assertEquals("IMAGE_NOT_FOUND", scans.describe(gone).status());
        assertEquals("ImageNotFoundException", last("DescribeImageScanFindings").errorType());
        assertEquals("REPOSITORY_NOT_FOUND", scans.describe(new ImageReference(ecr.registryHost(), "platform/none", "x",
                null)).status());
        assertEquals(List.of(), scans.tags(ecr.registryHost(), "platform/none"));

        ImageReference tagged = push(TARGET_REPOSITORY, "10.0-0.9.0");
        ImageScan byTag = scans.describe(new ImageReference(ecr.registryHost(), TARGET_REPOSITORY, "10.0-0.9.0", null));
        assertEquals(ImageScan.State.COMPLETE, byTag.state(), "scan on push: a scan without findings");
        assertTrue(scans.tags(ecr.registryHost(), TARGET_REPOSITORY).contains("10.0-0.9.0"));
        assertTrue(tagged.digest() != null);
    }

    @Test
    void aRegistryThatIsNotEcrIsNotAsked() {
        int before = ecr.calls().size();
        ImageReference oci = new ImageReference(LocalRegistry.shared().host(), "platform/x", null,
                Digest.parse("sha256:" + "1".repeat(64)));
        ScanCheck.Result result = check(Duration.ofSeconds(30), ScanCheck.OnTimeout.PROCEED)
                .check("fixture/scanned", oci, TARGET, ScanPolicy.NONE);
        assertNull(result.findings());
        assertNull(result.problem());
        assertEquals(before, ecr.calls().size());
        assertTrue(scans.scans("123456789012.dkr.ecr.eu-west-1.amazonaws.com"), "an ECR host by its shape");
    }

    @Test
    void theDoublesAnswersUnmarshalIntoTheSdkModelAsEcrsDo() {
        ImageReference basic = push(STAGING, "candidate-" + UUID.randomUUID());
        ecr.scan(STAGING, basic.digest().toString(), EcrScan.basic(new EcrScan.Finding("CVE-2025-0001", "HIGH", "libssl3")));
        var answer = client.describeImageScanFindings(r -> r.repositoryName(STAGING)
                .imageId(i -> i.imageDigest(basic.digest().toString())));
        assertEquals(software.amazon.awssdk.services.ecr.model.ScanStatus.COMPLETE, answer.imageScanStatus().status());
        assertEquals(Map.of(software.amazon.awssdk.services.ecr.model.FindingSeverity.HIGH, 1),
                answer.imageScanFindings().findingSeverityCounts());
        var finding = answer.imageScanFindings().findings().get(0);
        assertEquals("CVE-2025-0001", finding.name());
        assertEquals(software.amazon.awssdk.services.ecr.model.FindingSeverity.HIGH, finding.severity());
        assertTrue(finding.attributes().stream().anyMatch(a -> a.key().equals("package_name") && a.value().equals("libssl3")));
        assertTrue(answer.imageScanFindings().imageScanCompletedAt().isBefore(Instant.now().plusSeconds(1)));
        assertEquals(basic.digest().toString(), answer.imageId().imageDigest());

        ImageReference enhanced = push(STAGING, "candidate-" + UUID.randomUUID());
        ecr.scan(STAGING, enhanced.digest().toString(), EcrScan.enhanced(new EcrScan.Finding("CVE-2025-0002", "CRITICAL")));
        var inspector = client.describeImageScanFindings(r -> r.repositoryName(STAGING)
                .imageId(i -> i.imageDigest(enhanced.digest().toString()))).imageScanFindings().enhancedFindings().get(0);
        assertEquals("CVE-2025-0002", inspector.packageVulnerabilityDetails().vulnerabilityId());
        assertEquals("CRITICAL", inspector.severity());
        assertEquals("openssl", inspector.packageVulnerabilityDetails().vulnerablePackages().get(0).name());
        assertEquals(7.5, inspector.score());

        ImageReference unscanned = push(STAGING, "candidate-" + UUID.randomUUID());
        org.junit.jupiter.api.Assertions.assertThrows(software.amazon.awssdk.services.ecr.model.ScanNotFoundException.class,
                () -> client.describeImageScanFindings(r -> r.repositoryName(STAGING)
                        .imageId(i -> i.imageDigest(unscanned.digest().toString()))));
        org.junit.jupiter.api.Assertions.assertThrows(software.amazon.awssdk.services.ecr.model.ImageNotFoundException.class,
                () -> client.describeImageScanFindings(r -> r.repositoryName(STAGING).imageId(i -> i.imageTag("missing"))));
        org.junit.jupiter.api.Assertions.assertThrows(
                software.amazon.awssdk.services.ecr.model.RepositoryNotFoundException.class,
                () -> client.describeImageScanFindings(r -> r.repositoryName("platform/none").imageId(i -> i.imageTag("x"))));
    }

    private static ScanCheck check(Duration timeout, ScanCheck.OnTimeout onTimeout) {
        return new ScanCheck(scans, new ScanCheck.Settings(timeout, Duration.ofSeconds(5), Duration.ofMillis(100), onTimeout,
                Optional.empty()),
                Clock.systemUTC(), ScanCheck.SLEEP);
    }

    private static EcrApiServer.Call last(String operation) {
        List<EcrApiServer.Call> calls = ecr.calls(operation);
        return calls.get(calls.size() - 1);
    }

    /** A small image of its own (an empty layer-less OCI image with a unique config) as {@code repository:tag}. */
    private static ImageReference push(String repository, String tag) {
        try {
            byte[] config = JSON.writeValueAsBytes(Map.of("architecture", "amd64", "os", "linux",
                    "config", Map.of("Labels", Map.of("dev.freshen.run-id", UUID.randomUUID().toString())),
                    "rootfs", Map.of("type", "layers", "diff_ids", List.of())));
            Digest configDigest = admin.pushBlob(ecr.registryHost(), repository, config);
            byte[] manifest = JSON.writeValueAsBytes(Map.of("schemaVersion", 2, "mediaType", MediaTypes.OCI_MANIFEST,
                    "config", Map.of("mediaType", "application/vnd.oci.image.config.v1+json",
                            "digest", configDigest.toString(), "size", config.length),
                    "layers", List.of()));
            Digest digest = admin.putManifest(ecr.registryHost(), repository, tag,
                    Manifest.of(MediaTypes.OCI_MANIFEST, manifest));
            return new ImageReference(ecr.registryHost(), repository, null, digest);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
