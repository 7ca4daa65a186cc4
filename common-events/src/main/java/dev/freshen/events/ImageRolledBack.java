package dev.freshen.events;

import dev.freshen.events.image.ImageReference;

import java.time.Instant;
import java.util.List;

/**
 * The publisher moved an image's moving extra tags back to an earlier published version, without rebuilding: the one
 * deliberate exception to "moving tags never go back". The next publish (a new, higher version) moves them forward
 * again; the watcher does not rebuild over a rollback, because it compares upstream with the highest version, which
 * a rollback does not change.
 *
 * <p>Not a pipeline run: {@code runId} is the rollback's id, as in its {@link RollbackRequested}.
 *
 * @param from          where the moving tags were: {@code <registry>/<repository>:<version tag>@sha256:…} (the tag is
 *                      {@code null} when that digest had no version tag)
 * @param to            where they are now: {@code <registry>/<repository>:<version tag>@sha256:…}
 * @param tags          the moving tags moved, in descriptor order (never a version tag)
 * @param newestVersion the highest version tag of the image when the tags moved; while {@code to} is below it, the
 *                      image is rolled back ({@link #rolledBack()})
 * @param reason        why, as the operator said it; may be {@code null}
 * @param requestedBy   who asked ({@code api:<key name>})
 */
public record ImageRolledBack(String runId, String imageId, int attempt, Instant occurredAt, ImageReference from,
                              ImageReference to, List<String> tags, String newestVersion, String reason,
                              String requestedBy) implements FreshenEvent {

    public ImageRolledBack {
        Require.envelope("ImageRolledBack", runId, imageId, attempt, occurredAt);
        Require.present(from, "ImageRolledBack", "from");
        Require.present(to, "ImageRolledBack", "to");
        if (!from.isPinned() || !to.isPinned() || to.tag() == null) {
            throw new IllegalArgumentException("ImageRolledBack: fields 'from' and 'to' must carry the digest, and 'to' "
                    + "the version tag, were " + from + " and " + to);
        }
        tags = Require.nonEmpty(tags, "ImageRolledBack", "tags");
        Require.present(newestVersion, "ImageRolledBack", "newestVersion");
        Require.present(requestedBy, "ImageRolledBack", "requestedBy");
    }

    /**
     * Whether the moving tags now name a version below the newest one: {@code to} is not {@code newestVersion} (every
     * other published version is lower). False for a "rollback" to the newest version, which undoes an earlier one.
     */
    public boolean rolledBack() {
        return !to.tag().equals(newestVersion);
    }
}
