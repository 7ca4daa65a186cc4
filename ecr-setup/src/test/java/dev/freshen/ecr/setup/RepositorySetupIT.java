package dev.freshen.ecr.setup;

import dev.freshen.descriptor.Target;
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
import software.amazon.awssdk.services.ecr.model.InvalidParameterException;
import software.amazon.awssdk.services.ecr.model.LifecyclePolicyNotFoundException;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link RepositorySetup} with the real AWS SDK client against {@link EcrApiServer}: what it creates, what it reads
 * back as drift, and the double's answers for lifecycle policies, encryption and the blob-mounting setting as ECR
 * gives them.
 */
class RepositorySetupIT {

    private static final String KEY = "AKIAFRESHENSETUPLIB1";
    private static final String SECRET = "setup/" + UUID.randomUUID();
    private static final String PASSWORD = "pw-" + UUID.randomUUID();

    private static HtpasswdRegistry registry;
    private static EcrApiServer server;
    private static EcrClient ecr;

    @BeforeAll
    static void start() {
        registry = HtpasswdRegistry.start("AWS", PASSWORD);
        server = EcrApiServer.start(registry, "AWS", PASSWORD, KEY, SECRET);
        ecr = EcrClient.builder().region(Region.US_EAST_1).endpointOverride(server.endpoint())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(KEY, SECRET)))
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
                .build();
    }

    @AfterAll
    static void stop() {
        ecr.close();
        server.close();
        registry.close();
    }

    @Test
    void createsWithKmsEncryptionAndFindsItUpToDateAfterwards() {
        Encryption kms = new Encryption(Encryption.Type.KMS, "1234abcd-12ab-34cd-56ef-1234567890ab");
        LayoutSettings settings = new LayoutSettings(TagMutability.MUTABLE_WITH_EXCLUSION, List.of(), true, kms,
                LayoutSettings.DEFAULT_STAGING, 7);
        RepositoryLayout layout = RepositoryLayout.of(Map.of("a/kms", new Target("platform/kms", "1.0", List.of("latest"))),
                settings);
        RepositorySetup setup = new RepositorySetup(ecr, EcrApiServer.ACCOUNT_ID);

        assertEquals(List.of(RepositoryState.Status.MISSING, RepositoryState.Status.MISSING),
                setup.check(layout).stream().map(RepositoryState::status).toList());
        layout.repositories().forEach(setup::create);

        assertEquals(List.of(RepositoryState.Status.UP_TO_DATE, RepositoryState.Status.UP_TO_DATE),
                setup.check(layout).stream().map(RepositoryState::status).toList());
        assertEquals(new EcrApiServer.Encryption("KMS", "arn:aws:kms:us-east-1:123456789012:key/"
                + "1234abcd-12ab-34cd-56ef-1234567890ab"), server.encryption("platform/kms-staging"));
        assertEquals(server.encryption("platform/kms"), server.encryption("platform/kms-staging"),
                "the same encryption on both, for blob mounting");
        RepositoryState again = setup.create(layout.repository("platform/kms").orElseThrow());
        assertEquals(RepositoryState.Status.UP_TO_DATE, again.status(), "created meanwhile: compared, not an error");
    }

    @Test
    void theDoubleAnswersLifecyclePoliciesAsEcrDoes() {
        server.createRepository("platform/policy", "MUTABLE", List.of(), true);
        var missing = assertThrows(LifecyclePolicyNotFoundException.class,
                () -> ecr.getLifecyclePolicy(r -> r.repositoryName("platform/policy")));
        assertEquals(400, missing.statusCode());
        String bad = "{\"rules\":[{\"rulePriority\":1,\"selection\":{\"tagStatus\":\"tagged\",\"countType\":"
                + "\"sinceImagePushed\",\"countUnit\":\"days\",\"countNumber\":7},\"action\":{\"type\":\"expire\"}}]}";
        var refused = assertThrows(InvalidParameterException.class,
                () -> ecr.putLifecyclePolicy(r -> r.repositoryName("platform/policy").lifecyclePolicyText(bad)));
        assertTrue(refused.getMessage().contains("tagPrefixList or tagPatternList is required with tagStatus tagged"),
                refused.getMessage());

        String policy = LifecyclePolicy.document("candidate-", 7);
        ecr.putLifecyclePolicy(r -> r.repositoryName("platform/policy").lifecyclePolicyText(policy));
        assertEquals(policy, ecr.getLifecyclePolicy(r -> r.repositoryName("platform/policy")).lifecyclePolicyText());
    }

    @Test
    void blobMountingIsReadFromTheAccountSetting() {
        RepositorySetup setup = new RepositorySetup(ecr, null);
        assertEquals(Optional.of(true), setup.blobMounting());
        server.blobMounting(false);
        try {
            assertEquals(Optional.of(false), setup.blobMounting());
        } finally {
            server.blobMounting(true);
        }
        server.deny("GetAccountSetting");
        try {
            assertEquals(Optional.empty(), setup.blobMounting(), "not allowed: unknown, not a failure");
        } finally {
            server.allow("GetAccountSetting");
        }
    }

    @Test
    void everySettingThatDiffersIsOneDriftAndAnAwsFailureNamesTheOperation() {
        server.createRepository("platform/old", "IMMUTABLE", List.of(), false);
        RepositoryLayout layout = RepositoryLayout.of(Map.of("a/old", new Target("platform/old", "1.0", List.of("latest"))),
                LayoutSettings.defaults());
        RepositorySetup setup = new RepositorySetup(ecr, null);

        RepositoryState state = setup.check(layout.repository("platform/old").orElseThrow());

        assertEquals(RepositoryState.Status.DRIFT, state.status());
        assertEquals(List.of("tag mutability", "scan on push"), state.drifts().stream().map(Drift::setting).toList());
        assertEquals("ECR repository platform/old: scan on push is off, wanted on; fix: aws ecr "
                + "put-image-scanning-configuration --repository-name platform/old --image-scanning-configuration "
                + "scanOnPush=true", state.drifts().get(1).line());
        server.deny("DescribeRepositories");
        try {
            var failure = assertThrows(EcrSetupException.class, () -> setup.check(layout));
            assertTrue(failure.getMessage().startsWith("ECR DescribeRepositories for repository platform/old in the default "
                    + "registry failed: AccessDeniedException"), failure.getMessage());
        } finally {
            server.allow("DescribeRepositories");
        }
    }
}
