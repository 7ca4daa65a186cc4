package dev.freshen.events;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.databind.JsonNode;
import dev.freshen.events.image.ImageReference;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The watcher's stand on a platform image changed: it is not watched any more because its descriptor became invalid
 * ({@code state} {@code invalid}, with every {@code problem}), or it is watched again ({@code watched}). Written once
 * per change, not at every rescan: the watcher compares what it sees with the last state it wrote for the image,
 * which it reads back from this topic at start-up (the topic is compacted, keyed by image id, so the last state of
 * every image is kept).
 *
 * <p>Not a pipeline run, but shaped like every event: {@code runId} is the change's id, {@code w-} and 24 hex
 * characters derived from the image id, the new state, the problems and the id of the change before it
 * ({@link RunIds#forWatchChange}); the same change seen twice (two watchers, a retried send) has the same id, so the
 * notifier announces it once, and a later change to the same state (broken again after a fix) has another.
 *
 * @param state         the new state ({@link WatchState}, an open set)
 * @param previousState the state before, as the watcher knew it; {@code null} for an image it never saw valid (a new
 *                      folder whose descriptor is invalid from the start)
 * @param problems      why, for {@code invalid}: every problem, in file order; empty for {@code watched}
 * @param lastPublished the newest published version ({@code <registry>/<repository>:<version tag>@sha256:…}), so
 *                      readers know what stays in use while the image is not watched; {@code null} when none is known
 */
public record ImageWatchChanged(String runId, String imageId, int attempt, Instant occurredAt, WatchState state,
                                WatchState previousState, List<Problem> problems, ImageReference lastPublished)
        implements FreshenEvent {

    /**
     * One problem, in the three parts of every user-facing error of Freshen: {@code code} (a stable id, e.g.
     * {@code descriptor-unknown-key}), {@code message} (what is wrong, naming the field) and {@code hint} (what to do),
     * with where it is: {@code file} (relative to the platform-images root), {@code field} (a path such as
     * {@code target.extraTags[1]}), {@code line} and {@code column} (1-based). Fields a newer writer adds are kept
     * ({@link #unknownFields()}).
     */
    public record Problem(String code, String message, String hint, String file, String field, Integer line,
                          Integer column, @JsonAnySetter Map<String, JsonNode> unknownFields) {

        public Problem {
            WireIds.check(Require.present(code, "Problem", "code"), "problem code");
            Require.present(message, "Problem", "message");
            hint = hint == null || hint.isBlank() ? null : hint;
            line = line == null || line < 1 ? null : line;
            column = line == null || column == null || column < 1 ? null : column;
            unknownFields = UnknownFields.copyOf(unknownFields);
        }

        /** A problem with only the fields this version knows. */
        public Problem(String code, String message, String hint, String file, String field, Integer line, Integer column) {
            this(code, message, hint, file, field, line, column, Map.of());
        }

        /** What is wrong and where, one line: {@code net10/runtime/platform-image.yaml line 12, column 1: <message>}. */
        public String text() {
            String place = line == null ? "" : " line " + line + (column == null ? "" : ", column " + column);
            return file == null ? message : file + place + ": " + message;
        }

        /** Fields a newer writer added, as JSON by name; written out again after the known fields. */
        @JsonAnyGetter
        @Override
        public Map<String, JsonNode> unknownFields() {
            return unknownFields;
        }
    }

    public ImageWatchChanged {
        Require.envelope("ImageWatchChanged", runId, imageId, attempt, occurredAt);
        Require.present(state, "ImageWatchChanged", "state");
        problems = Require.listOrEmpty(problems);
        if (lastPublished != null && (!lastPublished.isPinned() || lastPublished.tag() == null)) {
            throw new IllegalArgumentException("ImageWatchChanged: field 'lastPublished' must carry the version tag and "
                    + "the digest, was " + lastPublished);
        }
    }
}
