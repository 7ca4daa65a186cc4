package dev.freshen.watcher;

import dev.freshen.events.Trigger;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What one check of one platform image found: the platform it is built for (the first, for a multi-platform image),
 * each base's upstream digest now (the image manifest of that platform), the same per platform for a multi-platform
 * image, what the published image was built from, and the result (with the run it started
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
 * @param platforms for an image built for two or more platforms, each platform in the descriptor's order with its
 *                  bases' upstream digests and how it stands ({@link PlatformView}); {@code platform} and
 *                  {@code upstreamDigests} are then the first one's. Empty for a one-platform image, and when the
 *                  check did not resolve every platform (no bases, error, a parent tag that does not exist yet)
 */
public record CheckOutcome(String imageId, Instant checkedAt, Result result, String platform,
                           Map<String, String> upstreamDigests, BuiltFrom builtFrom, String runId, Instant settlesAt,
                           String message, String code, DefinitionView definition, ChainGuard.Hold waitsOn,
                           List<PlatformView> platforms) {

    /**
     * One platform of a multi-platform image: each base's image manifest for it upstream now, and {@code state}
     * {@code current} (its published image was built from them), {@code moved} (a base moved, or its image does not
     * say what it was built from) or {@code not-published} (nothing published, or the published version has no
     * image for it).
     */
    public record PlatformView(String platform, Map<String, String> upstreamDigests, String state) {
        public PlatformView {
            upstreamDigests = upstreamDigests == null ? Map.of() : Map.copyOf(upstreamDigests);
        }
    }

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
        platforms = platforms == null ? List.of() : List.copyOf(platforms);
    }

    /** An outcome of a one-platform image (no {@code platforms}). */
    public CheckOutcome(String imageId, Instant checkedAt, Result result, String platform,
                        Map<String, String> upstreamDigests, BuiltFrom builtFrom, String runId, Instant settlesAt,
                        String message, String code, DefinitionView definition, ChainGuard.Hold waitsOn) {
        this(imageId, checkedAt, result, platform, upstreamDigests, builtFrom, runId, settlesAt, message, code,
                definition, waitsOn, List.of());
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
                code, definition, waitsOn, platforms);
    }

    /** This outcome with {@code view} as its definition. */
    public CheckOutcome withDefinition(DefinitionView view) {
        return new CheckOutcome(imageId, checkedAt, result, platform, upstreamDigests, builtFrom, runId, settlesAt,
                message, code, view, waitsOn, platforms);
    }

    /** This outcome with {@code views} as its platforms. */
    public CheckOutcome withPlatforms(List<PlatformView> views) {
        return new CheckOutcome(imageId, checkedAt, result, platform, upstreamDigests, builtFrom, runId, settlesAt,
                message, code, definition, waitsOn, views);
    }
}
