package dev.freshen.ecr.setup;

import dev.freshen.descriptor.PlatformImageCatalog;
import dev.freshen.descriptor.Target;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RepositoryLayoutTest {

    private static final LayoutSettings DEFAULTS = LayoutSettings.defaults();

    @Test
    void theShippedPlatformImagesLoadCleanlyWithVersionFiltersPerSharedRepository() {
        PlatformImageCatalog.Scan scan = new PlatformImageCatalog(shippedPlatformImages()).scan();
        assertEquals(List.of(), scan.errors());

        RepositoryLayout layout = RepositoryLayout.ofImages(scan.images().values(), DEFAULTS);

        assertEquals(List.of("platform/dotnet/aspnet", "platform/dotnet/aspnet-staging", "platform/dotnet/runtime",
                "platform/dotnet/runtime-staging", "platform/dotnet/sdk", "platform/dotnet/sdk-staging"),
                layout.repositories().stream().map(RepositorySpec::name).toList());
        RepositorySpec runtime = layout.repository("platform/dotnet/runtime").orElseThrow();
        assertEquals(List.of("net10/runtime", "net10/runtime-chiseled", "net11/runtime"), runtime.imageIds());
        assertEquals(TagMutability.MUTABLE_WITH_EXCLUSION, runtime.tagMutability());
        // 10.0-noble-*.*.* covers the chiseled versions (10.0-noble-chiseled-1.0.0), so two filters, not three
        assertEquals(List.of("10.0-noble-*.*.*", "11.0-resolute-*.*.*"), runtime.exclusionFilters());
        assertEquals(List.of("10.0-noble-*.*.*", "11.0-resolute-*.*.*"),
                layout.repository("platform/dotnet/sdk").orElseThrow().exclusionFilters());
        // the ECR double's reading of the filters: every version immutable, every moving tag mutable
        for (String tag : List.of("10.0", "10.0-noble", "latest", "10.0-noble-chiseled", "11.0", "11.0-resolute")) {
            assertTrue(runtime.exclusionFilters().stream().noneMatch(f -> TagPattern.matches(f, tag)), tag + " must move");
        }
        for (String tag : List.of("10.0-noble-1.0.0", "10.0-noble-chiseled-1.12.0", "11.0-resolute-2.0.10")) {
            assertTrue(runtime.exclusionFilters().stream().anyMatch(f -> TagPattern.matches(f, tag)), tag + " must not move");
        }
        assertTrue(runtime.scanOnPush());
        assertEquals(Encryption.AES256, runtime.encryption());
        assertNull(runtime.lifecyclePolicy(), "target repositories get no lifecycle policy");
    }

    @Test
    void eachTargetHasAMutableStagingRepositoryWithTheSameEncryptionAndTheLifecyclePolicy() {
        Encryption kms = new Encryption(Encryption.Type.KMS, "arn:aws:kms:us-east-1:123456789012:key/k1");
        LayoutSettings settings = new LayoutSettings(TagMutability.MUTABLE_WITH_EXCLUSION, List.of(), false, kms,
                LayoutSettings.DEFAULT_STAGING, 3);
        RepositoryLayout layout = RepositoryLayout.of(Map.of("a/one", target("platform/one", "1.0", "latest")), settings);

        RepositorySpec staging = layout.repository("platform/one-staging").orElseThrow();
        assertEquals(RepositorySpec.Role.STAGING, staging.role());
        assertEquals(TagMutability.MUTABLE, staging.tagMutability());
        assertEquals(List.of(), staging.exclusionFilters());
        assertEquals(kms, staging.encryption());
        assertEquals(kms, layout.repository("platform/one").orElseThrow().encryption());
        assertEquals(false, staging.scanOnPush());
        assertTrue(LifecyclePolicy.sameDocument(LifecyclePolicy.document("candidate-", 3), staging.lifecyclePolicy()));
        assertEquals(List.of("a/one"), staging.imageIds());
    }

    @Test
    void theStagingNameComesFromTheFunction() {
        LayoutSettings settings = new LayoutSettings(TagMutability.MUTABLE_WITH_EXCLUSION, List.of(), true,
                Encryption.AES256, t -> "staging/" + t.repository(), 7);
        RepositoryLayout layout = RepositoryLayout.of(Map.of("a/one", target("platform/one", "1.0")), settings);
        assertEquals(List.of("platform/one", "staging/platform/one"),
                layout.repositories().stream().map(RepositorySpec::name).toList());
    }

    @Test
    void aStagingNameThatIsATargetRepositoryIsRefused() {
        var refused = assertThrows(LayoutRefusedException.class, () -> RepositoryLayout.of(Map.of(
                "a/one", target("platform/one", "1.0"), "a/two", target("platform/one-staging", "1.0")), DEFAULTS));
        assertTrue(refused.getMessage().contains("the staging repository platform/one-staging of a/one is the target "
                + "repository of a/two"), refused.getMessage());
    }

    @Test
    void aMovingTagOfASiblingThatAVersionFilterMatchesIsRefusedNamingBothImages() {
        var refused = assertThrows(LayoutRefusedException.class, () -> RepositoryLayout.of(Map.of(
                "net10/runtime", target("platform/dotnet/runtime", "10.0", "latest"),
                "net10/odd", target("platform/dotnet/runtime", "10.0-odd", "10.0-1.2.3-odd")), DEFAULTS));
        assertEquals(1, refused.problems().size(), refused.getMessage());
        String problem = refused.problems().get(0);
        assertTrue(problem.contains("repository platform/dotnet/runtime: the exclusion filter 10.0-*.*.* (for the "
                + "version tags of net10/runtime) would make the moving tag 10.0-1.2.3-odd of net10/odd immutable"), problem);
    }

    @Test
    void moreThanFiveFiltersAreRefusedNamingTheImages() {
        Map<String, Target> targets = new TreeMap<>();
        for (int i = 1; i <= 6; i++) {
            targets.put("img/v" + i, target("platform/shared", "v" + i));
        }
        var refused = assertThrows(LayoutRefusedException.class, () -> RepositoryLayout.of(targets, DEFAULTS));
        String message = refused.getMessage();
        assertTrue(message.contains("repository platform/shared would need 6 tag mutability exclusion filters (v1-*.*.*, "
                + "v2-*.*.*, v3-*.*.*, v4-*.*.*, v5-*.*.*, v6-*.*.*) for img/v1, img/v2, img/v3, img/v4, img/v5, img/v6, "
                + "ECR allows 5"), message);
        targets.remove("img/v6");
        assertEquals(5, RepositoryLayout.of(targets, DEFAULTS).repository("platform/shared").orElseThrow()
                .exclusionFilters().size());
    }

    @Test
    void runTagsAreImmutableTooAndConfiguredFiltersAreAdded() {
        LayoutSettings settings = new LayoutSettings(TagMutability.MUTABLE_WITH_EXCLUSION, List.of("dev-*"), true,
                Encryption.AES256, LayoutSettings.DEFAULT_STAGING, 7);
        RepositorySpec spec = RepositoryLayout.of(Map.of("a/one", target("platform/one", "10.0-noble", "10.0", "latest",
                "run-{runId}", "{version}-lts")), settings).repository("platform/one").orElseThrow();
        assertEquals(List.of("10.0-noble-*.*.*", "run-*", "*.*.*-lts", "dev-*"), spec.exclusionFilters());
    }

    @Test
    void aConfiguredFilterThatMatchesAMovingTagIsRefused() {
        LayoutSettings settings = new LayoutSettings(TagMutability.MUTABLE_WITH_EXCLUSION, List.of("lat*"), true,
                Encryption.AES256, LayoutSettings.DEFAULT_STAGING, 7);
        var refused = assertThrows(LayoutRefusedException.class, () -> RepositoryLayout.of(Map.of(
                "a/one", target("platform/one", "1.0", "latest")), settings));
        assertTrue(refused.getMessage().contains("the exclusion filter lat* (for the freshen.publisher.ecr.exclusion-filters)"
                + " would make the moving tag latest of a/one immutable"), refused.getMessage());
    }

    @Test
    void immutableWithExclusionIsTheUnionOfMovingTagsAndRefusesTheSharedRuntimeOverFiveFilters() {
        LayoutSettings settings = new LayoutSettings(TagMutability.IMMUTABLE_WITH_EXCLUSION, List.of(), true,
                Encryption.AES256, LayoutSettings.DEFAULT_STAGING, 7);
        PlatformImageCatalog.Scan scan = new PlatformImageCatalog(shippedPlatformImages()).scan();
        var refused = assertThrows(LayoutRefusedException.class, () -> RepositoryLayout.ofImages(scan.images().values(),
                settings));
        String message = refused.getMessage();
        assertTrue(message.contains("repository platform/dotnet/runtime would need 6 tag mutability exclusion filters "
                + "(10.0, 10.0-noble, latest, 10.0-noble-chiseled, 11.0, 11.0-resolute) for net10/runtime, "
                + "net10/runtime-chiseled, net11/runtime, ECR allows 5; use tag mutability mutable-with-exclusion"), message);

        RepositorySpec aspnet = RepositoryLayout.of(Map.of("net10/aspnet", target("platform/dotnet/aspnet", "10.0-noble",
                "10.0", "10.0-noble", "latest", "nightly-{date}")), settings).repository("platform/dotnet/aspnet").orElseThrow();
        assertEquals(TagMutability.IMMUTABLE_WITH_EXCLUSION, aspnet.tagMutability());
        assertEquals(List.of("10.0", "10.0-noble", "latest", "nightly-*"), aspnet.exclusionFilters());
    }

    @Test
    void immutableWithExclusionRefusesAMovingWildcardThatMatchesASiblingsVersions() {
        LayoutSettings settings = new LayoutSettings(TagMutability.IMMUTABLE_WITH_EXCLUSION, List.of("10.0-noble-*"), true,
                Encryption.AES256, LayoutSettings.DEFAULT_STAGING, 7);
        var refused = assertThrows(LayoutRefusedException.class, () -> RepositoryLayout.of(Map.of(
                "net10/runtime", target("platform/dotnet/runtime", "10.0-noble", "latest"),
                "net10/runtime-chiseled", target("platform/dotnet/runtime", "10.0-noble-chiseled", "10.0-noble-chiseled")),
                settings));
        String message = refused.getMessage();
        assertTrue(message.contains("the exclusion filter 10.0-noble-* (for the freshen.publisher.ecr.exclusion-filters) "
                + "would make the version tags 10.0-noble-<version> of net10/runtime mutable"), message);
        assertTrue(message.contains("would make the version tags 10.0-noble-chiseled-<version> of net10/runtime-chiseled "
                + "mutable"), message);
    }

    @Test
    void immutableWithoutMovingTagsIsPlainImmutableAndImmutableWithMovingTagsIsRefused() {
        LayoutSettings immutableWithExclusion = new LayoutSettings(TagMutability.IMMUTABLE_WITH_EXCLUSION, List.of(), true,
                Encryption.AES256, LayoutSettings.DEFAULT_STAGING, 7);
        assertEquals(TagMutability.IMMUTABLE, RepositoryLayout.of(Map.of("a/one", target("platform/one", "1.0", "run-{runId}")),
                immutableWithExclusion).repository("platform/one").orElseThrow().tagMutability());
        LayoutSettings immutable = new LayoutSettings(TagMutability.IMMUTABLE, List.of(), true, Encryption.AES256,
                LayoutSettings.DEFAULT_STAGING, 7);
        var refused = assertThrows(LayoutRefusedException.class, () -> RepositoryLayout.of(Map.of("a/one",
                target("platform/one", "1.0", "latest", "1.0")), immutable));
        assertTrue(refused.getMessage().contains("tag mutability immutable would stop the moving tags latest, 1.0 of a/one"),
                refused.getMessage());
    }

    @Test
    void settingsAreChecked() {
        assertThrows(IllegalArgumentException.class, () -> new LayoutSettings(TagMutability.MUTABLE, List.of("x*"), true,
                Encryption.AES256, LayoutSettings.DEFAULT_STAGING, 7));
        assertThrows(IllegalArgumentException.class, () -> new LayoutSettings(TagMutability.MUTABLE_WITH_EXCLUSION,
                List.of("no/slashes"), true, Encryption.AES256, LayoutSettings.DEFAULT_STAGING, 7));
        assertThrows(IllegalArgumentException.class, () -> new LayoutSettings(TagMutability.MUTABLE_WITH_EXCLUSION,
                List.of(), true, Encryption.AES256, LayoutSettings.DEFAULT_STAGING, 0));
        assertThrows(IllegalArgumentException.class, () -> new Encryption(Encryption.Type.AES256, "key"));
    }

    @Test
    void encryptionComparesTypeAndKey() {
        Encryption key = new Encryption(Encryption.Type.KMS, "1234abcd-12ab-34cd-56ef-1234567890ab");
        assertTrue(key.isSatisfiedBy("KMS", "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"));
        assertTrue(!key.isSatisfiedBy("KMS", "arn:aws:kms:us-east-1:123456789012:key/other"));
        assertTrue(!key.isSatisfiedBy("AES256", null));
        assertTrue(new Encryption(Encryption.Type.KMS, null).isSatisfiedBy("KMS", "arn:aws:kms:…:key/any"));
        assertTrue(Encryption.AES256.isSatisfiedBy("AES256", null));
    }

    private static Target target(String repository, String prefix, String... extraTags) {
        return new Target(repository, prefix, List.of(extraTags));
    }

    private static Path shippedPlatformImages() {
        Path dir = Paths.get("").toAbsolutePath();
        while (dir != null && !Files.isDirectory(dir.resolve("platform-images"))) {
            dir = dir.getParent();
        }
        assertNotNull(dir, "no platform-images/ folder above " + Paths.get("").toAbsolutePath());
        return dir.resolve("platform-images");
    }
}
