package dev.freshen.watcher;

import dev.freshen.events.Trigger;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What one check of one platform image found: the platform it is built for, each base's upstream digest now (the
 * image manifest of that platform), what the published image was built from, and the result (with the run it started
 * or found, the time a settling change is due, or the error).
 *
 * @param platform  {@code os/architecture[/variant]} the bases were resolved for; null when the check did not get
 *                  that far (no bases)
 * @param settlesAt with {@link Result#SETTLING}: when the run starts if the bases do not move again; else null
 * @param code      with {@link Result#ERROR}: the kind of problem as a stable id ({@link CheckProblems}); else null
 * @param definition the image's definition against the published one ({@link DefinitionDrift}); null when the check
 *                   did not read what is published (no bases, error)
 * @param waitsOn   with {@link Result#HELD}: the image it is built FROM (directly or not) that it waits on, and why
 *                  ({@link ChainGuard.Hold}); else null
 */
public record CheckOutcome(String imageId, Instant checkedAt, Result result, String platform,
                           Map<String, String> upstreamDigests, BuiltFrom builtFrom, String runId, Instant settlesAt,
                           String message, String code, DefinitionView definition, ChainGuard.Hold waitsOn) {

    /**
     * The definition on disk ({@code current}) against the published version's ({@code published}, null when
     * unknown): {@code state} {@code same}, {@code changed} or {@code unknown}; with {@code changed}, the files that
     * differ (at most {@value Trigger.DefinitionChange#MAX_FILES}, {@code moreFiles} not listed; none when the
     * published image does not list its files).
     */
    public record DefinitionView(String current, String published, String state, List<FileView> files,
                                 int moreFiles) {
        public DefinitionView {
            files = files == null ? List.of() : List.copyOf(files);
        }
    }

    /**
     * A file that differs: its path relative to the image's folder ({@code platform-image.yaml} for the build
     * settings) and how ({@code added}, {@code removed}, {@code modified}, {@code mode}), as in the run's trigger.
     */
    public record FileView(String path, String change) {

        static FileView of(Trigger.FileChange change) {
            return new FileView(change.path(), change.change());
        }
    }

    /** The result of a check. */
    public enum Result {
        /** Every base is where the published image was built from. */
        UP_TO_DATE,
        /** A change was seen and a run started ({@code BaseImageUpdated} emitted). */
        RUN_STARTED,
        /** A change was seen, but the run for exactly this change already exists (in flight or ended). */
        RUN_EXISTS,
        /**
         * A change was seen and the descriptor has a settle window: the run starts once the bases' digests have stayed
         * unchanged for that long ({@code settlesAt}).
         */
        SETTLING,
        /**
         * The definition changed but the descriptor says {@code rebuildOnChange: false}: no run until a forced one (or
         * a base update) builds it.
         */
        AWAITING_RELEASE,
        /** The Dockerfile has no external base: only forced runs rebuild it. */
        NO_BASES,
        /** The check could not finish (registry unreachable, base tag missing...). */
        ERROR,
        /**
         * A change was seen, but an image this one is built FROM has a run in flight, a failed run, a change settling
         * or no version yet ({@code waitsOn}): nothing starts; its publish starts this image's run.
         */
        HELD
    }

    public CheckOutcome {
        upstreamDigests = upstreamDigests == null ? Map.of() : Map.copyOf(upstreamDigests);
    }

    /** An outcome without its definition that waits on nothing. */
    public CheckOutcome(String imageId, Instant checkedAt, Result result, String platform,
                        Map<String, String> upstreamDigests, BuiltFrom builtFrom, String runId, Instant settlesAt,
                        String message, String code) {
        this(imageId, checkedAt, result, platform, upstreamDigests, builtFrom, runId, settlesAt, message, code, null, null);
    }

    /** An outcome without a problem code (every result but {@link Result#ERROR}). */
    public CheckOutcome(String imageId, Instant checkedAt, Result result, String platform,
                        Map<String, String> upstreamDigests, BuiltFrom builtFrom, String runId, Instant settlesAt,
                        String message) {
        this(imageId, checkedAt, result, platform, upstreamDigests, builtFrom, runId, settlesAt, message, null, null, null);
    }

    /** Whether the check finished: every result but {@link Result#ERROR} (a change found counts as passed). */
    public boolean passed() {
        return result != Result.ERROR;
    }

    /** This outcome with {@code builtFrom} instead (a publish heard after the check). */
    public CheckOutcome withBuiltFrom(BuiltFrom newer) {
        return new CheckOutcome(imageId, checkedAt, result, platform, upstreamDigests, newer, runId, settlesAt, message,
                code, definition, waitsOn);
    }

    /** This outcome with {@code view} as its definition. */
    public CheckOutcome withDefinition(DefinitionView view) {
        return new CheckOutcome(imageId, checkedAt, result, platform, upstreamDigests, builtFrom, runId, settlesAt,
                message, code, view, waitsOn);
    }
}
