package dev.freshen.notifier;

import dev.freshen.events.ImageWatchChanged;
import dev.freshen.events.WatchState;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The wording of an {@link ImageWatchChanged} notification, shared by Teams and Slack so that both say the same:
 * "net10/runtime is not watched any more: &lt;problems&gt;" and "net10/runtime is watched again", each problem as
 * {@code <file> line <l>, column <c>: <message>} followed by its hint. A state this version does not know is shown
 * by its id in words.
 */
public final class WatchChangeText {

    /** Most problems shown one by one; the rest are counted. */
    public static final int MAX_PROBLEMS = 20;

    private WatchChangeText() {
    }

    public static boolean invalid(ImageWatchChanged event) {
        return event.state().equals(WatchState.INVALID);
    }

    public static boolean watchedAgain(ImageWatchChanged event) {
        return event.state().equals(WatchState.WATCHED);
    }

    /** "net10/runtime is not watched any more", "… is not watched" (never was), "… is watched again", or the state. */
    public static String title(ImageWatchChanged event) {
        if (invalid(event)) {
            return event.imageId() + (event.previousState() == null ? " is not watched" : " is not watched any more");
        }
        if (watchedAgain(event)) {
            return event.imageId() + " is watched again";
        }
        return event.imageId() + ": now " + words(event.state());
    }

    /** The title and, when there are problems, the problems in one line: the text of a notification's preview. */
    public static String summary(ImageWatchChanged event) {
        if (event.problems().isEmpty()) {
            return title(event);
        }
        return title(event) + ": " + event.problems().stream().map(ImageWatchChanged.Problem::text)
                .collect(Collectors.joining("; "));
    }

    /** What the state means for the image. */
    public static String consequence(ImageWatchChanged event) {
        if (invalid(event)) {
            int n = event.problems().size();
            return "Its descriptor has " + (n == 1 ? "a problem" : n + " problems") + ", so the image is neither "
                    + "checked nor built until " + (n == 1 ? "it is" : "they are") + " fixed. What was published stays "
                    + "as it is.";
        }
        if (watchedAgain(event)) {
            return "Its descriptor is valid again: the image is checked on its schedule and rebuilt when a base moves.";
        }
        return "The watcher reports the state '" + event.state().id() + "' for this image.";
    }

    /** What to do, for an image that is not watched; null otherwise. */
    public static String whatToDo(ImageWatchChanged event) {
        if (!invalid(event)) {
            return null;
        }
        List<String> files = event.problems().stream().map(ImageWatchChanged.Problem::file)
                .filter(f -> f != null && !f.isBlank()).distinct().toList();
        return "Fix " + (files.isEmpty() ? "the descriptor" : String.join(", ", files)) + " as each problem says. "
                + "The watcher reads the folder again at its next rescan and announces when " + event.imageId()
                + " is watched again; freshen status " + event.imageId() + " shows the problems meanwhile.";
    }

    /** {@code invalid: not checked, not built}, {@code watched}, or an other state's id in words. */
    public static String state(WatchState state) {
        if (state.equals(WatchState.INVALID)) {
            return "invalid: not checked, not built";
        }
        if (state.equals(WatchState.WATCHED)) {
            return "watched";
        }
        return words(state);
    }

    /** {@code net10/runtime/platform-image.yaml line 12, column 1}, or the file, or empty. */
    public static String location(ImageWatchChanged.Problem problem) {
        String file = problem.file() == null ? "" : problem.file();
        if (problem.line() == null) {
            return file;
        }
        return (file.isEmpty() ? "" : file + " ") + "line " + problem.line()
                + (problem.column() == null ? "" : ", column " + problem.column());
    }

    /** "… and 3 more problems" when more were left out; null otherwise. */
    public static String omitted(ImageWatchChanged event) {
        int more = event.problems().size() - MAX_PROBLEMS;
        return more <= 0 ? null : "… and " + more + " more " + (more == 1 ? "problem" : "problems");
    }

    public static List<ImageWatchChanged.Problem> shown(ImageWatchChanged event) {
        return event.problems().subList(0, Math.min(MAX_PROBLEMS, event.problems().size()));
    }

    private static String words(WatchState state) {
        return state.id().replace('-', ' ');
    }
}
