package dev.freshen.publisher.ecr;

import dev.freshen.ecr.EcrToken;
import dev.freshen.events.image.ImageReference;
import dev.freshen.publisher.CandidateImages;
import dev.freshen.registry.Credentials;
import dev.freshen.registry.Manifest;
import dev.freshen.registry.RegistryClient;
import dev.freshen.registry.RegistrySettings;
import dev.freshen.testing.EcrApiServer;
import dev.freshen.testing.HtpasswdRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.ecr.model.EcrException;
import software.amazon.awssdk.services.ecr.model.ImageAlreadyExistsException;
import software.amazon.awssdk.services.ecr.model.ImageIdentifier;
import software.amazon.awssdk.services.ecr.model.ImageTagAlreadyExistsException;
import software.amazon.awssdk.services.ecr.model.ImageTagMutability;
import software.amazon.awssdk.services.ecr.model.Repository;
import software.amazon.awssdk.services.ecr.model.RepositoryNotFoundException;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The ECR test double spoken to with the real AWS SDK 2.57.8 client: its responses must unmarshal into the SDK's model
 * (fields, timestamps, pagination tokens, modelled exceptions from {@code __type}), and it must refuse requests that
 * are not signed with the right key, so that the publisher's ECR tests mean something.
 */
class EcrApiDoubleIT {

    private static final String KEY = "AKIAFRESHENWIRE00001";
    private static final String SECRET = "wire/" + UUID.randomUUID();
    private static final String PASSWORD = "pw-" + UUID.randomUUID();

    private static HtpasswdRegistry registry;
    private static EcrApiServer server;
    private static RegistryClient oci;

    @BeforeAll
    static void start() {
        registry = HtpasswdRegistry.start("AWS", PASSWORD);
        server = EcrApiServer.start(registry, "AWS", PASSWORD, KEY, SECRET);
        oci = new RegistryClient(RegistrySettings.defaults().withCredentials(server.registryHost(), new Credentials("AWS", PASSWORD)));
    }

    @AfterAll
    static void stop() {
        server.close();
        registry.close();
    }

    @Test
    void requestsSignedWithAnotherSecretOrKeyAreRefused() {
        try (EcrClient wrongSecret = client(KEY, "not-the-secret"); EcrClient wrongKey = client("AKIAUNKNOWN000000000", SECRET)) {
            EcrException bad = assertThrows(EcrException.class, () -> wrongSecret.describeRepositories(r -> { }));
            assertEquals("InvalidSignatureException", bad.awsErrorDetails().errorCode());
            assertEquals(403, bad.statusCode());
            EcrException unknown = assertThrows(EcrException.class, () -> wrongKey.describeRepositories(r -> { }));
            assertEquals("UnrecognizedClientException", unknown.awsErrorDetails().errorCode());
        }
    }

    @Test
    void repositoriesRoundTripThroughTheSdkModel() {
        try (EcrClient ecr = client(KEY, SECRET)) {
            assertThrows(RepositoryNotFoundException.class,
                    () -> ecr.describeRepositories(r -> r.registryId(EcrApiServer.ACCOUNT_ID).repositoryNames("wire/missing")));
            Repository created = ecr.createRepository(r -> r.repositoryName("wire/created")
                    .imageTagMutability(ImageTagMutability.IMMUTABLE_WITH_EXCLUSION)
                    .imageTagMutabilityExclusionFilters(f -> f.filterType("WILDCARD").filter("latest"))
                    .imageScanningConfiguration(s -> s.scanOnPush(true))).repository();
            assertEquals(ImageTagMutability.IMMUTABLE_WITH_EXCLUSION, created.imageTagMutability());
            assertEquals("latest", created.imageTagMutabilityExclusionFilters().get(0).filter());
            assertTrue(created.imageScanningConfiguration().scanOnPush());
            assertEquals(server.registryHost() + "/wire/created", created.repositoryUri());
            assertTrue(Duration.between(created.createdAt(), Instant.now()).abs().toSeconds() < 60, created.createdAt().toString());
            assertEquals("arn:aws:ecr:us-east-1:123456789012:repository/wire/created",
                    ecr.describeRepositories(r -> r.repositoryNames("wire/created")).repositories().get(0).repositoryArn());
        }
    }

