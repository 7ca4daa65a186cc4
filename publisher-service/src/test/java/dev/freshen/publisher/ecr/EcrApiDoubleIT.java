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
import software.amazon.awssdk.services.ecr.model.InvalidParameterException;
import software.amazon.awssdk.services.ecr.model.LimitExceededException;
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
            assertThrows(ImageTagAlreadyExistsException.class, () -> ecr.putImage(r -> r.repositoryName("wire/images")
                    .imageTag("a").imageManifest(new String(manifest.content(), StandardCharsets.UTF_8))), "immutable, same image");
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

    /**
     * PutImage of a tag that exists, as ECR answers it: in a mutable repository the same image again is
     * {@code ImageAlreadyExistsException} and another image moves the tag; an immutable tag is
     * {@code ImageTagAlreadyExistsException} whichever image it names (for the same image as reported publicly for
     * immutable repositories); {@code IMMUTABLE_WITH_EXCLUSION} keeps excluded tags mutable.
     */
    @Test
    void putImageOfAnExistingTagAnswersAsEcrDoesForMutableAndImmutableTags() {
        try (EcrClient ecr = client(KEY, SECRET)) {
            server.createRepository("wire/mutable", "MUTABLE", List.of(), false);
            server.createRepository("wire/immutable", "IMMUTABLE_WITH_EXCLUSION", List.of("latest"), false);
            for (String repository : List.of("wire/mutable", "wire/immutable")) {
                String one = pushImage(repository, "one");
                String other = pushImage(repository, "other");
                put(ecr, repository, "v1", one);
                put(ecr, repository, "latest", one);

                if (repository.equals("wire/mutable")) {
                    assertThrows(ImageAlreadyExistsException.class, () -> put(ecr, repository, "v1", one));
                    put(ecr, repository, "v1", other);
                    assertEquals(other, digestOf(ecr, repository, "v1"), "a mutable tag moves");
                } else {
                    ImageTagAlreadyExistsException same = assertThrows(ImageTagAlreadyExistsException.class,
                            () -> put(ecr, repository, "v1", one));
                    assertTrue(same.awsErrorDetails().errorMessage().contains("cannot be overwritten because the tag is immutable"));
                    assertThrows(ImageTagAlreadyExistsException.class, () -> put(ecr, repository, "v1", other));
                    assertEquals(one, digestOf(ecr, repository, "v1"), "an immutable tag stays");
                    assertThrows(ImageAlreadyExistsException.class, () -> put(ecr, repository, "latest", one), "excluded");
                    put(ecr, repository, "latest", other);
                    assertEquals(other, digestOf(ecr, repository, "latest"));
                }
            }
        }
    }

    @Test
    void quotasAMissingRepositoryAndThrottlingAreEcrsErrors() {
        try (EcrClient ecr = client(KEY, SECRET)) {
            server.createRepository("wire/limits", "MUTABLE", List.of(), false);
            String one = pushImage("wire/limits", "one");
            String other = pushImage("wire/limits", "other");
            String third = pushImage("wire/limits", "third");
            String thirdManifest = manifestOf(ecr, "wire/limits", third);
            ecr.batchDeleteImage(r -> r.repositoryName("wire/limits").imageIds(i -> i.imageTag("third"))); // blobs stay
            server.limits(2, 2);
            try {
                put(ecr, "wire/limits", "second", one); // the tags of one: one, second
                LimitExceededException tags = assertThrows(LimitExceededException.class, () -> put(ecr, "wire/limits", "third", one));
                assertTrue(tags.awsErrorDetails().errorMessage().endsWith("exceeds the maximum allowed number of tags per "
                        + "image which is '2'"), tags.awsErrorDetails().errorMessage());
                assertEquals(400, tags.statusCode());
                put(ecr, "wire/limits", "again", other); // an image the repository holds already: no new image
                LimitExceededException images = assertThrows(LimitExceededException.class, () -> ecr.putImage(r -> r
                        .repositoryName("wire/limits").imageTag("third-again").imageManifest(thirdManifest)));
                assertTrue(images.awsErrorDetails().errorMessage().contains("maximum allowed number of images which is '2'"),
                        images.awsErrorDetails().errorMessage());
            } finally {
                server.limits(1000, 100_000);
            }
            ecr.putImage(r -> r.repositoryName("wire/limits").imageTag("third-again").imageManifest(thirdManifest));

            RepositoryNotFoundException missing = assertThrows(RepositoryNotFoundException.class,
                    () -> put(ecr, "wire/never-created", "v1", one));
            assertTrue(missing.awsErrorDetails().errorMessage().contains("'wire/never-created' does not exist"));
            assertThrows(RepositoryNotFoundException.class, () -> ecr.batchDeleteImage(r -> r.repositoryName("wire/never-created")
                    .imageIds(i -> i.imageTag("v1"))));

            server.throttle("ListImages", 1);
            EcrException throttled = assertThrows(EcrException.class, () -> ecr.listImages(r -> r.repositoryName("wire/limits")));
            assertTrue(throttled.isThrottlingException(), throttled.toString());
            assertEquals("ThrottlingException", throttled.awsErrorDetails().errorCode());
            server.failNext("PutImage", "LimitExceededException", 1);
            assertThrows(LimitExceededException.class, () -> put(ecr, "wire/limits", "fourth", other));
            put(ecr, "wire/limits", "fourth", other);
        }
    }

    /**
     * BatchDeleteImage as ECR answers it: a tag goes alone (the image stays while another tag names it, and goes with
     * its last tag), a digest takes the image with every tag; what cannot be deleted is a failure entry, not an error.
     */
    @Test
    void batchDeleteImageRemovesTagsAndImagesAndReportsFailuresPerImage() {
        try (EcrClient ecr = client(KEY, SECRET)) {
            server.createRepository("wire/deletes", "IMMUTABLE", List.of(), false);
            String one = pushImage("wire/deletes", "one");
            String other = pushImage("wire/deletes", "other");
            put(ecr, "wire/deletes", "v1", one);
            put(ecr, "wire/deletes", "v2", other);
            put(ecr, "wire/deletes", "v2-also", other);

            var response = ecr.batchDeleteImage(r -> r.repositoryName("wire/deletes").imageIds(
                    i -> i.imageTag("one"), i -> i.imageTag("v2").imageDigest(other), i -> i.imageTag("v1").imageDigest(other),
                    i -> i.imageTag("missing")));
            assertEquals(List.of("one", "v2"), response.imageIds().stream().map(ImageIdentifier::imageTag).toList());
            assertEquals(List.of(one, other), response.imageIds().stream().map(ImageIdentifier::imageDigest).toList());
            assertEquals(List.of("ImageTagDoesNotMatchDigest", "ImageNotFound"), response.failures().stream()
                    .map(f -> f.failureCodeAsString()).toList());
            assertEquals("Requested image not found", response.failures().get(1).failureReason());
            assertEquals("missing", response.failures().get(1).imageId().imageTag());
            assertEquals(List.of("other", "v1", "v2-also"), tags(ecr, "wire/deletes"), "only the tags named went");
            assertEquals(one, digestOf(ecr, "wire/deletes", "v1"));

            ecr.batchDeleteImage(r -> r.repositoryName("wire/deletes").imageIds(i -> i.imageTag("v1")));
            assertEquals("ImageNotFound", ecr.batchGetImage(r -> r.repositoryName("wire/deletes")
                    .imageIds(i -> i.imageDigest(one))).failures().get(0).failureCodeAsString(), "its last tag took the image");
            var byDigest = ecr.batchDeleteImage(r -> r.repositoryName("wire/deletes").imageIds(i -> i.imageDigest(other)));
            assertEquals(List.of("other", "v2-also"), byDigest.imageIds().stream().map(ImageIdentifier::imageTag).sorted().toList());
            assertEquals(List.of(), tags(ecr, "wire/deletes"));
            assertThrows(InvalidParameterException.class, () -> ecr.batchDeleteImage(r -> r.repositoryName("wire/deletes")
                    .imageIds(java.util.stream.IntStream.range(0, 101).mapToObj(n -> ImageIdentifier.builder()
                            .imageTag("t" + n).build()).toList())));
        }
    }

    /** Pushes a candidate under {@code tag} with the registry API; returns its digest. */
    private static String pushImage(String repository, String tag) {
        return CandidateImages.push(oci, server.registryHost(), repository, tag, "run-" + repository + "-" + tag)
                .digest().toString();
    }

    /** PutImage of the image {@code digest} (already in the repository) under {@code tag}. */
    private static void put(EcrClient ecr, String repository, String tag, String digest) {
        String manifest = manifestOf(ecr, repository, digest);
        ecr.putImage(r -> r.repositoryName(repository).imageTag(tag).imageManifest(manifest));
    }

    private static String manifestOf(EcrClient ecr, String repository, String digest) {
        return ecr.batchGetImage(r -> r.repositoryName(repository).imageIds(i -> i.imageDigest(digest)))
                .images().get(0).imageManifest();
    }

    private static String digestOf(EcrClient ecr, String repository, String tag) {
        return ecr.batchGetImage(r -> r.repositoryName(repository).imageIds(i -> i.imageTag(tag))).images().get(0)
                .imageId().imageDigest();
    }

    private static List<String> tags(EcrClient ecr, String repository) {
        return ecr.listImagesPaginator(r -> r.repositoryName(repository)).imageIds().stream()
                .map(ImageIdentifier::imageTag).sorted().toList();
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
