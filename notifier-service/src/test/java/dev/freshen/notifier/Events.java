package dev.freshen.notifier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.freshen.events.BaseImage;
import dev.freshen.events.ChecksFailed;
import dev.freshen.events.ChecksRecovered;
import dev.freshen.events.FailureKind;
import dev.freshen.events.ImagePublished;
import dev.freshen.events.ImageRolledBack;
import dev.freshen.events.ImageWatchChanged;
import dev.freshen.events.PipelineFailed;
import dev.freshen.events.RunIds;
import dev.freshen.events.Stage;
import dev.freshen.events.StageTiming;
import dev.freshen.events.Trigger;
import dev.freshen.events.WatchState;
import dev.freshen.events.image.ImageReference;
import dev.freshen.testing.SampleEvents;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
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

    /**
     * A container log as a terminal shows it: colours (CSI), a window title and a hyperlink (OSC), a progress bar
     * rewritten with carriage returns, a bell, a tab.
     */
    public static final String COLOURED_LOG = "\u001B]0;app\u0007\u001B[31;1mFATAL\u001B[0m: config missing\n"
            + "Downloading 10%\rDownloading 55%\rDownloading 100%\u0007\n"
            + "\u001B]8;;https://example.com\u001B\\exit\u001B]8;;\u001B\\ code\t3\u001B[K";

    /**
     * Published by a forced run on an unchanged base, the second version: what the card of such a run shows (full tag,
     * the version replaced, who asked, a reason with escape codes).
     */
    public static ImagePublished forcedPublished(String imageId, String requestedBy, String replaces) {
        BaseImage unchanged = new BaseImage(SampleEvents.BASE.reference(), SampleEvents.digest('2'), SampleEvents.digest('2'));
        return new ImagePublished(SampleEvents.runId(), imageId, 1, T0.plusSeconds(90),
                Trigger.forced("\u001B[33mCVE-2026-1234\u001B[0m in openssl", requestedBy), List.of(unchanged),
                ImageReference.parse("registry.example.com/platform/net10-runtime:10.0-1.1.0@" + SampleEvents.digest('9')),
                "1.1.0", List.of("10.0-1.1.0", "latest"), List.of(), replaces);
    }

    /** The first version of an image: nothing before it. */
    public static ImagePublished firstPublished(String imageId) {
        return new ImagePublished(SampleEvents.runId(), imageId, 1, T0, Trigger.baseImageUpdated(),
                List.of(new BaseImage(SampleEvents.BASE.reference(), SampleEvents.digest('2'), null)),
                ImageReference.parse("registry.example.com/platform/net10-runtime:10.0-1.0.0@" + SampleEvents.digest('9')),
                "1.0.0", List.of("10.0-1.0.0", "latest"), List.of());
    }

    /** base/runtime's run that published 10.0-1.3.0, which started a child's run. */
    public static final String PARENT_RUN = "b-0a1b2c3d4e5f60718293a4b5";

    /** A child's trigger: base/runtime published 10.0-1.3.0 in {@link #PARENT_RUN}. */
    public static Trigger parentPublished() {
        return Trigger.parentPublished(new Trigger.Parent("base/runtime", "10.0-1.3.0", PARENT_RUN,
                ImageReference.parse("registry.example.com/platform/dotnet:runtime-10.0@" + SampleEvents.digest('7'))));
    }

    /**
     * A definition change of {@code files} files (the first the Dockerfile, then {@code app/file-<n>.sh}, changes
     * cycling through modified, added, mode, removed) plus {@code moreFiles} not listed, and {@code commits} commits
     * (subjects with markdown characters and an escape code) plus {@code moreCommits}.
     */
    public static Trigger definitionChanged(int files, int moreFiles, int commits, int moreCommits) {
        List<String> changes = List.of(Trigger.FileChange.MODIFIED, Trigger.FileChange.ADDED, Trigger.FileChange.MODE,
                Trigger.FileChange.REMOVED);
        List<Trigger.FileChange> listed = new ArrayList<>();
        for (int i = 0; i < files; i++) {
            listed.add(new Trigger.FileChange(i == 0 ? "Dockerfile" : "app/file-" + i + ".sh", changes.get(i % 4)));
        }
        List<Trigger.Commit> log = new ArrayList<>();
        for (int i = 0; i < commits; i++) {
            log.add(new Trigger.Commit(String.valueOf((char) ('a' + i)).repeat(40), "Alice <b>" + i,
                    "\u001B[1mPin *curl* & <openssl>\u001B[0m " + i));
        }
        return Trigger.definitionChanged(new Trigger.DefinitionChange("sha256:" + "c".repeat(64),
                "sha256:" + "b".repeat(64), listed, moreFiles, log, moreCommits));
    }

    /** {@code event} with another trigger. */
    public static ImagePublished withTrigger(ImagePublished e, Trigger trigger) {
        return new ImagePublished(e.runId(), e.imageId(), e.attempt(), e.occurredAt(), trigger, e.baseImages(), e.image(),
                e.version(), e.tags(), e.timings(), e.replaces(), e.scan());
    }

    /** {@code event} with another trigger. */
    public static PipelineFailed withTrigger(PipelineFailed e, Trigger trigger) {
        return new PipelineFailed(e.runId(), e.imageId(), e.attempt(), e.occurredAt(), e.stage(), e.kind(), e.reason(),
                e.logExcerpt(), trigger, e.code(), e.hint(), e.candidate());
    }

    /** Fails unless every text in {@code json} (a message as posted) is free of escape and control characters but line feeds. */
    public static void assertPlain(String json) {
        JsonNode message;
        try {
            message = new ObjectMapper().readTree(json);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        List<JsonNode> nodes = new ArrayList<>(List.of(message));
        while (!nodes.isEmpty()) {
            JsonNode node = nodes.remove(nodes.size() - 1);
            node.forEach(nodes::add);
            if (node.isTextual()) {
                String text = node.asText();
                for (int i = 0; i < text.length(); i++) {
                    char c = text.charAt(i);
                    if (c < 0x20 && c != '\n' || c >= 0x7f && c <= 0x9f) {
                        throw new AssertionError("control character " + (int) c + " in: " + text);
                    }
                }
            }
        }
    }

    /** Failed at the test stage with the given log. */
    public static PipelineFailed failed(String imageId, String log) {
        return new PipelineFailed(SampleEvents.runId(), imageId, 1, T0, Stage.TEST, FailureKind.PERMANENT,
                "POST /MyService answered 500, expected 200 *and* a body containing _freshen_", log,
                Trigger.baseImageUpdated());
    }

    /** net10/runtime's moving tags moved back from 10.0-noble-1.3.0 to 10.0-noble-1.2.0 by api:ops, with a reason. */
    public static ImageRolledBack rolledBack(String imageId, String reason) {
        ImageReference to = ImageReference.parse("registry.example.com/platform/net10-runtime:10.0-noble-1.2.0@"
                + SampleEvents.digest('8'));
        ImageReference from = ImageReference.parse("registry.example.com/platform/net10-runtime:10.0-noble-1.3.0@"
                + SampleEvents.digest('9'));
        return new ImageRolledBack(RunIds.rollback(), imageId, 1, T0, from, to, List.of("10.0", "latest"),
                "10.0-noble-1.3.0", reason, "api:ops");
    }

    /** net10/runtime's checks failed 3 times in a row since {@link #T0}, the last time with {@code code} and {@code reason}. */
    public static ChecksFailed checksFailed(String imageId, String code, String reason) {
        return new ChecksFailed(RunIds.forCheckStreak(imageId, T0), imageId, 1, T0.plusSeconds(1800), T0, 3, code, reason);
    }

    /** The end of {@code failed}'s streak, 65 minutes after it began, after 5 failed checks. */
    public static ChecksRecovered checksRecovered(ChecksFailed failed) {
        java.time.Instant at = failed.failingSince().plusSeconds(65 * 60);
        return new ChecksRecovered(failed.runId(), failed.imageId(), 1, at, failed.failingSince(), at, 5);
    }

    /** A failed rollback: the publisher's answer when the version is not there. */
    public static PipelineFailed failedRollback(String imageId) {
        return new PipelineFailed(RunIds.rollback(), imageId, 1, T0, Stage.PUBLISH, FailureKind.PERMANENT,
                "cannot roll back " + imageId + " to 10.0-noble-0.9.0: no such version tag", null,
                Trigger.rollback("1.3.0 breaks TLS", "api:ops")).withProblem("rollback-version-missing",
                "List the published versions with 'freshen status " + imageId + "'.");
    }
}