    @Test
    void imagesTagsPagesAndTokensWork() {
        server.maxPageSize(1);
        try (EcrClient ecr = client(KEY, SECRET)) {
            server.createRepository("wire/images", "IMMUTABLE", List.of(), false);
            var token = ecr.getAuthorizationToken(r -> r.registryIds(EcrApiServer.ACCOUNT_ID)).authorizationData().get(0);
            EcrToken login = EcrToken.decode(token.authorizationToken(), token.expiresAt(), token.proxyEndpoint());
            assertEquals(server.registryHost(), login.proxyHost());
            assertTrue(token.expiresAt().isAfter(Instant.now().plus(Duration.ofHours(11))));
            RegistryClient withToken = new RegistryClient(RegistrySettings.defaults()
                    .withCredentials(server.registryHost(), new Credentials(login.username(), login.password())));

            ImageReference source = pushFixtures(withToken);
            Manifest manifest = oci.manifest(source).orElseThrow();
            for (String tag : List.of("a", "b", "c")) {
                ecr.putImage(r -> r.repositoryName("wire/images").imageTag(tag).imageDigest(manifest.digest().toString())
                        .imageManifestMediaType(manifest.mediaType())
                        .imageManifest(new String(manifest.content(), StandardCharsets.UTF_8)));
            }
            assertThrows(ImageAlreadyExistsException.class, () -> ecr.putImage(r -> r.repositoryName("wire/images")
                    .imageTag("a").imageManifest(new String(manifest.content(), StandardCharsets.UTF_8))));
            Manifest other = oci.manifest(source.withDigest(null).withTag("other")).orElseThrow();
            assertThrows(ImageTagAlreadyExistsException.class, () -> ecr.putImage(r -> r.repositoryName("wire/images")
                    .imageTag("a").imageManifest(new String(other.content(), StandardCharsets.UTF_8))));

            var pages = ecr.listImagesPaginator(r -> r.repositoryName("wire/images"));
            assertEquals(List.of("a", "b", "c", "one", "other"), pages.imageIds().stream().map(ImageIdentifier::imageTag).toList());
            assertEquals(5, pages.stream().count(), "one image per page: the SDK followed nextToken");

            var image = ecr.batchGetImage(r -> r.repositoryName("wire/images")
                    .imageIds(i -> i.imageTag("b"), i -> i.imageTag("missing"))).images().get(0);
            assertEquals(manifest.digest().toString(), image.imageId().imageDigest());
            assertEquals(manifest.mediaType(), image.imageManifestMediaType());
            assertEquals(new String(manifest.content(), StandardCharsets.UTF_8), image.imageManifest(), "bytes preserved");
            assertEquals("ImageNotFound", ecr.batchGetImage(r -> r.repositoryName("wire/images")
                    .imageIds(i -> i.imageTag("missing"))).failures().get(0).failureCodeAsString());
        } finally {
            server.maxPageSize(1000);
        }
    }

    @Test
    void batchDeleteImageByTagRemovesTheTagAndTheImageOnlyWithItsLastTag() {
        try (EcrClient ecr = client(KEY, SECRET)) {
            server.createRepository("wire/deletes", "MUTABLE", List.of(), false);
            ImageReference image = CandidateImages.push(oci, server.registryHost(), "wire/deletes", "candidate-run-1", "run-1");
            Manifest manifest = oci.manifest(image).orElseThrow();
            ecr.putImage(r -> r.repositoryName("wire/deletes").imageTag("1.0.0").imageDigest(manifest.digest().toString())
                    .imageManifestMediaType(manifest.mediaType())
                    .imageManifest(new String(manifest.content(), StandardCharsets.UTF_8)));

            var deleted = ecr.batchDeleteImage(r -> r.repositoryName("wire/deletes")
                    .imageIds(i -> i.imageTag("candidate-run-1"), i -> i.imageTag("candidate-missing")));
            assertEquals(List.of("candidate-run-1"), deleted.imageIds().stream().map(ImageIdentifier::imageTag).toList());
            assertEquals(manifest.digest().toString(), deleted.imageIds().get(0).imageDigest());
            assertEquals("ImageNotFound", deleted.failures().get(0).failureCodeAsString());
            assertEquals("candidate-missing", deleted.failures().get(0).imageId().imageTag());
            var tags = ecr.listImages(r -> r.repositoryName("wire/deletes")).imageIds();
            assertEquals(List.of("1.0.0"), tags.stream().map(ImageIdentifier::imageTag).toList(), "the other tag stays");
            assertEquals(manifest.digest().toString(), tags.get(0).imageDigest());

            ecr.batchDeleteImage(r -> r.repositoryName("wire/deletes").imageIds(i -> i.imageTag("1.0.0")));
            assertTrue(oci.manifest(image.withTag(null)).isEmpty(), "the image went with its last tag");
            assertThrows(RepositoryNotFoundException.class, () -> ecr.batchDeleteImage(r -> r.repositoryName("wire/missing")
                    .imageIds(i -> i.imageTag("x"))));
        }
    }

    /** Two images pushed with the token's credentials: tags {@code one} and {@code other}. */
    private static ImageReference pushFixtures(RegistryClient withToken) {
        CandidateImages.push(withToken, server.registryHost(), "wire/images", "other", "run-other");
        return CandidateImages.push(withToken, server.registryHost(), "wire/images", "one", "run-one").withTag("one");
    }

    private static EcrClient client(String key, String secret) {
        return EcrClient.builder().region(Region.US_EAST_1).endpointOverride(server.endpoint())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(key, secret)))
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
                .build();
    }
}
