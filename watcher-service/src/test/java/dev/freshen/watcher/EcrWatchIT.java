package dev.freshen.watcher;

import dev.freshen.events.ImageLabels;
import dev.freshen.events.image.ImageReference;
import dev.freshen.testing.DockerEngine;
import dev.freshen.testing.EcrApiServer;
import dev.freshen.testing.EventTopics;
import dev.freshen.testing.FixtureImages;
import dev.freshen.testing.HtpasswdRegistry;
import dev.freshen.testing.KafkaBroker;
import dev.freshen.testing.LocalRegistry;
import dev.freshen.testing.ServiceProcess;
import io.restassured.specification.RequestSpecification;
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
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The packaged watcher reading what a published platform image was built from out of an ECR registry (the ECR double:
 * tokens from GetAuthorizationToken, the registry behind it real), the base from an open registry. Last, what the
 * watcher did is held to its IAM policy in docs/iam.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EcrWatchIT {

    private static final String PRINCIPAL = "watcher";
    private static final String ACCESS_KEY = "AKIAFRESHENTEST00003";
    private static final String SECRET_KEY = "freshen/test/watcher/" + UUID.randomUUID();
    private static final String REGISTRY_PASSWORD = "ecr-" + UUID.randomUUID();
    private static final String API_KEY = "test-api-key-0123456789";
    private static final String IMAGE = "fixture/ecr-watched";
    private static final String REPOSITORY = "platform/ecr-watched";
    private static final Duration TIMEOUT = Duration.ofSeconds(90);

    private static HtpasswdRegistry registry;
    private static EcrApiServer ecr;
    private static EventTopics topics;
    private static ServiceProcess watcher;

    @BeforeAll
    static void start(@TempDir Path platformImages) throws IOException {
        DockerEngine.requireRunning();
        LocalRegistry upstream = LocalRegistry.shared();
        String unique = Long.toString(System.nanoTime(), 36);
        ImageReference base = FixtureImages.publishBase(upstream.host(), "dotnet/runtime-ecr-" + unique, "10.0");
        registry = HtpasswdRegistry.start("AWS", REGISTRY_PASSWORD);
        ecr = EcrApiServer.start(registry, "AWS", REGISTRY_PASSWORD, new EcrApiServer.Principal(PRINCIPAL, ACCESS_KEY,
                SECRET_KEY));
        topics = new EventTopics(KafkaBroker.bootstrapServers());

        // what the builder and publisher would have left: version 10.0-1.0.0, labelled with the base it was built from
        Path context = Files.createTempDirectory("freshen-published-");
        Files.writeString(context.resolve("Dockerfile"), "FROM " + base + "\nLABEL " + ImageLabels.BASE_IMAGES + "=\""
                + base + "\"\n");
        String built = upstream.host() + "/platform/ecr-watched-" + unique + ":10.0-1.0.0";
        DockerEngine.docker("build", "-q", "-t", built, context.toString());
        DockerEngine.docker("push", "-q", built);
        DockerEngine.docker("rmi", built);
        ecr.importImage(ImageReference.parse(built), REPOSITORY, "10.0-1.0.0");

        Files.createDirectories(platformImages.resolve(IMAGE));
        Files.writeString(platformImages.resolve(IMAGE + "/Dockerfile"), "FROM " + base.withDigest(null) + "\nUSER 1654\n");
        Files.writeString(platformImages.resolve(IMAGE + "/platform-image.yaml"),
                "target: {repository: " + REPOSITORY + ", tagPrefix: '10.0', extraTags: [latest]}\n");
        watcher = ServiceProcess.start(Paths.get("").toAbsolutePath(), Map.ofEntries(
                Map.entry("kafka.bootstrap.servers", KafkaBroker.bootstrapServers()),
                Map.entry("freshen.platform-images-dir", platformImages.toString()),
                Map.entry("freshen.target-registry", ecr.registryHost()),
                Map.entry("freshen.watcher.api-key", API_KEY),
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
        if (watcher != null) {
            watcher.close();
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
    void whatThePublishedVersionWasBuiltFromIsReadFromEcr() {
        api().post("/api/v1/images/" + IMAGE + "/check").then().statusCode(200)
                .body("result", equalTo("UP_TO_DATE"))
                .body("builtFrom.versionTag", equalTo("10.0-1.0.0"));
        assertTrue(ecr.calls("GetAuthorizationToken").size() >= 1, "the watcher logged in through ECR");
    }

    /** Runs after the others: the watcher used exactly the IAM actions docs/iam/watcher.json allows. */
    @Test
    @Order(Integer.MAX_VALUE)
    void theIamPolicyInTheDocsAllowsExactlyWhatTheWatcherDid() {
        ecr.recording().verify(PRINCIPAL, Path.of("../docs/iam/watcher.json"), Path.of("target/iam/watcher.json"));
    }

    private static RequestSpecification api() {
        return given().baseUri(watcher.baseUri().toString()).header("Authorization", "Bearer " + API_KEY);
    }
}
