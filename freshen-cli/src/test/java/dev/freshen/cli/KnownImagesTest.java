package dev.freshen.cli;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The line for an image whose descriptor is invalid, as the watcher's {@code 409 image-not-watched} says it. */
class KnownImagesTest {

    @Test
    void anInvalidImageIsTheLineOfTheApisImageNotWatchedProblem() throws Exception {
        var one = Json.MAPPER.readTree("""
                [{"code": "descriptor-unknown-key", "message": "unknown key 'notfy' at the top level: did you mean notify?",
                  "hint": "Rename it to notify", "file": "net10/runtime/platform-image.yaml", "line": 12, "column": 1}]""");
        // ImageNotWatchedException's detail and hint, joined as every channel joins a problem: "<detail>; <hint>"
        assertEquals("net10/runtime is not watched: its descriptor has a problem: net10/runtime/platform-image.yaml "
                + "line 12, column 1: unknown key 'notfy' at the top level: did you mean notify?; Fix "
                + "net10/runtime/platform-image.yaml (each problem says how); the watcher reads it again at its next "
                + "rescan, watches net10/runtime again and announces it.", KnownImages.notWatched("net10/runtime", one));
        var two = Json.MAPPER.readTree("""
                [{"code": "descriptor-dockerfile-invalid", "message": "no FROM instruction",
                  "file": "team/web/Dockerfile", "line": null, "column": null},
                 {"code": "descriptor-invalid-value", "message": "field 'checks.user': 'nobody' is not one of non-root, any",
                  "file": "team/web/platform-image.yaml", "line": 9}]""");
        assertEquals("team/web is not watched: its descriptor has 2 problems: team/web/Dockerfile: no FROM instruction; "
                + "team/web/platform-image.yaml line 9: field 'checks.user': 'nobody' is not one of non-root, any; Fix "
                + "team/web/platform-image.yaml (each problem says how); the watcher reads it again at its next rescan, "
                + "watches team/web again and announces it.", KnownImages.notWatched("team/web", two));
    }
}
