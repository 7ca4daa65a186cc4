package dev.freshen.cli;

import dev.freshen.events.BaseImageUpdated;
import dev.freshen.events.FailureKind;
import dev.freshen.events.ForceUpdateRequested;
import dev.freshen.events.FreshenEvent;
import dev.freshen.events.ImageBuilt;
import dev.freshen.events.ImagePublished;
import dev.freshen.events.ImageVerified;
import dev.freshen.events.PipelineFailed;
import dev.freshen.events.Stage;
import dev.freshen.events.Trigger;
import dev.freshen.testing.SampleEvents;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class RunViewTest {

    static final Instant T0 = Instant.parse("2026-11-27T10:00:00Z");
    static final String RUN = "f-0123456789abcdef01234567";

    @Test
    void eventsInAnyOrderFoldIntoTheRunStageByStage() {
        List<FreshenEvent> events = published(RUN);
        RunView run = RunView.of(List.of(events.get(3), events.get(1), events.get(0), events.get(2)));

        assertEquals(RUN, run.runId());
        assertEquals("net10/runtime", run.imageId());
        assertEquals(RunView.PUBLISHED, run.state());
        assertEquals(new RunView.Trigger("forced", "CVE-2026-1", "cli:alice"), run.trigger());
        assertEquals(T0, run.startedAt());
        assertEquals(T0.plusSeconds(75), run.endedAt());
        assertEquals(List.of("FORCE_UPDATE_REQUESTED", "IMAGE_BUILT", "IMAGE_VERIFIED", "IMAGE_PUBLISHED"),
                run.stages().stream().map(RunView.Entry::event).toList());
        assertEquals(List.of("detect", "build", "test", "publish"), run.stages().stream().map(RunView.Entry::stage).toList());
        ImagePublished published = (ImagePublished) events.get(3);
        assertEquals(new RunView.Published(published.image().toString(), "1.0.0", List.of("10.0-1.0.0", "latest"),
                T0.plusSeconds(75)), run.published());
        assertNull(run.failure());
        assertEquals(1, run.stages().get(1).warnings());
        assertEquals(1, run.stages().get(2).checks());
    }

    @Test
    void aFailureIsTheOutcomeAndDuplicatesCountOnce() {
        BaseImageUpdated update = new BaseImageUpdated(RUN.replace("f-", "b-"), "net10/runtime", 1, T0,
                List.of(SampleEvents.BASE), "sha256:c");
        PipelineFailed failed = new PipelineFailed(update.runId(), "net10/runtime", 2, T0.plusSeconds(30), Stage.BUILD,
                FailureKind.TRANSIENT_EXHAUSTED, "registry answered 503", "log", Trigger.baseImageUpdated());
        RunView run = RunView.of(List.of(update, failed, failed, update));

        assertEquals(RunView.FAILED, run.state());
        assertEquals(new RunView.Failure("build", "transient-exhausted", "registry answered 503", T0.plusSeconds(30)),
                run.failure());
        assertEquals(2, run.stages().size());
        assertEquals(new RunView.Trigger("base-image-updated", null, null), run.trigger());
        assertEquals(List.of(new RunView.Base("127.0.0.1:5000/dotnet/runtime:10.0", SampleEvents.digest('2').toString(),
                SampleEvents.digest('1').toString())), run.stages().get(0).baseImages());
        assertEquals(2, run.stages().get(1).attempt());
    }

    @Test
    void aRunWithoutItsTriggerEventHasNoStartButAnOrigin() {
        ImageBuilt built = (ImageBuilt) published(RUN).get(1);
        RunView run = RunView.of(List.of(built));
        assertEquals(RunView.IN_FLIGHT, run.state());
        assertNull(run.startedAt());
        assertEquals(built.occurredAt(), run.origin());
        assertEquals(new RunView.Trigger("forced", "CVE-2026-1", "cli:alice"), run.trigger(), "carried by the event");
        assertNull(RunView.of(List.of()));
    }

    @Test
    void detailIsBoundedLikeTheWatchersLedger() {
        List<FreshenEvent> events = new ArrayList<>();
        events.add(new ForceUpdateRequested(RUN, "net10/runtime", 1, T0, "x".repeat(2000), "api"));
        ImageBuilt sample = (ImageBuilt) published(RUN).get(1);
        for (int i = 1; i <= 30; i++) {
            events.add(new ImageBuilt(RUN, "net10/runtime", 1, T0.plusSeconds(i), sample.trigger(), sample.baseImages(),
                    sample.candidate(), List.of(), List.of()));
        }
        RunView run = RunView.of(events);
        assertEquals(RunView.MAX_STAGES, run.stages().size());
        assertEquals("FORCE_UPDATE_REQUESTED", run.stages().get(0).event());
        assertEquals(T0.plusSeconds(30), run.stages().get(RunView.MAX_STAGES - 1).at());
        assertEquals(RunView.MAX_TEXT, run.stages().get(0).reason().length());
    }

    /** A forced run that went through every stage: trigger at T0, built +40 s, verified +70 s, published +75 s. */
    static List<FreshenEvent> published(String runId) {
        ForceUpdateRequested forced = new ForceUpdateRequested(runId, "net10/runtime", 1, T0, "CVE-2026-1", "cli:alice");
        ImageBuilt sample = SampleEvents.imageBuilt();
        ImageBuilt built = new ImageBuilt(runId, "net10/runtime", 1, T0.plusSeconds(40), forced.trigger(),
                sample.baseImages(), sample.candidate(), List.of("JSONArgsRecommended"), sample.timings());
        ImageVerified verified = new ImageVerified(runId, "net10/runtime", 1, T0.plusSeconds(70), forced.trigger(),
                sample.baseImages(), sample.candidate(), SampleEvents.imageVerified().checks(), sample.timings());
        ImagePublished published = new ImagePublished(runId, "net10/runtime", 1, T0.plusSeconds(75), forced.trigger(),
                sample.baseImages(), sample.candidate().withTag("10.0-1.0.0"), "1.0.0", List.of("10.0-1.0.0", "latest"),
                sample.timings());
        return List.of(forced, built, verified, published);
    }
}
