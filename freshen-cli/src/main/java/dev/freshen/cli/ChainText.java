package dev.freshen.cli;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;

/**
 * The words {@code status} and {@code check} share for chains of platform images and for definition changes, read
 * from the watcher's JSON (docs/api.md): {@code waitsOn {imageId, runId, state}} of a check or of an image's
 * {@code chain}, and {@code definition {current, published, state, files:[{path, change}], moreFiles}} of a check.
 * Every field may be missing (a watcher older than chains and definitions sends none): each method then says so by
 * returning {@code null}. States a newer watcher added are shown by their ids.
 */
final class ChainText {

    private ChainText() {
    }

    /**
     * What an image waits on: "base/aspnet's failed run b-…", "base/aspnet's run b-… in flight", "base/aspnet's
     * settling base change", "base/aspnet's first publish"; {@code null} when {@code waitsOn} is not an object.
     */
    static String waitsOn(JsonNode waitsOn) {
        if (!waitsOn.isObject()) {
            return null;
        }
        String parent = waitsOn.path("imageId").asText("its parent");
        String run = waitsOn.path("runId").isTextual() ? waitsOn.path("runId").asText() : null;
        String state = waitsOn.path("state").asText("");
        return switch (state) {
            case "failed" -> parent + "'s failed run" + (run == null ? "" : " " + run);
            case "in-flight" -> parent + "'s run" + (run == null ? "" : " " + run) + " in flight";
            case "settling" -> parent + "'s settling base change";
            case "never-published" -> parent + "'s first publish";
            default -> parent + (run == null ? "" : "'s run " + run) + (state.isEmpty() ? "" : " (" + state.replace('-', ' ') + ")");
        };
    }

    /**
     * What happens next for an image that waits on {@code waitsOn}, and what to do: "team/app is built once base/aspnet
     * publishes: fix base/aspnet, then run it again with 'freshen force-update base/aspnet'."
     */
    static String whatNext(String imageId, JsonNode waitsOn) {
        String parent = waitsOn.path("imageId").asText("its parent");
        return switch (waitsOn.path("state").asText("")) {
            case "failed" -> imageId + " is built once " + parent + " publishes: fix " + parent + ", then run it again "
                    + "with 'freshen force-update " + parent + "'.";
            case "in-flight" -> imageId + " is built once that run publishes, without waiting for its own schedule.";
            case "settling" -> imageId + " is built once " + parent + "'s run, started when its base settles, publishes.";
            case "never-published" -> imageId + " is built once " + parent + " publishes its first version "
                    + "('freshen check " + parent + "' starts it).";
            default -> imageId + " is built once " + parent + " publishes.";
        };
    }

    /**
     * The files of a definition that changed, at most {@code max}: "Dockerfile (modified), app/run.sh (added) and 3
     * more files"; "files not known" when the published image does not list them; {@code null} when {@code definition}
     * is not an object or its {@code state} is not {@code changed}.
     */
    static String changedFiles(JsonNode definition, int max) {
        if (!definition.isObject() || !"changed".equals(definition.path("state").asText())) {
            return null;
        }
        List<String> names = new ArrayList<>();
        int total = definition.path("files").size() + Math.max(0, definition.path("moreFiles").asInt());
        for (JsonNode file : definition.path("files")) {
            if (names.size() == max) {
                break;
            }
            String change = file.path("change").asText("");
            names.add(file.path("path").asText() + " (" + ("mode".equals(change) ? "executable bit" : change.replace('-', ' '))
                    + ")");
        }
        if (names.isEmpty()) {
            return "files not known";
        }
        int more = total - names.size();
        return String.join(", ", names) + (more > 0 ? " and " + more + (more == 1 ? " more file" : " more files") : "");
    }
}
