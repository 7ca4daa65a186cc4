package dev.freshen.builder;

import dev.freshen.events.BaseImage;
import dev.freshen.events.FailureKind;
import dev.freshen.events.ImageBuilt;
import dev.freshen.events.PipelineFailed;
import dev.freshen.events.Stage;
import dev.freshen.events.Trigger;
import dev.freshen.events.image.Digest;
import dev.freshen.events.image.ImageReference;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

class BuildOutcomesTest {

    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
    private static final ImageReference CANDIDATE = ImageReference.parse(
            "registry.example.com/platform/app-staging@sha256:" + "c".repeat(64));

    private static final List<BaseImage> BASES = List.of(new BaseImage(ImageReference.parse("mcr.example.com/dotnet/runtime:10.0"),
            Digest.parse("sha256:" + "a".repeat(64)), null));

    private final BuildOutcomes outcomes = new BuildOutcomes();

    private static BuildRequest request(String runId) {
        return new BuildRequest(runId, "fixture/app", Trigger.baseImageUpdated(), List.of(), NOW);
    }

    private static ImageBuilt built(String runId) {
        return new ImageBuilt(runId, "fixture/app", 1, NOW, Trigger.baseImageUpdated(), BASES, CANDIDATE, List.of(),
                List.of());
    }

    private static PipelineFailed failed(String runId, Stage stage, FailureKind kind) {
        return new PipelineFailed(runId, "fixture/app", 1, NOW, stage, kind, "it failed", null, Trigger.baseImageUpdated());
    }

    @Test
    void aBuiltCandidateAndAPermanentBuildFailureAreFinal() {
        outcomes.remember(built("run-1"));
        outcomes.remember(failed("run-2", Stage.BUILD, FailureKind.PERMANENT));
        assertEquals(Optional.of(built("run-1")), outcomes.of(request("run-1")));
        assertEquals(Optional.of(failed("run-2", Stage.BUILD, FailureKind.PERMANENT)), outcomes.of(request("run-2")));
        assertEquals(Optional.empty(), outcomes.of(request("run-3")));
    }

    @Test
    void transientAndInternalBuildFailuresAndOtherStagesFailuresAreNot() {
        outcomes.remember(failed("run-1", Stage.BUILD, FailureKind.TRANSIENT_EXHAUSTED));
        outcomes.remember(failed("run-2", Stage.BUILD, FailureKind.INTERNAL));
        outcomes.remember(failed("run-3", Stage.TEST, FailureKind.PERMANENT));
        assertEquals(Optional.empty(), outcomes.of(request("run-1")));
        assertEquals(Optional.empty(), outcomes.of(request("run-2")));
        assertEquals(Optional.empty(), outcomes.of(request("run-3")), "the test's failure says nothing of the build");
    }

    @Test
    void theFirstFinalOutcomeOfARunStays() {
        outcomes.remember(built("run-1"));
        outcomes.remember(failed("run-1", Stage.BUILD, FailureKind.PERMANENT));
        assertEquals(Optional.of(built("run-1")), outcomes.of(request("run-1")));
    }
}
