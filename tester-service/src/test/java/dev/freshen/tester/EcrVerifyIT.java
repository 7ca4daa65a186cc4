package dev.freshen.tester;

import dev.freshen.events.BaseImage;
import dev.freshen.events.CheckResult;
import dev.freshen.events.ImageBuilt;
import dev.freshen.events.FailureKind;
import dev.freshen.events.ImageVerified;
import dev.freshen.events.PipelineFailed;
import dev.freshen.events.Stage;
import dev.freshen.events.StageTiming;
import dev.freshen.events.Trigger;
import dev.freshen.events.image.Digest;
import dev.freshen.events.image.ImageReference;
import dev.freshen.testing.DockerEngine;
import dev.freshen.testing.EcrApiServer;
import dev.freshen.testing.EcrScan;
import dev.freshen.testing.EventTopics;
import dev.freshen.testing.FixtureImages;
import dev.freshen.testing.HtpasswdRegistry;
import dev.freshen.testing.KafkaBroker;
import dev.freshen.testing.LocalRegistry;
import dev.freshen.testing.SampleEvents;
import dev.freshen.testing.ServiceProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The packaged tester pulling its candidate from an ECR registry (the ECR double: tokens from GetAuthorizationToken,
 * the registry behind it real) through the Docker engine, checking it and running an application built FROM it, then
 * waiting for the candidate's scan and comparing it with the published version (ImageVerified.scan), or failing the
 * run on the descriptor's scan gate. Last, what the tester did is held to its IAM policy in docs/iam.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EcrVerifyIT {

    private static final String PRINCIPAL = "tester";
    private static final String ACCESS_KEY = "AKIAFRESHENTEST00004";
    private static final String SECRET_KEY = "freshen/test/tester/" + UUID.randomUUID();
    private static final String REGISTRY_PASSWORD = "ecr-" + UUID.randomUUID();
    private static final String IMAGE = "fixture/ecr-tested";
    private static final String REPOSITORY = "platform/ecr-tested";
    private static final String GATED_IMAGE = "fixture/ecr-gated";
    private static final String GATED_REPOSITORY = "platform/ecr-gated";
    private static final String PLATFORM_FROM = "mycompany/platform:1.0";
    private static final Duration TIMEOUT = Duration.ofSeconds(120);

    private static HtpasswdRegistry registry;
    private static EcrApiServer ecr;
    private static EventTopics topics;
    private static ServiceProcess tester;
    private static ImageReference base;

    @BeforeAll
    static void start(@TempDir Path platformImages) throws IOException {
        DockerEngine.requireRunning();
        base = FixtureImages.publishBase(LocalRegistry.shared().host(), "dotnet/runtime-ecr-test", "10.0");
        registry = HtpasswdRegistry.start("AWS", REGISTRY_PASSWORD);
        ecr = EcrApiServer.start(registry, "AWS", REGISTRY_PASSWORD, new EcrApiServer.Principal(PRINCIPAL, ACCESS_KEY,
                SECRET_KEY));
        topics = new EventTopics(KafkaBroker.bootstrapServers());
        ecr.createRepository(REPOSITORY, "MUTABLE", List.of(), true);
        ecr.createRepository(GATED_REPOSITORY, "MUTABLE", List.of(), true);

        write(platformImages, "apps/static/Dockerfile", "FROM " + PLATFORM_FROM + "\nCOPY www /www\n"
                + "CMD [\"httpd\", \"-f\", \"-v\", \"-p\", \"8080\", \"-h\", \"/www\"]\n");
        write(platformImages, "apps/static/www/index.html", "hello from freshen\n");
        write(platformImages, IMAGE + "/Dockerfile", "FROM " + base.withDigest(null) + "\n");
        write(platformImages, IMAGE + "/platform-image.yaml", """
                target: {repository: %s, tagPrefix: '10.0'}
                checks: {user: non-root}
                integrationTest:
                  app: apps/static
                  replaceFrom: %s
                  port: 8080
                  request: {path: /index.html}
                  expect: {status: 200, bodyContains: freshen}
                """.formatted(REPOSITORY, PLATFORM_FROM));
        write(platformImages, GATED_IMAGE + "/Dockerfile", "FROM " + base.withDigest(null) + "\n");
        write(platformImages, GATED_IMAGE + "/platform-image.yaml", """
                target: {repository: %s, tagPrefix: '10.0'}
                checks: {user: non-root}
                scan: {failOn: HIGH}
                """.formatted(GATED_REPOSITORY));
        tester = ServiceProcess.start(Paths.get("").toAbsolutePath(), Map.ofEntries(
                Map.entry("kafka.bootstrap.servers", KafkaBroker.bootstrapServers()),
                Map.entry("freshen.platform-images-dir", platformImages.toString()),
                Map.entry("freshen.tester.docker-cli", DockerEngine.CLI),
                Map.entry("freshen.tester.instance-id", "ecr-verify-it"),
                Map.entry("freshen.tester.max-attempts", "1"),
                Map.entry("freshen.tester.scan.poll-interval", "200ms"),
                Map.entry("freshen.tester.scan.timeout", "1m"),
                Map.entry("freshen.registries.ecr.hosts", ecr.registryHost()),
                Map.entry("freshen.registries.ecr.endpoint", ecr.endpoint().toString()),
                Map.entry("freshen.registries.ecr.region", EcrApiServer.REGION),
                Map.entry("freshen.registries.ecr.registry-id", EcrApiServer.ACCOUNT_ID),
                Map.entry("aws.accessKeyId", ACCESS_KEY),
                Map.entry("aws.secretAccessKey", SECRET_KEY),
                Map.entry("aws.disableEc2Metadata", "true")), TIMEOUT);
    }

    @AfterAll
    static void stop() {
        if (tester != null) {
            tester.close();
        }
        if (ecr != null) {
            ecr.close();
        }
        if (registry != null) {
            registry.close();
        }
        if (topics != null) {
            topics.close();
        }
    }

    @Test
    void aCandidateInEcrIsPulledWithTheEcrTokenCheckedAndItsApplicationRun() throws IOException {
        String runId = SampleEvents.runId();
        String published = ecr.importImage(base, REPOSITORY, "10.0-1.0.0");
        ecr.scan(REPOSITORY, published, EcrScan.basic(new EcrScan.Finding("CVE-2025-0001", "CRITICAL"),
                new EcrScan.Finding("CVE-2025-0002", "HIGH"), new EcrScan.Finding("CVE-2025-0003", "MEDIUM")));
        ImageReference candidate = candidate(runId, REPOSITORY);
        ecr.scan(REPOSITORY, candidate.digest().toString(), EcrScan.basic(new EcrScan.Finding("CVE-2025-0003", "MEDIUM"))
                .notStartedFor(1).inProgressFor(2));
        Instant now = Instant.now();
        ImageBuilt built = new ImageBuilt(runId, IMAGE, 1, now, Trigger.baseImageUpdated(),
                List.of(new BaseImage(base.withDigest(null), base.digest(), null)), candidate, List.of(),
                List.of(new StageTiming(Stage.BUILD, now.minusSeconds(10), now)));
        topics.send(built);
        ImageVerified verified = topics.awaitEvent(ImageVerified.class, e -> e.runId().equals(runId), TIMEOUT);

        assertEquals(candidate, verified.candidate(), "the digest that was tested");
        assertEquals(List.of("user: non-root", "integration-test: GET /index.html"),
                verified.checks().stream().map(CheckResult::name).toList());
        assertTrue(ecr.calls("GetAuthorizationToken").size() >= 1, "the pull logged in through ECR");
        assertEquals("1 medium", verified.scan().countsText(), "waited for the candidate's scan");
        assertEquals("10.0-1.0.0", verified.scan().comparedWith());
        assertEquals("fixes 2 CVEs: 1 critical, 1 high; introduces 0", verified.scan().deltaText());
        assertTrue(ecr.calls("DescribeImageScanFindings", REPOSITORY).size() >= 5, "not started, in progress twice, "
                + "complete, and the published version's");
    }

    @Test
    void aCandidateWithFindingsOfTheGatesSeverityEndsTheRunWithTheFindings() throws IOException {
        String runId = SampleEvents.runId();
        ImageReference candidate = candidate(runId, GATED_REPOSITORY);
        ecr.scan(GATED_REPOSITORY, candidate.digest().toString(), EcrScan.enhanced(
                new EcrScan.Finding("CVE-2025-4242", "HIGH"), new EcrScan.Finding("CVE-2025-0003", "LOW")));
        Instant now = Instant.now();
        topics.send(new ImageBuilt(runId, GATED_IMAGE, 1, now, Trigger.baseImageUpdated(),
                List.of(new BaseImage(base.withDigest(null), base.digest(), null)), candidate, List.of(),
                List.of(new StageTiming(Stage.BUILD, now.minusSeconds(10), now))));
        PipelineFailed failed = topics.awaitEvent(PipelineFailed.class, e -> e.runId().equals(runId), TIMEOUT);

        assertEquals(Stage.TEST, failed.stage());
        assertEquals(FailureKind.PERMANENT, failed.kind());
        assertEquals("scan-findings", failed.code());
        assertEquals("the image scan found 1 high vulnerability (scan.failOn: HIGH): CVE-2025-4242", failed.reason());
        assertTrue(failed.hint().contains("scan.failOn"), failed.hint());
        assertEquals("HIGH CVE-2025-4242", failed.logExcerpt());
    }

    /** Runs after the others: the tester (and the Docker engine's pull) used exactly what docs/iam/tester.json allows. */
    @Test
    @Order(Integer.MAX_VALUE)
    void theIamPolicyInTheDocsAllowsExactlyWhatTheTesterDid() {
        ecr.recording().verify(PRINCIPAL, Path.of("../docs/iam/tester.json"), Path.of("target/iam/tester.json"));
    }

    /**
     * A candidate as the builder leaves it in ECR, with a layer of its own (so the engine has to download it): built
     * and pushed to the open registry, put into the ECR repository as an administrator, and removed locally.
     */
    private static ImageReference candidate(String runId, String repository) throws IOException {
        Path context = Files.createTempDirectory("freshen-candidate-");
        write(context, "Dockerfile", "FROM " + base + "\nRUN echo " + runId + " > /etc/freshen-run\nUSER 1654\n");
        String built = LocalRegistry.shared().host() + "/platform/ecr-tested:" + runId;
        DockerEngine.docker("build", "-q", "-t", built, context.toString());
        DockerEngine.docker("push", "-q", built);
        DockerEngine.docker("rmi", built);
        String digest = ecr.importImage(ImageReference.parse(built), repository, "candidate-" + runId);
        return new ImageReference(ecr.registryHost(), repository, null, Digest.parse(digest));
    }

    private static void write(Path root, String relative, String content) throws IOException {
        Path file = root.resolve(relative);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
    }
}
