package dev.freshen.publisher.ecr;

import dev.freshen.descriptor.PlatformImageCatalog;
import dev.freshen.ecr.setup.Encryption;
import dev.freshen.ecr.setup.LayoutSettings;
import dev.freshen.ecr.setup.TagMutability;
import dev.freshen.events.FailureKind;
import dev.freshen.events.FreshenEvent;
import dev.freshen.events.ImagePublished;
import dev.freshen.events.ImageVerified;
import dev.freshen.events.PipelineFailed;
import dev.freshen.events.image.ImageReference;
import dev.freshen.publisher.CandidateImages;
import dev.freshen.publisher.PublishFailure;
import dev.freshen.publisher.PublishSettings;
import dev.freshen.publisher.PublishStage;
import dev.freshen.registry.Credentials;
import dev.freshen.registry.RegistryClient;
import dev.freshen.registry.RegistrySettings;
import dev.freshen.retry.RetryPolicy;
import dev.freshen.testing.EcrApiServer;
import dev.freshen.testing.HtpasswdRegistry;
import dev.freshen.testing.SampleEvents;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.services.ecr.EcrClient;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The publish stage with {@link EcrTargetRegistry} and the real AWS SDK client (3 attempts per call, as the
 * publisher's SDK retry strategy does with its settings) against the ECR double, for each ECR answer the double gives:
 * redelivery is a no-op for both "already exists" exceptions, throttling is retried by the SDK and then ends the run
 * as transient, quotas and a repository deleted meanwhile end it permanently with a hint, and retention deletes old
 * versions with {@code BatchDeleteImage}. (An immutable version tag taken meanwhile, which recomputes the version, is
 * in {@code EcrPublishIT}.)
 */
class EcrPublishAnswersIT {

    private static final String KEY = "AKIAFRESHENANSWERS01";
    private static final String SECRET = "answers/" + UUID.randomUUID();
    private static final String PASSWORD = "pw-" + UUID.randomUUID();
    private static final String PREFIX = "10.0-noble";
    private static final String STAGING = "platform/answers/staging";

    private static HtpasswdRegistry registry;
    private static EcrApiServer server;
    private static RegistryClient oci;
    private static EcrClient ecr;
    private static PublishStage stage;

    @BeforeAll
    static void start(@TempDir Path root) throws IOException {
        registry = HtpasswdRegistry.start("AWS", PASSWORD);
        server = EcrApiServer.start(registry, "AWS", PASSWORD, KEY, SECRET);
        oci = new RegistryClient(RegistrySettings.defaults().withCredentials(server.registryHost(), new Credentials("AWS", PASSWORD)));
        BackoffStrategy backoff = BackoffStrategy.fixedDelay(Duration.ofMillis(20));
        ecr = EcrClient.builder().region(Region.US_EAST_1).endpointOverride(server.endpoint())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(KEY, SECRET)))
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.standardRetryStrategy().toBuilder()
                        .maxAttempts(3).backoffStrategy(backoff).throttlingBackoffStrategy(backoff).build()))
                .build();
        descriptor(root, "immutable", "['run-{runId}']", "");
        descriptor(root, "mutable", "[latest, 'run-{runId}']", "");
        descriptor(root, "throttled", "[latest]", "");
        descriptor(root, "limited", "[latest, '10.0']", "");
        descriptor(root, "vanished", "[latest]", "");
        descriptor(root, "retained", "[latest, 'run-{runId}']", ", retention: {keepVersions: 2}");
        server.createRepository("platform/answers/immutable", "IMMUTABLE", List.of(), false);
        server.createRepository("platform/answers/mutable", "MUTABLE", List.of(), false);
        server.createRepository(STAGING, "MUTABLE", List.of(), false);
        EcrTargetRegistry target = new EcrTargetRegistry(ecr, server.registryHost(), new EcrSettings(EcrApiServer.ACCOUNT_ID),
                new LayoutSettings(TagMutability.IMMUTABLE_WITH_EXCLUSION, List.of(), false, Encryption.AES256,
                        LayoutSettings.DEFAULT_STAGING, 7), () -> new PlatformImageCatalog(root).scan().images().values(),
                RegistrySettings.defaults(), Clock.systemUTC());
        stage = new PublishStage(new PlatformImageCatalog(root)::scan, target,
                new PublishSettings(new RetryPolicy(2, Duration.ZERO, Duration.ZERO), 4), Clock.systemUTC());
    }

    @AfterAll
    static void stop() {
        if (ecr != null) {
            ecr.close();
        }
        if (server != null) {
            server.close();
        }
        if (registry != null) {
            registry.close();
        }
    }

    @Test
    void aRedeliveredPublishIsANoOpWhenEcrAnswersEitherAlreadyExistsException() {
        for (String name : List.of("immutable", "mutable")) {
            String repository = "platform/answers/" + name;
            ImageVerified event = verified(name);
            ImagePublished first = assertInstanceOf(ImagePublished.class, stage.publish(event));
            int before = server.calls("PutImage", repository).size();

            ImagePublished again = assertInstanceOf(ImagePublished.class, stage.publish(event), name);

            assertEquals(first.image(), again.image(), name);
            assertEquals(first.tags(), again.tags(), name);
            var reputs = server.calls("PutImage", repository).subList(before, server.calls("PutImage", repository).size());
            assertEquals(Set.of(name.equals("immutable") ? "ImageTagAlreadyExistsException" : "ImageAlreadyExistsException"),
                    reputs.stream().map(EcrApiServer.Call::errorType).collect(java.util.stream.Collectors.toSet()),
                    name + ": the extra tags were put again and ECR said they exist: " + reputs);
            assertEquals(Set.of(PREFIX + "-1.0.0"), versionTags(repository), name);
        }
    }

    @Test
    void throttlingIsRetriedByTheSdkAndWhenItLastsEndsTheRunAsTransient() {
        server.throttle("PutImage", 2);
        assertInstanceOf(ImagePublished.class, stage.publish(verified("throttled")), "third attempt of the SDK");

        server.throttle("PutImage", 3);
        int before = server.calls("PutImage").size();
        PipelineFailed failed = assertInstanceOf(PipelineFailed.class, stage.publish(verified("throttled")));
        assertEquals(FailureKind.TRANSIENT_EXHAUSTED, failed.kind());
        assertEquals(PublishFailure.ECR_ERROR, failed.code());
        assertTrue(failed.reason().contains("ThrottlingException: Rate exceeded"), failed.reason());
        assertEquals(3, server.calls("PutImage").size() - before, "the SDK's three attempts, none by the stage");
    }

    @Test
    void aQuotaEndsTheRunPermanentlyWithAHint() {
        server.limits(2, 100_000); // the version tag and latest fit on the image, 10.0 does not
        try {
            PipelineFailed failed = assertInstanceOf(PipelineFailed.class, stage.publish(verified("limited")));
            assertEquals(FailureKind.PERMANENT, failed.kind());
            assertEquals(PublishFailure.ECR_LIMIT_EXCEEDED, failed.code());
            assertTrue(failed.reason().contains("LimitExceededException") && failed.reason().contains("tags per image"),
                    failed.reason());
            assertNotNull(failed.hint());
            assertTrue(failed.hint().contains("tags per image"), failed.hint());
        } finally {
            server.limits(1000, 100_000);
        }
        server.failNext("PutImage", "LimitExceededException", 1);
        int before = server.calls("PutImage", "platform/answers/limited").size();
        PipelineFailed general = assertInstanceOf(PipelineFailed.class, stage.publish(verified("limited")));
        assertEquals(PublishFailure.ECR_LIMIT_EXCEEDED, general.code());
        assertEquals(1, server.calls("PutImage", "platform/answers/limited").size() - before, "not retried");
    }

    @Test
    void aRepositoryDeletedMeanwhileEndsTheRunPermanentlyWithAHint() {
        server.failNext("PutImage", "RepositoryNotFoundException", 1);
        PipelineFailed failed = assertInstanceOf(PipelineFailed.class, stage.publish(verified("vanished")));
        assertEquals(FailureKind.PERMANENT, failed.kind());
        assertEquals(PublishFailure.ECR_REPOSITORY_MISSING, failed.code());
        assertTrue(failed.reason().contains("RepositoryNotFoundException: The repository with name 'platform/answers/vanished'"),
                failed.reason());
        assertTrue(failed.hint().contains("deleted"), failed.hint());
    }

    @Test
    void retentionDeletesOldVersionsWithBatchDeleteImageAndKeepsLatest() {
        for (int i = 0; i < 4; i++) {
            assertInstanceOf(ImagePublished.class, stage.publish(verified("retained")));
        }
        assertEquals(Set.of(PREFIX + "-1.2.0", PREFIX + "-1.3.0"), versionTags("platform/answers/retained"));
        assertTrue(tags("platform/answers/retained").contains("latest"));
        assertEquals(2, tags("platform/answers/retained").stream().filter(t -> t.startsWith("run-")).count(),
                "the run tags of the deleted versions went with them (ECR deletes by tag)");
        var deletes = server.calls("BatchDeleteImage", "platform/answers/retained");
        assertEquals(2, deletes.size(), "one request per publish with something to delete: " + deletes);
        assertTrue(deletes.stream().allMatch(c -> c.status() == 200));

        server.failNext("BatchDeleteImage", "AccessDeniedException", 1);
        ImagePublished published = assertInstanceOf(ImagePublished.class, stage.publish(verified("retained")),
                "a failed delete does not fail the run");
        assertEquals("1.4.0", published.version());
        assertEquals(Set.of(PREFIX + "-1.2.0", PREFIX + "-1.3.0", PREFIX + "-1.4.0"), versionTags("platform/answers/retained"));
        assertInstanceOf(ImagePublished.class, stage.publish(verified("retained")));
        assertEquals(Set.of(PREFIX + "-1.4.0", PREFIX + "-1.5.0"), versionTags("platform/answers/retained"),
                "the next publish caught up");
    }

    /** A candidate staged in the staging repository, as the tester verified it. */
    private static ImageVerified verified(String name) {
        String runId = SampleEvents.runId();
        ImageReference candidate = CandidateImages.push(oci, server.registryHost(), STAGING, "candidate-" + runId, runId);
        return CandidateImages.verified(runId, "answers/" + name, candidate);
    }

    private static Set<String> tags(String repository) {
        return new TreeSet<>(oci.tags(server.registryHost(), repository));
    }

    private static Set<String> versionTags(String repository) {
        Set<String> versions = new TreeSet<>(tags(repository));
        versions.removeIf(t -> !t.startsWith(PREFIX + "-"));
        return versions;
    }

    private static void descriptor(Path root, String name, String extraTags, String more) throws IOException {
        Path dir = Files.createDirectories(root.resolve("answers/" + name));
        Files.writeString(dir.resolve("Dockerfile"), "FROM 127.0.0.1:5000/dotnet/runtime:10.0\n");
        Files.writeString(dir.resolve("platform-image.yaml"), "target: {repository: platform/answers/" + name
                + ", tagPrefix: " + PREFIX + ", extraTags: " + extraTags + more + "}\n");
    }
}
