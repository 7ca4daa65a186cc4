package dev.freshen.notifier;

import dev.freshen.events.BaseImage;
import dev.freshen.events.FailureKind;
import dev.freshen.events.ImagePublished;
import dev.freshen.events.ImageWatchChanged;
import dev.freshen.events.PipelineFailed;
import dev.freshen.events.RunIds;
import dev.freshen.events.Stage;
import dev.freshen.events.StageTiming;
import dev.freshen.events.Trigger;
import dev.freshen.events.WatchState;
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

    /**
     * The image became invalid (it was watched): two problems, one with a cron expression and markdown characters in
     * its hint, published version known.
     */
    public static ImageWatchChanged notWatched(String imageId) {
        List<ImageWatchChanged.Problem> problems = List.of(
                new ImageWatchChanged.Problem("descriptor-invalid-cron", "field 'schedule': 'hourly' is not a valid cron "
                        + "expression: it has 1 field, a Quartz cron expression has 6", "Write \"0 */15 * * * ?\" "
                        + "(every 15 minutes) or leave schedule out; <b>not</b> markdown & not HTML",
                        imageId + "/platform-image.yaml", "schedule", 1, 11),
                new ImageWatchChanged.Problem("descriptor-unknown-key", "unknown key 'notfy' at the top level: did you "
                        + "mean notify?", "Rename it to notify.", imageId + "/platform-image.yaml", "notfy", 12, 1));
        return new ImageWatchChanged(RunIds.forWatchChange(imageId, WatchState.INVALID, problems, SampleEvents.runId()),
                imageId, 1, T0, WatchState.INVALID, WatchState.WATCHED, problems,
                ImageReference.parse("registry.example.com/platform/net10-runtime:10.0-noble-1.3.0@" + SampleEvents.digest('9')));
    }

    /** The image is watched again after {@code invalid}. */
    public static ImageWatchChanged watchedAgain(ImageWatchChanged invalid) {
        return new ImageWatchChanged(RunIds.forWatchChange(invalid.imageId(), WatchState.WATCHED, List.of(), invalid.runId()),
                invalid.imageId(), 1, invalid.occurredAt().plusSeconds(600), WatchState.WATCHED, WatchState.INVALID,
                List.of(), invalid.lastPublished());
    }

    /** Failed at the test stage with the given log. */
    public static PipelineFailed failed(String imageId, String log) {
        return new PipelineFailed(SampleEvents.runId(), imageId, 1, T0, Stage.TEST, FailureKind.PERMANENT,
                "POST /MyService answered 500, expected 200 *and* a body containing _freshen_", log,
                Trigger.baseImageUpdated());
    }
}
