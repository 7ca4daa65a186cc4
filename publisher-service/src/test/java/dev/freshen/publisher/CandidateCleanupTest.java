package dev.freshen.publisher;

import dev.freshen.events.BaseImage;
import dev.freshen.events.FailureKind;
import dev.freshen.events.ImageVerified;
import dev.freshen.events.PipelineFailed;
import dev.freshen.events.Stage;
import dev.freshen.events.Trigger;
import dev.freshen.events.image.Digest;
import dev.freshen.events.image.ImageReference;
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
        public boolean delete(String tag, Digest digest) {
            if (failure != null) {
                throw failure;
            }
            deletes.add(tagOnly ? tag : digest.toString());
            return tagOnly ? tags.remove(tag) != null : tags.values().removeIf(digest::equals);
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
}
