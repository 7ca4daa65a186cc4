package dev.freshen.publisher;

import dev.freshen.ecr.setup.LifecyclePolicy;
import dev.freshen.testing.EcrApiServer;
import dev.freshen.testing.HtpasswdRegistry;
import dev.freshen.testing.KafkaBroker;
import dev.freshen.testing.ServiceProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The packaged publisher with {@code kind=ecr} at start-up, against {@link EcrApiServer}: it creates the missing
 * target and staging repositories of a layout where three images share one repository (as the shipped .NET runtime
 * images do), reports the drift of existing repositories in its log without changing them, says that blob mounting is
 * off, and refuses to start when the layout cannot be expressed in ECR; the shipped platform-images/ start it cleanly.
 */
class EcrSetupIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(90);
    private static final String ACCESS_KEY = "AKIAFRESHENSETUP0001";
    private static final String SECRET_KEY = "freshen/test/secret/" + UUID.randomUUID();
    private static final String REGISTRY_PASSWORD = "ecr-" + UUID.randomUUID();

    private static HtpasswdRegistry registry;
    private static EcrApiServer ecr;

    @BeforeAll
    static void start() {
        registry = HtpasswdRegistry.start("AWS", REGISTRY_PASSWORD);
        ecr = EcrApiServer.start(registry, "AWS", REGISTRY_PASSWORD, new EcrApiServer.Principal("publisher", ACCESS_KEY,
                SECRET_KEY));
    }

    @AfterAll
    static void stop() {
        if (ecr != null) {
            ecr.close();
        }
        if (registry != null) {
            registry.close();
        }
    }

    @Test
    void startUpCreatesSharedAndStagingRepositoriesAndReportsDriftWithoutChangingAnything(@TempDir Path images)
            throws IOException {
        image(images, "net10/runtime", "platform/shared/runtime", "10.0-noble", "'10.0', 10.0-noble, latest");
        image(images, "net10/runtime-chiseled", "platform/shared/runtime", "10.0-noble-chiseled", "10.0-noble-chiseled");
        image(images, "net11/runtime", "platform/shared/runtime", "11.0-resolute", "'11.0', 11.0-resolute");
        image(images, "net10/aspnet", "platform/shared/aspnet", "10.0-noble", "'10.0', latest");
        ecr.createRepository("platform/shared/aspnet", "IMMUTABLE_WITH_EXCLUSION", List.of("latest"), false,
                new EcrApiServer.Encryption("KMS", "arn:aws:kms:us-east-1:123456789012:key/old"));
        ecr.createRepository("platform/shared/aspnet-staging", "MUTABLE", List.of(), true);
        ecr.blobMounting(false);
        try (ServiceProcess publisher = ServiceProcess.start(Paths.get("").toAbsolutePath(), config(images, Map.of()),
                TIMEOUT)) {
            EcrApiServer.Repository runtime = ecr.repository("platform/shared/runtime").orElseThrow();
            assertEquals("MUTABLE_WITH_EXCLUSION", runtime.tagMutability());
            assertEquals(List.of("10.0-noble-*.*.*", "11.0-resolute-*.*.*"), runtime.exclusionFilters());
            assertTrue(runtime.scanOnPush());
            for (String moving : List.of("10.0", "10.0-noble", "latest", "10.0-noble-chiseled", "11.0", "11.0-resolute")) {
                assertFalse(runtime.isImmutable(moving), moving);
            }
            for (String version : List.of("10.0-noble-1.0.0", "10.0-noble-chiseled-1.3.0", "11.0-resolute-2.0.0")) {
                assertTrue(runtime.isImmutable(version), version);
            }
            assertEquals(EcrApiServer.Encryption.AES256, ecr.encryption("platform/shared/runtime"));
            EcrApiServer.Repository staging = ecr.repository("platform/shared/runtime-staging").orElseThrow();
            assertEquals("MUTABLE", staging.tagMutability());
            assertTrue(staging.scanOnPush());
            assertEquals(EcrApiServer.Encryption.AES256, ecr.encryption("platform/shared/runtime-staging"));
            assertTrue(LifecyclePolicy.sameDocument(LifecyclePolicy.document("candidate-", 7),
                    ecr.lifecyclePolicy("platform/shared/runtime-staging").orElseThrow()));
            assertEquals(1, ecr.calls("CreateRepository", "platform/shared/runtime").size());

            String log = publisher.logText();
            assertTrue(log.contains("ECR repository platform/shared/aspnet: tag mutability is IMMUTABLE_WITH_EXCLUSION "
                    + "(filters: latest), wanted MUTABLE_WITH_EXCLUSION (immutable: 10.0-noble-*.*.*); fix: aws ecr "
                    + "put-image-tag-mutability --registry-id 123456789012 --repository-name platform/shared/aspnet "
                    + "--image-tag-mutability MUTABLE_WITH_EXCLUSION --image-tag-mutability-exclusion-filters "
                    + "filterType=WILDCARD,filter=10.0-noble-*.*.*"), log);
            assertTrue(log.contains("ECR repository platform/shared/aspnet: scan on push is off, wanted on; fix: aws ecr "
                    + "put-image-scanning-configuration --registry-id 123456789012 --repository-name platform/shared/aspnet "
                    + "--image-scanning-configuration scanOnPush=true"), log);
            assertTrue(log.contains("ECR repository platform/shared/aspnet: encryption is KMS "
                    + "arn:aws:kms:us-east-1:123456789012:key/old, wanted AES256; fix: the encryption of an ECR repository "
                    + "cannot be changed"), log);
            assertTrue(log.contains("ECR repository platform/shared/aspnet-staging: lifecycle policy is none, wanted "
                    + "Freshen's"), log);
            assertTrue(log.contains("ECR blob mounting is off in registry 123456789012: candidates are copied"), log);
            assertEquals(0, ecr.calls("CreateRepository", "platform/shared/aspnet").size(), "existing: left alone");
            assertEquals(0, ecr.calls("PutLifecyclePolicy", "platform/shared/aspnet-staging").size(), "never changed");
            assertEquals("IMMUTABLE_WITH_EXCLUSION", ecr.repository("platform/shared/aspnet").orElseThrow().tagMutability());
            assertFalse(log.contains("ECR repository platform/shared/runtime:"), "no drift for what was just created");
        } finally {
            ecr.blobMounting(true);
        }
    }

    @Test
    void aLayoutEcrCannotExpressStopsTheStartNamingTheImagesAndTags(@TempDir Path images) throws IOException {
        image(images, "net10/runtime", "platform/refused/runtime", "10.0-noble", "'10.0', 10.0-noble, latest");
        image(images, "net10/runtime-chiseled", "platform/refused/runtime", "10.0-noble-chiseled", "10.0-noble-chiseled");
        image(images, "net11/runtime", "platform/refused/runtime", "11.0-resolute", "'11.0', 11.0-resolute");

        ServiceProcess.Exit exit = ServiceProcess.startExpectingExit(Paths.get("").toAbsolutePath(), config(images,
                Map.of("freshen.publisher.ecr.tag-mutability", "immutable-with-exclusion")), TIMEOUT);

        assertNotEquals(0, exit.code());
        assertTrue(exit.log().contains("the ECR repositories cannot be set up for these platform images: repository "
                + "platform/refused/runtime would need 6 tag mutability exclusion filters (10.0, 10.0-noble, latest, "
                + "10.0-noble-chiseled, 11.0, 11.0-resolute) for net10/runtime, net10/runtime-chiseled, net11/runtime, "
                + "ECR allows 5; use tag mutability mutable-with-exclusion"), exit.log());
        assertTrue(ecr.repository("platform/refused/runtime").isEmpty(), "nothing created");
        assertTrue(ecr.calls("CreateRepository", "platform/refused/runtime").isEmpty());
    }

    @Test
    void theShippedPlatformImagesStartThePublisherAndGetTheirRepositories() {
        Path shipped = Paths.get("..", "platform-images").toAbsolutePath().normalize();
        try (ServiceProcess publisher = ServiceProcess.start(Paths.get("").toAbsolutePath(), config(shipped, Map.of()),
                TIMEOUT)) {
            for (String name : List.of("runtime", "aspnet", "sdk")) {
                EcrApiServer.Repository target = ecr.repository("platform/dotnet/" + name).orElseThrow();
                assertEquals("MUTABLE_WITH_EXCLUSION", target.tagMutability(), name);
                assertEquals(List.of("10.0-noble-*.*.*", "11.0-resolute-*.*.*"), target.exclusionFilters(), name);
                assertTrue(ecr.lifecyclePolicy("platform/dotnet/" + name + "-staging").isPresent(), name);
            }
            assertFalse(publisher.logText().contains("cannot be set up"), publisher.logText());
        }
    }

    private static Map<String, String> config(Path images, Map<String, String> more) {
        Map<String, String> config = new HashMap<>(Map.ofEntries(
                Map.entry("kafka.bootstrap.servers", KafkaBroker.bootstrapServers()),
                Map.entry("freshen.platform-images-dir", images.toString()),
                Map.entry("freshen.target-registry", ecr.registryHost()),
                Map.entry("freshen.publisher.kind", "ecr"),
                Map.entry("freshen.publisher.ecr.endpoint", ecr.endpoint().toString()),
                Map.entry("freshen.publisher.ecr.region", EcrApiServer.REGION),
                Map.entry("freshen.publisher.ecr.registry-id", EcrApiServer.ACCOUNT_ID),
                Map.entry("freshen.registries.initial-backoff", "100ms"),
                Map.entry("aws.accessKeyId", ACCESS_KEY),
                Map.entry("aws.secretAccessKey", SECRET_KEY),
                Map.entry("aws.disableEc2Metadata", "true")));
        config.putAll(more);
        return config;
    }

    /** A platform image folder: a Dockerfile and a descriptor with its target. */
    static void image(Path root, String id, String repository, String prefix, String extraTags) throws IOException {
        Path dir = Files.createDirectories(root.resolve(id));
        Files.writeString(dir.resolve("Dockerfile"), "FROM 127.0.0.1:5000/dotnet/runtime:10.0\n");
        Files.writeString(dir.resolve("platform-image.yaml"), "target: {repository: " + repository + ", tagPrefix: "
                + prefix + ", extraTags: [" + extraTags + "]}\n");
    }
}
