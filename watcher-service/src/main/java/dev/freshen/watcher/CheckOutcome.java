package dev.freshen.watcher;

import java.time.Instant;
import java.util.Map;

/**
 * What one check of one platform image found: each base's upstream digest now, what the published image was built
 * from, and the result (with the run it started or found, or the error).
 */
public record CheckOutcome(String imageId, Instant checkedAt, Result result, Map<String, String> upstreamDigests,
                           BuiltFrom builtFrom, String runId, String message) {

    /** The result of a check. */
    public enum Result {
        /** Every base is where the published image was built from. */
        UP_TO_DATE,
        /** A change was seen and a run started ({@code BaseImageUpdated} emitted). */
        RUN_STARTED,
        /** A change was seen, but the run for exactly this change already exists (in flight or ended). */
        RUN_EXISTS,
        /** The Dockerfile has no external base: only forced runs rebuild it. */
        NO_BASES,
        /** The check could not finish (registry unreachable, base tag missing...). */
        ERROR
    }

    public CheckOutcome {
        upstreamDigests = upstreamDigests == null ? Map.of() : Map.copyOf(upstreamDigests);
    }
}
