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
import dev.freshen.testing.DockerEngine;
import dev.freshen.testing.EcrApiServer;
import dev.freshen.testing.EventTopics;
import dev.freshen.testing.FixtureImages;
import dev.freshen.testing.HtpasswdRegistry;
import dev.freshen.testing.KafkaBroker;
import dev.freshen.testing.LocalRegistry;
import dev.freshen.retry.RetryPolicy;
import dev.freshen.testing.SampleEvents;
import dev.freshen.testing.ServiceProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
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
 * (the ECR API double, backed by a real htpasswd registry); the base comes from an open registry.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EcrBuildIT {

    private static final String ACCESS_KEY = "AKIAFRESHENTEST00002";
    private static final String SECRET_KEY = "freshen-test-secret-key-0000000000000002";
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
        ecr = EcrApiServer.start(target, "AWS", "ecr-token-password", ACCESS_KEY, SECRET_KEY);
        topics = new EventTopics(KafkaBroker.bootstrapServers());
        base = FixtureImages.publishBase(upstream.host(), "dotnet/runtime-ecr", "10.0");
        Files.createDirectories(platformImages.resolve("fixture/ecr"));
        Files.writeString(platformImages.resolve("fixture/ecr/Dockerfile"), "FROM " + base.withDigest(null) + "\nUSER 1654\n");
        Files.writeString(platformImages.resolve("fixture/ecr/platform-image.yaml"),
                "target: {repository: platform/ecr-built, tagPrefix: '10.0'}\n");
        builder = ServiceProcess.start(Paths.get("").toAbsolutePath(), Map.of(
                "kafka.bootstrap.servers", KafkaBroker.bootstrapServers(),
                "freshen.platform-images-dir", platformImages.toString(),
                "freshen.target-registry", target.host(),
                "freshen.builder.docker-cli", DockerEngine.CLI,
                "freshen.registries.ecr.hosts", target.host(),
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

        assertEquals(target.host() + "/platform/ecr-built", built.candidate().name());
        assertTrue(ecr.calls("GetAuthorizationToken").size() >= 1, "the push logged in through ECR");
        System.setProperty("aws.accessKeyId", ACCESS_KEY);
        System.setProperty("aws.secretAccessKey", SECRET_KEY);
        var credentials = new EcrCredentials(host -> EcrClients.create(Optional.of(EcrApiServer.REGION),
                Optional.of(ecr.endpoint()), Duration.ofSeconds(10), RetryPolicy.once()),
                Set.of(target.host()), Optional.of(EcrApiServer.ACCOUNT_ID), Clock.systemUTC());
        var labels = new RegistryClient(RegistrySettings.defaults(), credentials).imageConfig(built.candidate()).labels();
        assertEquals(base.digest().toString(), labels.get(ImageLabels.BASE_DIGEST));
        assertEquals(request.runId(), labels.get(ImageLabels.RUN_ID));
    }
}
