package dev.freshen.notifier;

import dev.freshen.events.ImageRolledBack;

/**
 * The wording of an {@link ImageRolledBack} notification, shared by Teams and Slack so that both say the same:
 * "net10/runtime rolled back to 10.0-noble-1.4.0", from where, which tags, who asked and why, what happens next, and
 * the line to copy. Free text (the reason, who asked) is {@link OutcomeText#plain plain}.
 */
public final class RollbackText {

    private RollbackText() {
    }

    /** "net10/runtime rolled back to 10.0-noble-1.4.0", or "… moved forward to …" when it undid a rollback. */
    public static String title(ImageRolledBack event) {
        return event.imageId() + (event.rolledBack() ? " rolled back to " : " moved forward to ") + event.to().tag();
    }

    /** The version (or digest) the moving tags named before. */
    public static String before(ImageRolledBack event) {
        return event.from().tag() != null ? event.from().tag() : event.from().digest().toString();
    }

    /** Who asked, as the watcher's API knew the caller. */
    public static String requestedBy(ImageRolledBack event) {
        return OutcomeText.plain(event.requestedBy()).strip();
    }

    /** Why, or null when no reason was given. */
    public static String reason(ImageRolledBack event) {
        return event.reason() == null || event.reason().isBlank() ? null : OutcomeText.plain(event.reason());
    }

    /** What happens from here on. */
    public static String next(ImageRolledBack event) {
        if (!event.rolledBack()) {
            return "The moving tags name the newest version, " + event.newestVersion() + ", again.";
        }
        return "Nothing was rebuilt, and the watcher does not rebuild over the rollback: the moving tags stay on "
                + event.to().tag() + " until the next publish (an upstream or definition change, or 'freshen "
                + "force-update " + event.imageId() + "') moves them forward again. To undo it now: 'freshen rollback "
                + event.imageId() + " --to " + event.newestVersion() + "'.";
    }

    /** The one-line summary: title, who and why. */
    public static String summary(ImageRolledBack event) {
        String reason = reason(event);
        return title(event) + " by " + requestedBy(event) + (reason == null ? "" : ": " + reason);
    }

    /** {@code FROM <registry>/<repository>:<version tag>@sha256:…}: the pinned line to copy. */
    public static String dockerfileLine(ImageRolledBack event) {
        return "FROM " + event.to();
    }
}
