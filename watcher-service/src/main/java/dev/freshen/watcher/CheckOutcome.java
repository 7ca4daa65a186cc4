package dev.freshen.watcher;

import java.time.Instant;
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
 * @param waitsOn   with {@link Result#HELD}: the image it is built FROM (directly or not) that it waits on, and why
 *                  ({@link ChainGuard.Hold}); else null
 */
public record CheckOutcome(String imageId, Instant checkedAt, Result result, String platform,
                           Map<String, String> upstreamDigests, BuiltFrom builtFrom, String runId, Instant settlesAt,
                           String message, String code, ChainGuard.Hold waitsOn) {

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

    /** An outcome without a problem code (every result but {@link Result#ERROR}). */
    public CheckOutcome(String imageId, Instant checkedAt, Result result, String platform,
                        Map<String, String> upstreamDigests, BuiltFrom builtFrom, String runId, Instant settlesAt,
                        String message) {
        this(imageId, checkedAt, result, platform, upstreamDigests, builtFrom, runId, settlesAt, message, null, null);
    }

    /** An outcome that waits on nothing (every result but {@link Result#HELD}). */
    public CheckOutcome(String imageId, Instant checkedAt, Result result, String platform,
                        Map<String, String> upstreamDigests, BuiltFrom builtFrom, String runId, Instant settlesAt,
                        String message, String code) {
        this(imageId, checkedAt, result, platform, upstreamDigests, builtFrom, runId, settlesAt, message, code, null);
    }

    /** Whether the check finished: every result but {@link Result#ERROR} (a change found counts as passed). */
    public boolean passed() {
        return result != Result.ERROR;
    }

    /** This outcome with {@code builtFrom} instead (a publish heard after the check). */
    public CheckOutcome withBuiltFrom(BuiltFrom newer) {
        return new CheckOutcome(imageId, checkedAt, result, platform, upstreamDigests, newer, runId, settlesAt, message,
                code, waitsOn);
    }
}
