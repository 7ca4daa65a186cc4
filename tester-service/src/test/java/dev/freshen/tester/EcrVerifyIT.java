package dev.freshen.tester;

import dev.freshen.events.BaseImage;
import dev.freshen.events.CheckResult;
import dev.freshen.events.ImageBuilt;
import dev.freshen.events.ImageVerified;
import dev.freshen.events.Stage;
import dev.freshen.events.StageTiming;
import dev.freshen.events.Trigger;
import dev.freshen.events.image.Digest;
import dev.freshen.events.image.ImageReference;
import dev.freshen.testing.DockerEngine;
import dev.freshen.testing.EcrApiServer;
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
 * the registry behind it real) through the Docker engine, checking it and running an application built FROM it. Last,
 * what the tester did is held to its IAM policy in docs/iam.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EcrVerifyIT {

    private static final String PRINCIPAL = "tester";
    private static final String ACCESS_KEY = "AKIAFRESHENTEST00004";
    private static final String SECRET_KEY = "freshen/test/tester/" + UUID.randomUUID();
    private static final String REGISTRY_PASSWORD = "ecr-" + UUID.randomUUID();
    private static final String IMAGE = "fixture/ecr-tested";
    private static final String REPOSITORY = "platform/ecr-tested";
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
        tester = ServiceProcess.start(Paths.get("").toAbsolutePath(), Map.ofEntries(
                Map.entry("kafka.bootstrap.servers", KafkaBroker.bootstrapServers()),
                Map.entry("freshen.platform-images-dir", platformImages.toString()),
                Map.entry("freshen.tester.docker-cli", DockerEngine.CLI),
                Map.entry("freshen.tester.instance-id", "ecr-verify-it"),
                Map.entry("freshen.tester.max-attempts", "1"),
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
        ImageReference candidate = candidate(runId);
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
    private static ImageReference candidate(String runId) throws IOException {
        Path context = Files.createTempDirectory("freshen-candidate-");
        write(context, "Dockerfile", "FROM " + base + "\nRUN echo " + runId + " > /etc/freshen-run\nUSER 1654\n");
        String built = LocalRegistry.shared().host() + "/platform/ecr-tested:" + runId;
        DockerEngine.docker("build", "-q", "-t", built, context.toString());
        DockerEngine.docker("push", "-q", built);
        DockerEngine.docker("rmi", built);
        String digest = ecr.importImage(ImageReference.parse(built), REPOSITORY, "candidate-" + runId);
        return new ImageReference(ecr.registryHost(), REPOSITORY, null, Digest.parse(digest));
    }

    private static void write(Path root, String relative, String content) throws IOException {
        Path file = root.resolve(relative);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
    }
}
