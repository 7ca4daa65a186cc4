package dev.freshen.builder;

import dev.freshen.ecr.EcrCredentials;
import dev.freshen.ecr.EcrClients;
import dev.freshen.events.BaseImage;
import dev.freshen.events.BaseImageUpdated;
import dev.freshen.events.ImageBuilt;
import dev.freshen.events.ImageLabels;
import dev.freshen.events.image.ImageReference;
import dev.freshen.registry.RegistryClient;
import dev.freshen.registry.RegistrySettings;
import dev.freshen.retry.RetryPolicy;
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
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The packaged builder pushing its candidate to a registry that only takes ECR's GetAuthorizationToken credentials
 * (the ECR API double, backed by a real htpasswd registry); the base comes from an open registry. Last, what the builder
 * did is held to its IAM policy in docs/iam.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EcrBuildIT {

    private static final String PRINCIPAL = "builder";
    private static final String ACCESS_KEY = "AKIAFRESHENTEST00002";
    private static final String SECRET_KEY = "freshen-test-secret-key-0000000000000002";
    private static final String READER_KEY = "AKIAFRESHENTEST00012";
    private static final String READER_SECRET = "freshen-test-secret-key-0000000000000012";
    private static final Duration TIMEOUT = Duration.ofSeconds(120);

    private HtpasswdRegistry target;
    private EcrApiServer ecr;
    private EventTopics topics;
    private ServiceProcess builder;
    private ImageReference base;

    @BeforeAll
    void start(@TempDir Path platformImages) throws IOException {
        DockerEngine.requireRunning();
        LocalRegistry upstream = LocalRegistry.shared();
        target = HtpasswdRegistry.start("AWS", "ecr-token-password");
        ecr = EcrApiServer.start(target, "AWS", "ecr-token-password",
                new EcrApiServer.Principal(PRINCIPAL, ACCESS_KEY, SECRET_KEY),
                new EcrApiServer.Principal("test-reader", READER_KEY, READER_SECRET));
        topics = new EventTopics(KafkaBroker.bootstrapServers());
        base = FixtureImages.publishBase(upstream.host(), "dotnet/runtime-ecr", "10.0");
        Files.createDirectories(platformImages.resolve("fixture/ecr"));
        Files.writeString(platformImages.resolve("fixture/ecr/Dockerfile"), "FROM " + base.withDigest(null) + "\nUSER 1654\n");
        Files.writeString(platformImages.resolve("fixture/ecr/platform-image.yaml"),
                "target: {repository: platform/ecr-built, tagPrefix: '10.0'}\n");
        builder = ServiceProcess.start(Paths.get("").toAbsolutePath(), Map.of(
                "kafka.bootstrap.servers", KafkaBroker.bootstrapServers(),
                "freshen.platform-images-dir", platformImages.toString(),
                "freshen.target-registry", ecr.registryHost(),
                "freshen.builder.docker-cli", DockerEngine.CLI,
                "freshen.registries.ecr.hosts", ecr.registryHost(),
                "freshen.registries.ecr.endpoint", ecr.endpoint().toString(),
                "freshen.registries.ecr.region", EcrApiServer.REGION,
                "freshen.registries.ecr.registry-id", EcrApiServer.ACCOUNT_ID,
                "aws.accessKeyId", ACCESS_KEY,
                "aws.secretAccessKey", SECRET_KEY), TIMEOUT);
    }

    @AfterAll
    void stop() {
        if (builder != null) {
            builder.close();
        }
        topics.close();
        ecr.close();
        target.close();
    }

    @Test
    void theCandidateIsPushedWithTheEcrToken() {
        BaseImageUpdated request = new BaseImageUpdated(SampleEvents.runId(), "fixture/ecr", 1, Instant.now(),
                List.of(new BaseImage(base.withDigest(null), base.digest(), null)), "sha256:test");
        topics.send(request);
        ImageBuilt built = topics.awaitEvent(ImageBuilt.class, e -> e.runId().equals(request.runId()), TIMEOUT);

        assertEquals(ecr.registryHost() + "/platform/ecr-built-staging", built.candidate().name(), "staged by default");
        assertTrue(ecr.calls("GetAuthorizationToken").size() >= 1, "the push logged in through ECR");
        System.setProperty("aws.accessKeyId", READER_KEY); // the test's own reads are not the builder's
        System.setProperty("aws.secretAccessKey", READER_SECRET);
        var credentials = new EcrCredentials(host -> EcrClients.create(Optional.of(EcrApiServer.REGION),
                Optional.of(ecr.endpoint()), Duration.ofSeconds(10), RetryPolicy.once()),
                Set.of(ecr.registryHost()), Optional.of(EcrApiServer.ACCOUNT_ID), Clock.systemUTC());
        var labels = new RegistryClient(RegistrySettings.defaults(), credentials).imageConfig(built.candidate()).labels();
        assertEquals(base.digest().toString(), labels.get(ImageLabels.BASE_DIGEST));
        assertEquals(request.runId(), labels.get(ImageLabels.RUN_ID));
    }

    /**
     * Runs after the others: the builder (its Java code and the Docker engine's push) used exactly the IAM actions
     * docs/iam/builder.json allows.
     */
    @Test
    @Order(Integer.MAX_VALUE)
    void theIamPolicyInTheDocsAllowsExactlyWhatTheBuilderDid() {
        ecr.recording().verify(PRINCIPAL, Path.of("../docs/iam/builder.json"), Path.of("target/iam/builder.json"));
    }
}
