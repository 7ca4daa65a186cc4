package dev.freshen.publisher;

import dev.freshen.descriptor.PlatformImage;
import dev.freshen.descriptor.PlatformImageCatalog;
import dev.freshen.ecr.setup.Encryption;
import dev.freshen.ecr.setup.LayoutSettings;
import dev.freshen.ecr.setup.TagMutability;
import dev.freshen.events.ImagePublished;
import dev.freshen.events.ImageRolledBack;
import dev.freshen.events.PipelineFailed;
import dev.freshen.events.Trigger;
import dev.freshen.events.RollbackRequested;
import dev.freshen.events.RunIds;
import dev.freshen.events.image.Digest;
import dev.freshen.events.image.ImageReference;
import dev.freshen.publisher.ecr.EcrSettings;
import dev.freshen.publisher.ecr.EcrTargetRegistry;
import dev.freshen.publisher.registry.OciTargetRegistry;
import dev.freshen.registry.Credentials;
import dev.freshen.registry.RegistryClient;
import dev.freshen.registry.RegistrySettings;
import dev.freshen.retry.RetryPolicy;
import dev.freshen.testing.EcrApiServer;
import dev.freshen.testing.EventTopics;
import dev.freshen.testing.KafkaBroker;
import dev.freshen.testing.ServiceProcess;
import dev.freshen.testing.HtpasswdRegistry;
import dev.freshen.testing.IamPolicy;
import dev.freshen.testing.LocalRegistry;
import dev.freshen.testing.SampleEvents;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ecr.EcrClient;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.Supplier;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A rollback's tag moves on real registries: the CNCF registry through the distribution API, and the ECR double (ECR
 * API, SigV4-checked, backed by a real registry) with a repository whose version tags are immutable and whose moving
 * tags are excluded (mutable), as the ECR layout keeps them. Each: two versions published, the moving tags moved back
 * to the first and read back from the registry, then a third publish moving them forward again. On ECR, what the
 * rollback did is within the publisher's IAM policy in docs/iam. And the packaged publisher as its own process, taking
 * the request off Kafka and answering {@code ImageRolledBack} or {@code PipelineFailed}.
 */
class RollbackIT {

    private static final String PREFIX = "10.0-noble";
    private static final String ACCESS_KEY = "AKIAFRESHENTEST00002";
    private static final String SECRET_KEY = "freshen/test/secret/" + UUID.randomUUID();
    private static final String ROLLBACK_KEY = "AKIAFRESHENTEST00003";
    private static final String REGISTRY_PASSWORD = "ecr-" + UUID.randomUUID();

    private static Path platformImages;
    private static HtpasswdRegistry backing;
    private static EcrApiServer ecr;

    @BeforeAll
    static void start(@TempDir Path root) throws IOException {
        platformImages = root;
        for (String name : List.of("oci", "ecr", "kafka")) {
            Path dir = Files.createDirectories(root.resolve("fixture/" + name));
            Files.writeString(dir.resolve("Dockerfile"), "FROM 127.0.0.1:5000/dotnet/runtime:10.0\n");
            Files.writeString(dir.resolve("platform-image.yaml"), "target: {repository: platform/rollback-" + name
                    + ", tagPrefix: " + PREFIX + ", extraTags: ['10.0', latest, 'run-{runId}']}\n");
        }
        backing = HtpasswdRegistry.start("AWS", REGISTRY_PASSWORD);
        ecr = EcrApiServer.start(backing, "AWS", REGISTRY_PASSWORD,
                new EcrApiServer.Principal("publisher", ACCESS_KEY, SECRET_KEY),
                new EcrApiServer.Principal("rollback", ROLLBACK_KEY, SECRET_KEY));
        ecr.createRepository("platform/rollback-ecr", "IMMUTABLE_WITH_EXCLUSION", List.of("latest", "10.0"), false);
    }

    @AfterAll
    static void stop() {
        if (ecr != null) {
            ecr.close();
        }
        if (backing != null) {
            backing.close();
        }
    }

