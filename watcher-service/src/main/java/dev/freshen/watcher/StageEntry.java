package dev.freshen.watcher;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.freshen.events.BaseImage;
import dev.freshen.events.BaseImageUpdated;
import dev.freshen.events.FailureKind;
import dev.freshen.events.ForceUpdateRequested;
import dev.freshen.events.FreshenEvent;
import dev.freshen.events.ImageBuilt;
import dev.freshen.events.ImagePublished;
import dev.freshen.events.ImageVerified;
import dev.freshen.events.PipelineFailed;
import dev.freshen.events.Stage;
import dev.freshen.events.image.ImageReference;

import java.time.Instant;
import java.util.List;

/**
 * One thing that happened to a run, as the {@link RunLedger} keeps it: what ({@code event}), in which stage, when,
 * which attempt of the stage, and the key facts of that event. Only the facts of the event are set; the others are
 * {@code null} (and left out of the API's JSON). Kept small on purpose: warnings and checks are counted, not kept,
 * the log excerpt of a failure is dropped, and texts are cut at {@value #MAX_TEXT} characters.
 *
 * @param baseImages  {@code BASE_IMAGE_UPDATED}: each base with its new and previous digest
 * @param reason      {@code FORCE_UPDATE_REQUESTED}: the operator's reason; {@code PIPELINE_FAILED}: what went wrong
 * @param requestedBy {@code FORCE_UPDATE_REQUESTED}: who asked ({@code api}, {@code cli:<user>})
 * @param candidate   {@code IMAGE_BUILT}, {@code IMAGE_VERIFIED}: the candidate, pinned by digest
 * @param warnings    {@code IMAGE_BUILT}: number of build warnings
 * @param checks      {@code IMAGE_VERIFIED}: number of checks passed
 * @param image       {@code IMAGE_PUBLISHED}: {@code <registry>/<repository>:<version tag>@sha256:…}
 * @param version     {@code IMAGE_PUBLISHED}: the semantic version ({@code 1.2.0})
 * @param tags        {@code IMAGE_PUBLISHED}: every tag now naming the image
 * @param kind        {@code PIPELINE_FAILED}: {@code permanent} or {@code transient-exhausted}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record StageEntry(Event event, Stage stage, Instant at, int attempt, List<BaseImage> baseImages, String reason,
                         String requestedBy, ImageReference candidate, Integer warnings, Integer checks,
                         ImageReference image, String version, List<String> tags, FailureKind kind) {

    /** Longest text kept (reasons, requester); longer ones are cut and end with an ellipsis. */
    public static final int MAX_TEXT = 500;
    private static final int MAX_LIST = 16;

    /** What an entry records. The event names of the contracts; a run's outcome is its first terminal entry. */
    public enum Event {
        BASE_IMAGE_UPDATED, FORCE_UPDATE_REQUESTED, IMAGE_BUILT, IMAGE_VERIFIED, IMAGE_PUBLISHED, PIPELINE_FAILED;

        /** Whether an entry of this kind starts a run. */
        public boolean trigger() {
            return this == BASE_IMAGE_UPDATED || this == FORCE_UPDATE_REQUESTED;
        }

        /** Whether an entry of this kind ends a run. */
        public boolean terminal() {
            return this == IMAGE_PUBLISHED || this == PIPELINE_FAILED;
        }
    }

    /** The entry for one event read from the topics (or emitted by the watcher itself). */
    public static StageEntry of(FreshenEvent event) {
        Instant at = event.occurredAt();
        int attempt = event.attempt();
        if (event instanceof BaseImageUpdated e) {
            return new StageEntry(Event.BASE_IMAGE_UPDATED, Stage.DETECT, at, attempt, cap(e.baseImages()), null, null,
                    null, null, null, null, null, null, null);
        } else if (event instanceof ForceUpdateRequested e) {
            return new StageEntry(Event.FORCE_UPDATE_REQUESTED, Stage.DETECT, at, attempt, null, cut(e.reason()),
                    cut(e.requestedBy()), null, null, null, null, null, null, null);
        } else if (event instanceof ImageBuilt e) {
            return new StageEntry(Event.IMAGE_BUILT, Stage.BUILD, at, attempt, null, null, null, e.candidate(),
                    e.warnings().size(), null, null, null, null, null);
        } else if (event instanceof ImageVerified e) {
            return new StageEntry(Event.IMAGE_VERIFIED, Stage.TEST, at, attempt, null, null, null, e.candidate(), null,
                    e.checks().size(), null, null, null, null);
        } else if (event instanceof ImagePublished e) {
            return new StageEntry(Event.IMAGE_PUBLISHED, Stage.PUBLISH, at, attempt, null, null, null, null, null, null,
                    e.image(), cut(e.version()), cap(e.tags()), null);
        } else if (event instanceof PipelineFailed e) {
            return new StageEntry(Event.PIPELINE_FAILED, e.stage(), at, attempt, null, cut(e.reason()), null, null, null,
                    null, null, null, null, e.kind());
        }
        throw new IllegalArgumentException("not a run event: " + event.type());
    }

    /** The same event seen twice (a duplicate on a topic, or an event the watcher emitted and then read back). */
    boolean sameAs(StageEntry other) {
        return event == other.event && attempt == other.attempt && at.equals(other.at) && stage == other.stage;
    }

    static String cut(String text) {
        return text == null || text.length() <= MAX_TEXT ? text : text.substring(0, MAX_TEXT - 1) + "…";
    }

    private static <T> List<T> cap(List<T> list) {
        return list.size() <= MAX_LIST ? List.copyOf(list) : List.copyOf(list.subList(0, MAX_LIST));
    }
}
