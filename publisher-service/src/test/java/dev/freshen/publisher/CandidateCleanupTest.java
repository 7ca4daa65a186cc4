package dev.freshen.publisher;

import dev.freshen.events.BaseImage;
import dev.freshen.events.FailureKind;
import dev.freshen.events.ImageVerified;
import dev.freshen.events.PipelineFailed;
import dev.freshen.events.Stage;
import dev.freshen.events.Trigger;
import dev.freshen.events.image.Digest;
import dev.freshen.events.image.ImageReference;
import dev.freshen.events.image.Platform;
import dev.freshen.events.image.PlatformDigest;
import dev.freshen.registry.ImageIndexes;
import dev.freshen.registry.Manifest;
import dev.freshen.registry.MediaTypes;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CandidateCleanupTest {

    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
    private static final Digest DIGEST = Digest.parse("sha256:" + "c".repeat(64));
    private static final Digest OTHER = Digest.parse("sha256:" + "d".repeat(64));
    private static final ImageReference CANDIDATE = ImageReference.parse(
            "registry.example.com/platform/app-staging@" + DIGEST);

    /** A staging repository in memory: tags, what deleting does (OCI: the digest with its tags; ECR: the tag). */
    private static final class FakeStaging implements StagingRepository {
        final Map<String, Digest> tags = new LinkedHashMap<>();
        final Map<Digest, Manifest> manifests = new LinkedHashMap<>();
        final List<String> deletes = new ArrayList<>();
        boolean tagOnly;
        RuntimeException failure;

        @Override
        public String describe() {
            return "registry.example.com/platform/app-staging";
        }

        @Override
        public boolean deletesTagOnly() {
            return tagOnly;
        }

        @Override
        public List<String> tags() {
            return new ArrayList<>(tags.keySet());
        }

        @Override
        public Optional<Digest> digestOf(String tag) {
            return Optional.ofNullable(tags.get(tag));
        }

        @Override
        public Optional<Manifest> manifest(Digest digest) {
            return Optional.ofNullable(manifests.get(digest));
        }

        @Override
        public boolean delete(String tag, Digest digest) {
            if (failure != null) {
                throw failure;
            }
            deletes.add(tagOnly ? tag : digest.toString());
            if (tagOnly) {
                return tags.remove(tag) != null;
            }
            boolean held = manifests.remove(digest) != null;
            return tags.values().removeIf(digest::equals) || held;
        }
    }

    private final FakeStaging staging = new FakeStaging();
    private final List<ImageReference> asked = new ArrayList<>();
    private final CandidateCleanup cleanup = new CandidateCleanup(candidate -> {
        asked.add(candidate);
        return staging;
    });

    private static ImageVerified verified(String runId) {
        return new ImageVerified(runId, "fixture/app", 1, NOW, Trigger.baseImageUpdated(),
                List.of(new BaseImage(ImageReference.parse("mcr.example.com/dotnet/runtime:10.0"),
                        Digest.parse("sha256:" + "a".repeat(64)), null)), CANDIDATE, List.of(), List.of());
    }

    private static PipelineFailed failed(String runId, Stage stage, FailureKind kind, ImageReference candidate) {
        return new PipelineFailed(runId, "fixture/app", 1, NOW, stage, kind, "it failed", null, Trigger.baseImageUpdated())
                .withCandidate(candidate);
    }

    @Test
    void afterAPublishTheCandidateIsDeletedFromItsStagingRepository() {
        staging.tags.put("candidate-run-1", DIGEST);
        staging.tags.put("candidate-run-2", OTHER);
        assertEquals(CandidateCleanup.Result.DELETED, cleanup.afterPublished(verified("run-1")));
        assertEquals(List.of(CANDIDATE), asked);
        assertEquals(Map.of("candidate-run-2", OTHER), staging.tags, "another run's candidate stays");
    }

    @Test
    void afterAFailureInTestOrPublishTheCandidateItNamesIsDeleted() {
        staging.tags.put("candidate-run-1", DIGEST);
        assertEquals(Optional.of(CandidateCleanup.Result.DELETED),
                cleanup.afterFailed(failed("run-1", Stage.TEST, FailureKind.PERMANENT, CANDIDATE)));
        assertEquals(Optional.of(CandidateCleanup.Result.GONE_ALREADY),
                cleanup.afterFailed(failed("run-1", Stage.PUBLISH, FailureKind.TRANSIENT_EXHAUSTED, CANDIDATE)),
                "a second failure of the run finds it gone");
    }

    @Test
    void internalFailuresBuildFailuresAndFailuresWithoutACandidateLeaveStagingAlone() {
        staging.tags.put("candidate-run-1", DIGEST);
        assertEquals(Optional.empty(), cleanup.afterFailed(failed("run-1", Stage.TEST, FailureKind.INTERNAL, CANDIDATE)),
                "the dead-lettered input is replayed and needs its candidate");
        assertEquals(Optional.empty(), cleanup.afterFailed(failed("run-1", Stage.BUILD, FailureKind.PERMANENT, CANDIDATE)));
        assertEquals(Optional.empty(), cleanup.afterFailed(failed("run-1", Stage.TEST, FailureKind.PERMANENT, null)),
                "written by a stage one version behind");
        assertTrue(asked.isEmpty());
        assertEquals(Map.of("candidate-run-1", DIGEST), staging.tags);
    }

    @Test
    void whereDeletingRemovesTheDigestADigestAnotherTagNamesIsKept() {
        // staged in the target repository: the published version tag names the candidate's digest
        staging.tags.put("10.0-1.3.0", DIGEST);
        staging.tags.put("candidate-run-1", DIGEST);
        assertEquals(CandidateCleanup.Result.KEPT, cleanup.afterPublished(verified("run-1")));
        assertTrue(staging.deletes.isEmpty());
        assertEquals(DIGEST, staging.tags.get("10.0-1.3.0"));
    }

    @Test
    void whereDeletingRemovesTheTagOnlyTheCandidateTagGoesWhateverElseNamesTheDigest() {
        staging.tagOnly = true;
        staging.tags.put("10.0-1.3.0", DIGEST);
        staging.tags.put("candidate-run-1", DIGEST);
        assertEquals(CandidateCleanup.Result.DELETED, cleanup.afterPublished(verified("run-1")));
        assertEquals(List.of("candidate-run-1"), staging.deletes);
        assertEquals(Map.of("10.0-1.3.0", DIGEST), staging.tags);
    }

    @Test
    void aRegistryThatRefusesDeletesOrFailsNeverFailsTheRun() {
        staging.failure = new StagingRepository.DeletesRefused("registry.example.com answered HTTP 405",
                "storage.delete.enabled", null);
        assertEquals(CandidateCleanup.Result.NOT_DELETED, cleanup.afterPublished(verified("run-1")));
        assertEquals(CandidateCleanup.Result.NOT_DELETED, cleanup.afterPublished(verified("run-2")));
        staging.failure = new IllegalStateException("registry.example.com: HTTP 500");
        assertEquals(CandidateCleanup.Result.NOT_DELETED, cleanup.afterPublished(verified("run-3")));
    }

    // --- multi-platform candidates: the index, then each platform image ------------------------------------------

    private static final Platform ARM64 = Platform.parse("linux/arm64");
    private static final Digest AMD64_CHILD = Digest.parse("sha256:" + "1".repeat(64));
    private static final Digest ARM64_CHILD = Digest.parse("sha256:" + "2".repeat(64));

    /** Stages run-1's two platform images under their own tags and an index listing them; returns the candidate. */
    private ImageReference stageIndex() {
        Manifest index = ImageIndexes.write(List.of(
                new ImageIndexes.Entry(MediaTypes.OCI_MANIFEST, AMD64_CHILD, 500, Platform.LINUX_AMD64, Map.of()),
                new ImageIndexes.Entry(MediaTypes.OCI_MANIFEST, ARM64_CHILD, 501, ARM64, Map.of())), Map.of());
        staging.manifests.put(index.digest(), index);
        staging.tags.put("candidate-run-1-linux-amd64", AMD64_CHILD);
        staging.tags.put("candidate-run-1-linux-arm64", ARM64_CHILD);
        staging.tags.put("candidate-run-1", index.digest());
        staging.tags.put("candidate-run-2", OTHER);
        return ImageReference.parse("registry.example.com/platform/app-staging@" + index.digest());
    }

    private static ImageVerified verifiedIndex(ImageReference candidate) {
        return new ImageVerified("run-1", "fixture/app", 1, NOW, Trigger.baseImageUpdated(),
                verified("run-1").baseImages(), candidate, List.of(), List.of()).withManifests(List.of(new PlatformDigest(Platform.LINUX_AMD64, AMD64_CHILD),
                new PlatformDigest(ARM64, ARM64_CHILD)));
    }

    @Test
    void aMultiPlatformCandidateGoesIndexFirstThenEachPlatformImageByDigest() {
        ImageReference candidate = stageIndex();
        assertEquals(CandidateCleanup.Result.DELETED, cleanup.afterPublished(verifiedIndex(candidate)));
        assertEquals(List.of(candidate.digest().toString(), AMD64_CHILD.toString(), ARM64_CHILD.toString()),
                staging.deletes);
        assertEquals(Map.of("candidate-run-2", OTHER), staging.tags, "another run's candidate stays");
    }

    @Test
    void onEcrTheIndexTagGoesFirstThenEachPlatformImagesTag() {
        staging.tagOnly = true;
        ImageReference candidate = stageIndex();
        assertEquals(Optional.of(CandidateCleanup.Result.DELETED),
                cleanup.afterFailed(failed("run-1", Stage.TEST, FailureKind.PERMANENT, candidate)
                        .withPlatform(ARM64)));
        assertEquals(List.of("candidate-run-1", "candidate-run-1-linux-amd64", "candidate-run-1-linux-arm64"),
                staging.deletes);
        assertEquals(Map.of("candidate-run-2", OTHER), staging.tags);
    }

    @Test
    void aPublishedIndexStagedInTheTargetRepositoryIsKeptWithItsPlatformImages() {
        ImageReference candidate = stageIndex();
        staging.tags.put("10.0-1.3.0", candidate.digest());
        assertEquals(CandidateCleanup.Result.KEPT, cleanup.afterPublished(verifiedIndex(candidate)));
        assertTrue(staging.deletes.isEmpty(), "the published index lists them: " + staging.deletes);
    }

    @Test
    void aPlatformImageAnotherTagNamesIsKeptWhileTheOthersGo() {
        ImageReference candidate = stageIndex();
        staging.tags.put("pinned-arm64", ARM64_CHILD);
        assertEquals(CandidateCleanup.Result.DELETED, cleanup.afterPublished(verifiedIndex(candidate)));
        assertEquals(List.of(candidate.digest().toString(), AMD64_CHILD.toString()), staging.deletes);
        assertEquals(ARM64_CHILD, staging.tags.get("pinned-arm64"));
    }

    @Test
    void whenTheIndexIsGoneAlreadyThePlatformImagesTheEventNamesStillGo() {
        ImageReference candidate = stageIndex();
        staging.manifests.remove(candidate.digest());
        staging.tags.remove("candidate-run-1");
        assertEquals(CandidateCleanup.Result.GONE_ALREADY, cleanup.afterPublished(verifiedIndex(candidate)));
        assertEquals(Map.of("candidate-run-2", OTHER), staging.tags);
    }
}