    @Test
    void onTheCncfRegistryTheMovingTagsGoBackAndTheNextPublishMovesThemForward() {
        LocalRegistry registry = LocalRegistry.shared();
        RegistryClient client = new RegistryClient(RegistrySettings.defaults());
        OciTargetRegistry target = new OciTargetRegistry(client, registry.host());
        prove("fixture/oci", "platform/rollback-oci", client, registry.host(), target, target);
    }

    @Test
    void onEcrTheMutableMovingTagsGoBackWithinThePublishersIamPolicy() {
        RegistryClient client = new RegistryClient(RegistrySettings.defaults().withCredentials(ecr.registryHost(),
                new Credentials("AWS", REGISTRY_PASSWORD)));
        EcrSettings settings = new EcrSettings(EcrApiServer.ACCOUNT_ID);
        LayoutSettings layout = new LayoutSettings(TagMutability.IMMUTABLE_WITH_EXCLUSION, List.of(), false,
                Encryption.AES256, LayoutSettings.DEFAULT_STAGING, 7);
        Supplier<Collection<PlatformImage>> images = () -> new PlatformImageCatalog(platformImages).scan().images().values();
        try (EcrClient publishing = ecrClient(ACCESS_KEY); EcrClient rollingBack = ecrClient(ROLLBACK_KEY)) {
            prove("fixture/ecr", "platform/rollback-ecr", client, ecr.registryHost(),
                    new EcrTargetRegistry(publishing, ecr.registryHost(), settings, layout, images, RegistrySettings.defaults(),
                            Clock.systemUTC()),
                    new EcrTargetRegistry(rollingBack, ecr.registryHost(), settings, layout, images, RegistrySettings.defaults(),
                            Clock.systemUTC()));
        }
        var used = ecr.recording().of("rollback");
        assertTrue(used.containsKey("ecr:PutImage") && used.containsKey("ecr:BatchGetImage"), used.toString());
        IamPolicy policy = IamPolicy.read(Path.of("../docs/iam/publisher.json"));
        List<String> notAllowed = new ArrayList<>();
        used.forEach((action, resources) -> resources.forEach(resource -> {
            boolean allowed = policy.statements().stream().anyMatch(s -> s.actions().contains(action)
                    && s.resources().stream().anyMatch(p -> IamPolicy.matches(p.replace("REGION", EcrApiServer.REGION)
                    .replace("ACCOUNT_ID", EcrApiServer.ACCOUNT_ID), resource)));
            if (!allowed) {
                notAllowed.add(action + " on " + resource);
            }
        }));
        assertEquals(List.of(), notAllowed, "docs/iam/publisher.json must allow what the rollback did");
    }

