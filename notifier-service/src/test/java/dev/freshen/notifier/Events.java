package dev.freshen.notifier;

import dev.freshen.events.BaseImage;
import dev.freshen.events.FailureKind;
import dev.freshen.events.ImagePublished;
import dev.freshen.events.PipelineFailed;
import dev.freshen.events.Stage;
import dev.freshen.events.StageTiming;
import dev.freshen.events.Trigger;
import dev.freshen.events.image.ImageReference;
import dev.freshen.testing.SampleEvents;

import java.time.Instant;
import java.util.List;

/** Fully populated events for the notifier's tests (fresh run ids), with a chosen image id. */
public final class Events {

    public static final Instant T0 = Instant.parse("2025-01-14T09:00:00Z");

    private Events() {
    }

    /** Published after a forced run with three timed stages and two bases (one never seen before). */
    public static ImagePublished published(String imageId) {
        return new ImagePublished(SampleEvents.runId(), imageId, 1, T0.plusSeconds(200),
                Trigger.forced("Dockerfile changed: <curl> & \"ca-certificates\"", "alice"),
                List.of(SampleEvents.BASE, new BaseImage(ImageReference.parse("mcr.microsoft.com/dotnet/aspnet:10.0"),
                        SampleEvents.digest('5'), null)),
                ImageReference.parse("registry.example.com/platform/net10-runtime:10.0-noble-1.3.0@" + SampleEvents.digest('9')),
                "1.3.0", List.of("10.0-noble-1.3.0", "10.0", "latest"),
                List.of(new StageTiming(Stage.BUILD, T0, T0.plusSeconds(125)),
                        new StageTiming(Stage.TEST, T0.plusSeconds(126), T0.plusSeconds(170)),
                        new StageTiming(Stage.PUBLISH, T0.plusSeconds(171), T0.plusSeconds(171).plusMillis(850))));
    }

    /** A base-update run published as {@link SampleEvents#imagePublished()} does, for another image. */
    public static ImagePublished simplePublished(String imageId) {
        ImagePublished e = SampleEvents.imagePublished();
        return new ImagePublished(e.runId(), imageId, e.attempt(), e.occurredAt(), e.trigger(), e.baseImages(), e.image(),
                e.version(), e.tags(), e.timings());
    }

    /** Failed at the test stage with the given log. */
    public static PipelineFailed failed(String imageId, String log) {
        return new PipelineFailed(SampleEvents.runId(), imageId, 1, T0, Stage.TEST, FailureKind.PERMANENT,
                "POST /MyService answered 500, expected 200 *and* a body containing _freshen_", log,
                Trigger.baseImageUpdated());
    }
}
