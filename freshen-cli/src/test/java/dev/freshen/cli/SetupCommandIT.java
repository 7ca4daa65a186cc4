package dev.freshen.cli;

import dev.freshen.ecr.setup.LifecyclePolicy;
import dev.freshen.testing.EcrApiServer;
import dev.freshen.testing.HtpasswdRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code freshen setup}, the packaged {@code target/freshen} run as a process with AWS credentials in its environment,
 * against {@link EcrApiServer}: the plan of a dry run (nothing created), creating the target and staging repositories
 * of a shared layout, a second run finding them up to date, drift reported with exit 1, and a refused layout. Last,
 * what it did is held to docs/iam/setup.json.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SetupCommandIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final Path FRESHEN = Path.of("target/freshen").toAbsolutePath();
    private static final String ACCESS_KEY = "AKIAFRESHENSETUPCLI1";
    private static final String SECRET_KEY = "freshen/test/secret/" + UUID.randomUUID();
    private static final String REGISTRY_PASSWORD = "ecr-" + UUID.randomUUID();

    private static HtpasswdRegistry registry;
    private static EcrApiServer ecr;

    record Result(int exitCode, String out, String err) {
    }

    @BeforeAll
    static void start() {
        registry = HtpasswdRegistry.start("AWS", REGISTRY_PASSWORD);
        ecr = EcrApiServer.start(registry, "AWS", REGISTRY_PASSWORD, new EcrApiServer.Principal("operator", ACCESS_KEY,
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
    void aDryRunPrintsThePlanAndCreatesNothingThenARealRunCreatesEverythingOnce(@TempDir Path images) throws Exception {
        sharedRuntime(images, "platform/cli/runtime");

        Result plan = freshen(images, "setup", "--dry-run");

        assertEquals(0, plan.exitCode(), plan.err());
        assertTrue(plan.out().contains("Plan for registry 123456789012 (3 platform images, 2 repositories):"), plan.out());
        assertTrue(plan.out().contains("  to create   platform/cli/runtime: MUTABLE_WITH_EXCLUSION (immutable: "
                + "10.0-noble-*.*.*, 11.0-resolute-*.*.*), scan on push on, encryption AES256 (net10/runtime, "
                + "net10/runtime-chiseled, net11/runtime)"), plan.out());
        assertTrue(plan.out().contains("  to create   platform/cli/runtime-staging: MUTABLE, scan on push on, encryption "
                + "AES256, lifecycle policy: candidate-* and untagged images expire 7 days after their push"), plan.out());
        assertTrue(plan.out().contains("2 to create, 0 up to date; nothing was changed (--dry-run)"), plan.out());
        assertTrue(ecr.calls("CreateRepository").isEmpty(), "a dry run creates nothing");

        Result setup = freshen(images, "setup");

        assertEquals(0, setup.exitCode(), setup.out() + setup.err());
        assertTrue(setup.out().contains("  created     platform/cli/runtime: MUTABLE_WITH_EXCLUSION"), setup.out());
        assertTrue(setup.out().contains("2 created, 0 up to date"), setup.out());
        assertEquals(List.of("10.0-noble-*.*.*", "11.0-resolute-*.*.*"),
                ecr.repository("platform/cli/runtime").orElseThrow().exclusionFilters());
        assertEquals("MUTABLE", ecr.repository("platform/cli/runtime-staging").orElseThrow().tagMutability());
        assertTrue(LifecyclePolicy.sameDocument(LifecyclePolicy.document("candidate-", 7),
                ecr.lifecyclePolicy("platform/cli/runtime-staging").orElseThrow()));

        Result again = freshen(images, "setup");

        assertEquals(0, again.exitCode(), again.out() + again.err());
        assertTrue(again.out().contains("  up to date  platform/cli/runtime\n"), again.out());
        assertTrue(again.out().contains("  up to date  platform/cli/runtime-staging\n"), again.out());
        assertTrue(again.out().contains("0 up to date".replace("0", "2")), again.out());
        assertEquals(2, ecr.calls("CreateRepository").stream()
                .filter(c -> c.repository().startsWith("platform/cli/runtime")).count(), "created once each");
    }

    @Test
    void driftIsReportedWithItsFixAndExitOneAndNothingIsChanged(@TempDir Path images) throws Exception {
        sharedRuntime(images, "platform/drift/runtime");
        ecr.createRepository("platform/drift/runtime", "IMMUTABLE_WITH_EXCLUSION", List.of("latest", "10.0"), true);
        ecr.createRepository("platform/drift/runtime-staging", "MUTABLE", List.of(), false,
                new EcrApiServer.Encryption("KMS", "arn:aws:kms:us-east-1:123456789012:key/k1"));

        Result setup = freshen(images, "setup", "--candidate-expiry-days", "3");

        assertEquals(1, setup.exitCode(), setup.out() + setup.err());
        String out = setup.out();
        assertTrue(out.contains("  drift       platform/drift/runtime\n      tag mutability: is IMMUTABLE_WITH_EXCLUSION "
                + "(filters: latest, 10.0), wanted MUTABLE_WITH_EXCLUSION (immutable: 10.0-noble-*.*.*, 11.0-resolute-*.*.*)"
                + "\n        fix: aws ecr put-image-tag-mutability --registry-id 123456789012 --repository-name "
                + "platform/drift/runtime --image-tag-mutability MUTABLE_WITH_EXCLUSION "
                + "--image-tag-mutability-exclusion-filters filterType=WILDCARD,filter=10.0-noble-*.*.* "
                + "filterType=WILDCARD,filter=11.0-resolute-*.*.*"), out);
        assertTrue(out.contains("      scan on push: is off, wanted on"), out);
        assertTrue(out.contains("      encryption: is KMS arn:aws:kms:us-east-1:123456789012:key/k1, wanted AES256"), out);
        assertTrue(out.contains("      lifecycle policy: is none, wanted Freshen's"), out);
        assertTrue(out.contains("aws ecr put-lifecycle-policy --registry-id 123456789012 --repository-name "
                + "platform/drift/runtime-staging --lifecycle-policy-text '" + LifecyclePolicy.document("candidate-", 3)
                + "'"), out);
        assertTrue(out.contains("0 up to date, 2 with drift"), out);
        assertEquals("IMMUTABLE_WITH_EXCLUSION", ecr.repository("platform/drift/runtime").orElseThrow().tagMutability());
        assertTrue(ecr.lifecyclePolicy("platform/drift/runtime-staging").isEmpty(), "never changed");
        assertTrue(ecr.calls("CreateRepository", "platform/drift/runtime").isEmpty());
    }

    @Test
    void aLayoutEcrCannotExpressIsRefusedNamingTheImagesAndTags(@TempDir Path images) throws Exception {
        sharedRuntime(images, "platform/refused/runtime");

        Result setup = freshen(images, "setup", "--tag-mutability", "immutable-with-exclusion");

        assertEquals(1, setup.exitCode(), setup.out() + setup.err());
        assertTrue(setup.err().startsWith("freshen: the ECR repositories cannot be set up for these platform images:\n"
                + "  repository platform/refused/runtime would need 6 tag mutability exclusion filters (10.0, 10.0-noble, "
                + "latest, 10.0-noble-chiseled, 11.0, 11.0-resolute) for net10/runtime, net10/runtime-chiseled, "
                + "net11/runtime, ECR allows 5; use tag mutability mutable-with-exclusion"), setup.err());
        assertTrue(ecr.calls("DescribeRepositories", "platform/refused/runtime").isEmpty(), "refused before any call");
    }

    @Test
    void badSettingsAreArgumentErrors(@TempDir Path images) throws Exception {
        sharedRuntime(images, "platform/bad/runtime");
        Result mode = freshen(images, "setup", "--tag-mutability", "sometimes");
        assertEquals(2, mode.exitCode(), mode.err());
        assertTrue(mode.err().contains("'sometimes' is not one of mutable-with-exclusion, immutable-with-exclusion, "
                + "immutable, mutable"), mode.err());
        Result filter = freshen(images, "setup", "--tag-mutability", "mutable", "--exclusion-filter", "x*");
        assertEquals(2, filter.exitCode(), filter.err());
        assertTrue(filter.err().contains("exclusion filters are only used with tag mutability mutable-with-exclusion or "
                + "immutable-with-exclusion, not mutable"), filter.err());
    }

    /** Runs after the others: {@code freshen setup} used exactly the IAM actions docs/iam/setup.json allows. */
    @Test
    @Order(Integer.MAX_VALUE)
    void theIamPolicyInTheDocsAllowsExactlyWhatSetupDid() {
        ecr.recording().verify("operator", Path.of("../docs/iam/setup.json"), Path.of("target/iam/setup.json"));
    }

    /** Three images sharing one repository, as the shipped .NET runtime images do. */
    private static void sharedRuntime(Path root, String repository) throws IOException {
        image(root, "net10/runtime", repository, "10.0-noble", "'10.0', 10.0-noble, latest");
        image(root, "net10/runtime-chiseled", repository, "10.0-noble-chiseled", "10.0-noble-chiseled");
        image(root, "net11/runtime", repository, "11.0-resolute", "'11.0', 11.0-resolute");
    }

    private static void image(Path root, String id, String repository, String prefix, String extraTags) throws IOException {
        Path dir = Files.createDirectories(root.resolve(id));
        Files.writeString(dir.resolve("Dockerfile"), "FROM 127.0.0.1:5000/dotnet/runtime:10.0\n");
        Files.writeString(dir.resolve("platform-image.yaml"), "target: {repository: " + repository + ", tagPrefix: "
                + prefix + ", extraTags: [" + extraTags + "]}\n");
    }

    /** Runs {@code target/freshen} with the double's endpoint and an access key in the environment, as an operator would. */
    private static Result freshen(Path images, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(FRESHEN.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(k -> k.startsWith("FRESHEN_") || k.startsWith("AWS_"));
        env.put("FRESHEN_PLATFORM_IMAGES_DIR", images.toString());
        env.put("FRESHEN_TARGET_REGISTRY", EcrApiServer.ACCOUNT_ID + ".dkr.ecr." + EcrApiServer.REGION + ".amazonaws.com");
        env.put("FRESHEN_PUBLISHER_ECR_ENDPOINT", ecr.endpoint().toString());
        env.put("AWS_ACCESS_KEY_ID", ACCESS_KEY);
        env.put("AWS_SECRET_ACCESS_KEY", SECRET_KEY);
        env.put("AWS_EC2_METADATA_DISABLED", "true");
        env.put("AWS_CONFIG_FILE", images.resolve("no-aws-config").toString());
        env.put("AWS_SHARED_CREDENTIALS_FILE", images.resolve("no-aws-credentials").toString());
        Process process = builder.start();
        process.getOutputStream().close();
        var out = process.getInputStream().readAllBytes();
        var err = process.getErrorStream().readAllBytes();
        if (!process.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " did not finish");
        }
        return new Result(process.exitValue(), new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
    }
}
