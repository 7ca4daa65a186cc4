package dev.freshen.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.freshen.events.ImageIds;

import java.util.Collection;
import java.util.List;
import java.util.TreeSet;

/**
 * Refuses an image id nobody knows, with the same one line whatever the command: {@code unknown platform image 'x';
 * did you mean y?}. The watcher knows the watched images and answers the line itself (problem {@code unknown-image},
 * its suggestions the watched ids closest to the one asked for); commands that read the topics ask it only when the
 * topics hold nothing of the image, and, when the watcher cannot be reached, suggest from the image ids on the topics.
 */
final class KnownImages {

    private KnownImages() {
    }

    /** Asks the watcher; throws the unknown-image line when it does not watch {@code imageId}. */
    static void require(String imageId, WatcherApi watcher) {
        watcher.image(imageId);
    }

    /**
     * Asks the watcher; throws the unknown-image line when it does not know {@code imageId}, and the line of the
     * API's {@code image-not-watched} problem when the image's descriptor is invalid (it would not be built); else
     * returns the image's view ({@code GET /api/v1/images/{id}}).
     */
    static JsonNode requireWatched(String imageId, WatcherApi watcher) {
        JsonNode image = watcher.image(imageId);
        if ("invalid".equals(image.path("state").asText())) {
            throw new CliException(notWatched(imageId, image.path("problems")));
        }
        return image;
    }

    /**
     * {@code <id> is not watched: its descriptor has a problem: <file> line <l>, column <c>: <message>; Fix <file> …}:
     * the words of the watcher's {@code 409 image-not-watched} answer, from the problems of the image's view.
     */
    static String notWatched(String imageId, JsonNode problems) {
        List<String> texts = new java.util.ArrayList<>();
        for (JsonNode problem : problems) {
            String place = problem.hasNonNull("line") ? " line " + problem.path("line").asInt()
                    + (problem.hasNonNull("column") ? ", column " + problem.path("column").asInt() : "") : "";
            texts.add(problem.path("file").asText("") + place + ": " + problem.path("message").asText());
        }
        String descriptor = imageId + "/platform-image.yaml";
        return imageId + " is not watched: its descriptor has " + (texts.size() == 1 ? "a problem: "
                : texts.size() + " problems: ") + String.join("; ", texts) + "; Fix " + descriptor
                + " (each problem says how); the watcher reads it again at its next rescan, watches " + imageId
                + " again and announces it.";
    }

    /**
     * For a command that read the topics: fine when {@code onTopics} (the image ids of the records read) holds
     * {@code imageId}, or the watcher watches it; else the unknown-image line.
     *
     * @throws CliException the line, exit code 1
     */
    static void require(String imageId, Collection<String> onTopics, WatcherApi watcher) {
        if (onTopics.contains(imageId)) {
            return;
        }
        try {
            watcher.image(imageId);
        } catch (WatcherApi.Unreachable e) {
            List<String> near = ImageIds.near(imageId, new TreeSet<>(onTopics));
            throw new CliException("unknown platform image '" + imageId + "': no event of it is on the topics, and the "
                    + "watcher at " + watcher.base() + ", which knows the watched images, is not reachable; "
                    + (near.isEmpty() ? "check the id with 'freshen status'" : "did you mean " + String.join(" or ", near) + "?"));
        }
    }
}
