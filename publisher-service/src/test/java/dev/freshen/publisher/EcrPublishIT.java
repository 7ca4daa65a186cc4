package dev.freshen.publisher;

import dev.freshen.events.FailureKind;
import dev.freshen.events.ImagePublished;
import dev.freshen.events.ImageVerified;
import dev.freshen.events.PipelineFailed;
import dev.freshen.events.image.Digest;
import dev.freshen.events.image.ImageReference;
import dev.freshen.registry.Credentials;
import dev.freshen.registry.RegistryClient;
import dev.freshen.registry.RegistrySettings;
import dev.freshen.testing.EcrApiServer;
import dev.freshen.testing.EventTopics;
import dev.freshen.testing.HtpasswdRegistry;
import dev.freshen.testing.KafkaBroker;
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
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Collectors;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The packaged publisher with {@code kind=ecr} against {@link EcrApiServer} (the ECR JSON 1.1 API, SigV4-checked, and
 * its registry endpoint) backed by a real registry with htpasswd authentication: repository creation at start-up, candidates
 * mounted or copied from a staging repository, immutable tag conflicts, throttling, access denied, idempotency and two
 * runs at once. ListImages is served in pages of two, so every listing paginates. Last, what the publisher did is held
 * to its IAM policy in docs/iam.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EcrPublishIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(90);
    private static final String PREFIX = "10.0-noble";
    private static final String PRINCIPAL = "publisher";
    private static final String ACCESS_KEY = "AKIAFRESHENTEST00001";
    private static final String SECRET_KEY = "freshen/test/secret/" + UUID.randomUUID();
    private static final String REGISTRY_PASSWORD = "ecr-" + UUID.randomUUID();

    private static HtpasswdRegistry registry;
    private static EcrApiServer ecr;
    private static RegistryClient client;
    private static EventTopics topics;
    private static ServiceProcess publisher;

    @BeforeAll
    static void start(@TempDir Path platformImages) throws IOException {
        registry = HtpasswdRegistry.start("AWS", REGISTRY_PASSWORD);
        ecr = EcrApiServer.start(registry, "AWS", REGISTRY_PASSWORD, new EcrApiServer.Principal(PRINCIPAL, ACCESS_KEY,
                SECRET_KEY));
        ecr.maxPageSize(2);
        client = new RegistryClient(RegistrySettings.defaults().withCredentials(ecr.registryHost(),
                new Credentials("AWS", REGISTRY_PASSWORD)));
        topics = new EventTopics(KafkaBroker.bootstrapServers());
        for (String name : List.of("created", "copied", "conflict", "throttled", "denied", "together", "redelivered",
                "retained", "cleaned")) {
            Path dir = Files.createDirectories(platformImages.resolve("platform/ecr/" + name));
            Files.writeString(dir.resolve("Dockerfile"), "FROM 127.0.0.1:5000/dotnet/runtime:10.0\n");
            Files.writeString(dir.resolve("platform-image.yaml"), "target: {repository: platform/ecr/" + name + ", tagPrefix: "
                    + PREFIX + (name.equals("retained") ? ", extraTags: [latest], retention: {keepVersions: 1}}\n"
                    : ", extraTags: ['10.0', latest, 'run-{runId}']}\n"));
        }
        for (String name : List.of("conflict", "throttled", "denied", "together", "redelivered")) {
            ecr.createRepository("platform/ecr/" + name, "IMMUTABLE_WITH_EXCLUSION", List.of("latest", "10.0"), false);
        }
        // an existing staging repository: its lifecycle policy is read (GetLifecyclePolicy) and its drift reported
        ecr.createRepository("platform/ecr/conflict-staging", "MUTABLE", List.of(), true);
        publisher = ServiceProcess.start(Paths.get("").toAbsolutePath(), Map.ofEntries(
                Map.entry("kafka.bootstrap.servers", KafkaBroker.bootstrapServers()),
                Map.entry("freshen.platform-images-dir", platformImages.toString()),
                Map.entry("freshen.target-registry", ecr.registryHost()),
                Map.entry("freshen.publisher.kind", "ecr"),
                Map.entry("freshen.publisher.ecr.endpoint", ecr.endpoint().toString()),
                Map.entry("freshen.publisher.ecr.region", EcrApiServer.REGION),
                Map.entry("freshen.publisher.ecr.registry-id", EcrApiServer.ACCOUNT_ID),
                Map.entry("freshen.publisher.ecr.exclusion-filters", "dev-*"),
                Map.entry("freshen.publisher.initial-backoff", "200ms"),
                Map.entry("freshen.registries.initial-backoff", "100ms"),
                Map.entry("aws.accessKeyId", ACCESS_KEY),
                Map.entry("aws.secretAccessKey", SECRET_KEY),
                Map.entry("aws.disableEc2Metadata", "true")), TIMEOUT);
    }

    @AfterAll
    static void stop() {
        if (publisher != null) {
            publisher.close();
        }
        if (ecr != null) {
            ecr.close();
        }
        if (registry != null) {
            registry.close();
        }
        topics.close();
    }

    @Test
    void aMissingRepositoryIsCreatedAtStartUpWithTheLayoutsSettingsAndTheCandidateMountedWithTheEcrToken() {
        ImageReference staged = CandidateImages.push(client, ecr.registryHost(), "platform/staging/created", "candidate-x",
                SampleEvents.runId());
        ImagePublished published = publish("platform/ecr/created", staged);

        assertEquals("1.0.0", published.version());
        assertEquals(ecr.registryHost() + "/platform/ecr/created:" + PREFIX + "-1.0.0@" + staged.digest(), published.image().toString());
        EcrApiServer.Repository created = ecr.repository("platform/ecr/created").orElseThrow();
        assertEquals("MUTABLE_WITH_EXCLUSION", created.tagMutability());
        assertEquals(List.of("10.0-noble-*.*.*", "run-*", "dev-*"), created.exclusionFilters());
        assertTrue(created.scanOnPush());
        assertEquals("MUTABLE", ecr.repository("platform/ecr/created-staging").orElseThrow().tagMutability());
        assertTrue(ecr.lifecyclePolicy("platform/ecr/created-staging").isPresent());
        assertEquals("RepositoryNotFoundException", ecr.calls("DescribeRepositories", "platform/ecr/created").get(0).errorType());
        assertEquals(1, ecr.calls("CreateRepository", "platform/ecr/created").size());
        assertFalse(ecr.calls("GetAuthorizationToken").isEmpty(), "the token logged the distribution API in");
        for (String tag : published.tags()) {
            assertEquals(Optional.of(staged.digest()), digestOf("platform/ecr/created", tag), "read back " + tag);
        }
    }

    @Test
    void whereEcrWillNotMountTheCandidateIsCopiedLayerByLayer() {
        ImageReference staged = CandidateImages.push(client, ecr.registryHost(), "platform/staging/copied", "candidate-y",
                SampleEvents.runId());
        ecr.blobMounting(false);
        try {
            ImagePublished published = publish("platform/ecr/copied", staged);

            assertEquals(Optional.of(staged.digest()), digestOf("platform/ecr/copied", published.image().tag()));
            var used = ecr.recording().of(PRINCIPAL);
            String target = EcrApiServer.REPOSITORY_ARN_PREFIX + "platform/ecr/copied";
            for (String upload : List.of("ecr:InitiateLayerUpload", "ecr:UploadLayerPart", "ecr:CompleteLayerUpload")) {
                assertTrue(used.getOrDefault(upload, new TreeSet<>()).contains(target), upload + " " + used);
            }
            assertTrue(used.get("ecr:GetDownloadUrlForLayer").contains(EcrApiServer.REPOSITORY_ARN_PREFIX
                    + "platform/staging/copied"), "the layers were read from the staging repository: " + used);
        } finally {
            ecr.blobMounting(true);
        }
    }

    @Test
    void anImmutableVersionTagTakenMeanwhileIsRetriedWithARecomputedVersionWhileLatestMoves() {
        ImagePublished first = publish("platform/ecr/conflict", candidate("conflict"));
        assertEquals("1.0.0", first.version());
        ImageReference rival = candidate("conflict");
        client.putManifest(ecr.registryHost(), "platform/ecr/conflict", "rival", client.manifest(rival).orElseThrow());

        ecr.giveNextPutTagTo("platform/ecr/conflict", "rival");
        ImageReference mine = candidate("conflict");
        ImagePublished second = publish("platform/ecr/conflict", mine);

        assertEquals("1.2.0", second.version());
        assertEquals(Optional.of(rival.digest()), digestOf("platform/ecr/conflict", PREFIX + "-1.1.0"));
        assertEquals(Optional.of(mine.digest()), digestOf("platform/ecr/conflict", PREFIX + "-1.2.0"));
        assertEquals(Optional.of(mine.digest()), digestOf("platform/ecr/conflict", "latest"), "excluded from immutability");
        assertTrue(ecr.calls("PutImage", "platform/ecr/conflict").stream()
                .anyMatch(c -> "ImageTagAlreadyExistsException".equals(c.errorType())));
    }

    @Test
    void throttlingIsRetriedWithBackoffUntilItSucceeds() {
        ImageReference candidate = candidate("throttled");
        ecr.throttle("ListImages", 2);
        ecr.throttle("PutImage", 2);
        ImagePublished published = publish("platform/ecr/throttled", candidate);

        assertEquals("1.0.0", published.version());
        assertEquals(Optional.of(candidate.digest()), digestOf("platform/ecr/throttled", PREFIX + "-1.0.0"));
        for (String operation : List.of("ListImages", "PutImage")) {
            List<EcrApiServer.Call> calls = ecr.calls(operation, "platform/ecr/throttled");
            assertEquals(List.of("ThrottlingException", "ThrottlingException"), calls.subList(0, 2).stream()
                    .map(EcrApiServer.Call::errorType).toList(), operation);
            assertEquals(200, calls.get(2).status(), operation + " succeeded on the third attempt");
        }
    }

    @Test
    void accessDeniedFailsTheRunWithTheAwsErrorCodeAndPublishesNothing() {
        ImageReference candidate = candidate("denied");
        ecr.deny("PutImage");
        try {
            ImageVerified event = CandidateImages.verified(SampleEvents.runId(), "platform/ecr/denied", candidate);
            topics.send(event);
            PipelineFailed failed = topics.awaitEvent(PipelineFailed.class, e -> e.runId().equals(event.runId()), TIMEOUT);

            assertEquals(FailureKind.PERMANENT, failed.kind());
            assertTrue(failed.reason().startsWith("ECR PutImage of ") && failed.reason().contains("platform/ecr/denied:" + PREFIX
                    + "-1.0.0") && failed.reason().contains("failed: AccessDeniedException: User: arn:aws:iam::"),
                    failed.reason());
            assertFalse(failed.reason().contains(SECRET_KEY) || failed.reason().contains(REGISTRY_PASSWORD));
            assertEquals(1, ecr.calls("PutImage", "platform/ecr/denied").size(), "a permanent error is not retried");
            assertEquals(Set.of(), versionTags("platform/ecr/denied"));
            assertFalse(publisher.logText().contains(SECRET_KEY) || publisher.logText().contains(REGISTRY_PASSWORD));
        } finally {
            ecr.allow("PutImage");
        }
    }

    @Test
    void aRedeliveredEventGetsTheSameVersionFromTheRegistry() {
        ImageVerified event = CandidateImages.verified(SampleEvents.runId(), "platform/ecr/redelivered", candidate("redelivered"));
        topics.send(event);
        ImagePublished first = topics.awaitEvent(ImagePublished.class, e -> e.runId().equals(event.runId()), TIMEOUT);
        publish("platform/ecr/redelivered", candidate("redelivered"));
        topics.send(event);
        topics.awaitRecords(dev.freshen.events.Topics.IMAGE_PUBLISHED, r -> new String(r.value()).contains(event.runId()),
                2, TIMEOUT);
        assertEquals(Set.of(PREFIX + "-1.0.0", PREFIX + "-1.1.0"), versionTags("platform/ecr/redelivered"));
        assertEquals(Optional.of(first.digest()), digestOf("platform/ecr/redelivered", PREFIX + "-1.0.0"));
    }

    @Test
    void twoRunsOfOneImageAtOnceGetTwoVersions() {
        ImageVerified a = CandidateImages.verified(SampleEvents.runId(), "platform/ecr/together", candidate("together"));
        ImageVerified b = CandidateImages.verified(SampleEvents.runId(), "platform/ecr/together", candidate("together"));
        topics.send(a);
        topics.send(b);
        ImagePublished one = topics.awaitEvent(ImagePublished.class, e -> e.runId().equals(a.runId()), TIMEOUT);
        ImagePublished two = topics.awaitEvent(ImagePublished.class, e -> e.runId().equals(b.runId()), TIMEOUT);

        assertEquals(Set.of("1.0.0", "1.1.0"), Set.of(one.version(), two.version()));
        assertEquals(Optional.of(a.candidate().digest()), digestOf("platform/ecr/together", one.image().tag()));
        assertEquals(Optional.of(b.candidate().digest()), digestOf("platform/ecr/together", two.image().tag()));
    }

    @Test
    void retentionDeletesTheVersionBeforeWithBatchDeleteImage() {
        // staged in another repository: a candidate tag beside the versions would hold the old image
        ImagePublished first = publish("platform/ecr/retained", CandidateImages.push(client, ecr.registryHost(),
                "platform/staging/retained", "candidate-1", SampleEvents.runId()));
        ImagePublished second = publish("platform/ecr/retained", CandidateImages.push(client, ecr.registryHost(),
                "platform/staging/retained", "candidate-2", SampleEvents.runId()));

        assertEquals(Set.of(PREFIX + "-1.1.0"), versionTags("platform/ecr/retained"));
        assertEquals(Optional.of(second.digest()), digestOf("platform/ecr/retained", "latest"));
        assertEquals(Optional.empty(), digestOf("platform/ecr/retained", first.image().tag()));
        assertEquals(1, ecr.calls("BatchDeleteImage", "platform/ecr/retained").size());
    }

    @Test
    void theCandidateIsDeletedFromItsStagingRepositoryOnceTheRunHasEndedAndARedeliveryStillPublishes() {
        String staging = "platform/ecr/cleaned-staging";
        ecr.createRepository(staging, "MUTABLE", List.of(), false);
        String runId = SampleEvents.runId();
        ImageReference staged = CandidateImages.push(client, ecr.registryHost(), staging, "candidate-" + runId, runId);
        ImageVerified event = CandidateImages.verified(runId, "platform/ecr/cleaned", staged);
        topics.send(event);
        ImagePublished published = topics.awaitEvent(ImagePublished.class, e -> e.runId().equals(runId), TIMEOUT);
        await().atMost(TIMEOUT).until(() -> digestOf(staging, "candidate-" + runId).isEmpty());
        assertEquals(Optional.of(staged.digest()), digestOf("platform/ecr/cleaned", published.image().tag()));
        assertTrue(ecr.calls("BatchDeleteImage", staging).stream().anyMatch(c -> c.status() == 200));

        topics.send(event); // redelivered after its candidate left staging: announced again, nothing new
        topics.awaitRecords(dev.freshen.events.Topics.IMAGE_PUBLISHED, r -> new String(r.value()).contains(runId), 2, TIMEOUT);
        assertEquals(Set.of(PREFIX + "-1.0.0"), versionTags("platform/ecr/cleaned"));

        String failedRun = SampleEvents.runId();
        ImageReference failedCandidate = CandidateImages.push(client, ecr.registryHost(), staging, "candidate-" + failedRun,
                failedRun);
        topics.send(new PipelineFailed(failedRun, "platform/ecr/cleaned", 1, java.time.Instant.now(),
                dev.freshen.events.Stage.TEST, FailureKind.PERMANENT, "the test app exited", null,
                dev.freshen.events.Trigger.baseImageUpdated()).withCandidate(failedCandidate));
        await().atMost(TIMEOUT).until(() -> digestOf(staging, "candidate-" + failedRun).isEmpty());
        assertEquals(Set.of(PREFIX + "-1.0.0"), versionTags("platform/ecr/cleaned"), "a failed run publishes nothing");
    }

    /**
     * Runs after the others: the publisher used exactly the IAM actions docs/iam/publisher.json allows (a new call
     * without a policy update fails here, and so does an allowed action nothing used).
     */
    @Test
    @Order(Integer.MAX_VALUE)
    void theIamPolicyInTheDocsAllowsExactlyWhatThePublisherDid() {
        ecr.recording().verify(PRINCIPAL, Path.of("../docs/iam/publisher.json"), Path.of("target/iam/publisher.json"));
    }

    private static ImagePublished publish(String imageId, ImageReference candidate) {
        ImageVerified event = CandidateImages.verified(SampleEvents.runId(), imageId, candidate);
        topics.send(event);
        return topics.awaitEvent(ImagePublished.class, e -> e.runId().equals(event.runId()), TIMEOUT);
    }

    /** A candidate staged in the image's own ECR repository (staging-repository={repository}). */
    private static ImageReference candidate(String name) {
        String runId = SampleEvents.runId();
        return CandidateImages.push(client, ecr.registryHost(), "platform/ecr/" + name, "candidate-" + runId, runId);
    }

    private static Optional<Digest> digestOf(String repository, String tag) {
        return client.manifestDigest(ImageReference.parse(ecr.registryHost() + "/" + repository + ":" + tag));
    }

    private static Set<String> versionTags(String repository) {
        return client.tags(ecr.registryHost(), repository).stream().filter(t -> t.startsWith(PREFIX + "-"))
                .collect(Collectors.toSet());
    }
}