    @Test
    void thePackagedPublisherTakesTheRequestOffKafkaMovesTheTagsAndSaysSo() {
        LocalRegistry registry = LocalRegistry.shared();
        RegistryClient client = new RegistryClient(RegistrySettings.defaults());
        String repository = "platform/rollback-kafka";
        try (EventTopics topics = new EventTopics(KafkaBroker.bootstrapServers());
             ServiceProcess publisher = ServiceProcess.start(Paths.get("").toAbsolutePath(), Map.of(
                     "kafka.bootstrap.servers", KafkaBroker.bootstrapServers(),
                     "freshen.platform-images-dir", platformImages.toString(),
                     "freshen.target-registry", registry.host()), Duration.ofSeconds(90))) {
            List<ImageReference> versions = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                String runId = SampleEvents.runId();
                ImageReference candidate = CandidateImages.push(client, registry.host(), repository, "candidate-" + runId, runId);
                topics.send(CandidateImages.verified(runId, "fixture/kafka", candidate));
                versions.add(topics.awaitEvent(ImagePublished.class, e -> e.runId().equals(runId), Duration.ofSeconds(60))
                        .image());
            }
            RollbackRequested request = new RollbackRequested(RunIds.rollback(), "fixture/kafka", 1, Instant.now(),
                    PREFIX + "-1.1.0", PREFIX + "-1.0.0", "1.1.0 breaks TLS", "api:ops");
            topics.send(request);
            ImageRolledBack back = topics.awaitEvent(ImageRolledBack.class, e -> e.runId().equals(request.runId()),
                    Duration.ofSeconds(60));
            assertEquals(versions.get(0), back.to());
            assertEquals(versions.get(1), back.from());
            for (String tag : List.of("10.0", "latest")) {
                assertEquals(Optional.of(versions.get(0).digest()), digestOf(client, registry.host(), repository, tag), tag);
            }

            RollbackRequested missing = new RollbackRequested(RunIds.rollback(), "fixture/kafka", 1, Instant.now(),
                    PREFIX + "-1.0.0", PREFIX + "-0.9.0", null, "api:ops");
            topics.send(missing);
            PipelineFailed failed = topics.awaitEvent(PipelineFailed.class, e -> e.runId().equals(missing.runId()),
                    Duration.ofSeconds(60));
            assertEquals(RollbackStage.VERSION_MISSING, failed.code());
            assertEquals(Trigger.Kind.ROLLBACK, failed.trigger().kind());
        }
    }

    private static void prove(String imageId, String repository, RegistryClient client, String host,
                              TargetRegistry publishingRegistry, TargetRegistry rollbackRegistry) {
        var catalog = new PlatformImageCatalog(platformImages);
        PublishStage publishing = new PublishStage(catalog::scan, publishingRegistry,
                new PublishSettings(new RetryPolicy(2, Duration.ZERO, Duration.ZERO), 4), Clock.systemUTC());
        RollbackStage rollback = new RollbackStage(catalog::scan, rollbackRegistry, publishing, Clock.systemUTC());
        ImageReference one = publish(publishing, client, host, repository, imageId);
        ImageReference two = publish(publishing, client, host, repository, imageId);
        assertEquals(Optional.of(two.digest()), digestOf(client, host, repository, "latest"));

        RollbackRequested request = new RollbackRequested(RunIds.rollback(), imageId, 1, Instant.now(),
                PREFIX + "-1.1.0", PREFIX + "-1.0.0", "1.1.0 breaks TLS", "api:ops");
        ImageRolledBack back = assertInstanceOf(ImageRolledBack.class, rollback.rollback(request));

        assertEquals(host + "/" + repository + ":" + PREFIX + "-1.0.0@" + one.digest(), back.to().toString());
        assertEquals(host + "/" + repository + ":" + PREFIX + "-1.1.0@" + two.digest(), back.from().toString());
        assertEquals(List.of("10.0", "latest"), back.tags());
        for (String tag : List.of("10.0", "latest", PREFIX + "-1.0.0")) {
            assertEquals(Optional.of(one.digest()), digestOf(client, host, repository, tag), "read back " + tag);
        }
        assertEquals(Optional.of(two.digest()), digestOf(client, host, repository, PREFIX + "-1.1.0"), "versions stay");
        assertInstanceOf(ImageRolledBack.class, rollback.rollback(request), "a redelivered request");
        assertEquals(Optional.of(one.digest()), digestOf(client, host, repository, "latest"), "no second step back");

        ImageReference three = publish(publishing, client, host, repository, imageId);
        assertEquals(host + "/" + repository + ":" + PREFIX + "-1.2.0@" + three.digest(), three.toString());
        for (String tag : List.of("10.0", "latest")) {
            assertEquals(Optional.of(three.digest()), digestOf(client, host, repository, tag), "forward again: " + tag);
        }
    }

    private static ImageReference publish(PublishStage stage, RegistryClient client, String host, String repository,
                                          String imageId) {
        String runId = SampleEvents.runId();
        ImageReference candidate = CandidateImages.push(client, host, repository, "candidate-" + runId, runId);
        return assertInstanceOf(ImagePublished.class, stage.publish(CandidateImages.verified(runId, imageId, candidate)))
                .image();
    }

    private static Optional<Digest> digestOf(RegistryClient client, String host, String repository, String tag) {
        return client.manifestDigest(ImageReference.parse(host + "/" + repository + ":" + tag));
    }

    private static EcrClient ecrClient(String accessKey) {
        return EcrClient.builder().region(Region.of(EcrApiServer.REGION)).endpointOverride(ecr.endpoint())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, SECRET_KEY)))
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .overrideConfiguration(o -> o.retryStrategy(RetryMode.STANDARD))
                .build();
    }
}
