package dev.freshen.cli;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The line {@code freshen check} prints for each result of a check (the watcher's JSON; fixtures, no watcher). */
class CheckCommandTest {

    @Test
    void aHeldCheckSaysOnWhatItWaitsAndWhatHappensNext() throws Exception {
        assertEquals("team/app: not started, waits on base/aspnet's failed run b-0123; team/app is built once base/aspnet "
                + "publishes: fix base/aspnet, then run it again with 'freshen force-update base/aspnet'.", describe("""
                {"imageId": "team/app", "result": "HELD", "runId": null, "message": "waits on base/aspnet",
                 "waitsOn": {"imageId": "base/aspnet", "runId": "b-0123", "state": "failed"}}"""));
        assertEquals("team/app: not started, waits on base/runtime's first publish; team/app is built once base/runtime "
                + "publishes its first version ('freshen check base/runtime' starts it).", describe("""
                {"imageId": "team/app", "result": "HELD", "waitsOn": {"imageId": "base/runtime", "state": "never-published"}}"""));
        assertEquals("team/app: not started, waits on base/runtime's run b-9 in flight; team/app is built once that run "
                + "publishes, without waiting for its own schedule.", describe("""
                {"imageId": "team/app", "result": "HELD", "waitsOn": {"imageId": "base/runtime", "runId": "b-9",
                 "state": "in-flight"}}"""));
        assertEquals("team/app: not started, it waits on an image it is built FROM (waits on base/runtime)", describe("""
                {"imageId": "team/app", "result": "HELD", "message": "waits on base/runtime"}"""), "no waitsOn: the message");
    }

    @Test
    void aDefinitionAwaitingReleaseNamesTheFilesAndHowToReleaseIt() throws Exception {
        assertEquals("lone/sdk: definition changed (Dockerfile (modified), app/run.sh (added) and 4 more files), awaiting "
                + "release: its descriptor says rebuildOnChange: false; 'freshen force-update lone/sdk' builds and publishes "
                + "it", describe("""
                {"imageId": "lone/sdk", "result": "AWAITING_RELEASE", "message": "definition changed: Dockerfile",
                 "definition": {"current": "sha256:1", "published": "sha256:2", "state": "changed",
                                "files": [{"path": "Dockerfile", "change": "modified"}, {"path": "app/run.sh", "change": "added"}],
                                "moreFiles": 4}}"""));
        assertEquals("lone/sdk: definition changed (definition changed: Dockerfile), awaiting release: its descriptor says "
                + "rebuildOnChange: false; 'freshen force-update lone/sdk' builds and publishes it", describe("""
                {"imageId": "lone/sdk", "result": "AWAITING_RELEASE", "message": "definition changed: Dockerfile"}"""),
                "no definition object: the message");
    }

    @Test
    void theResultsBeforeChainsReadAsTheyDid() throws Exception {
        assertEquals("a/b is up to date (built from the current upstream digests)", describe("""
                {"imageId": "a/b", "result": "UP_TO_DATE", "message": "built from the current upstream digests"}"""));
        assertEquals("a/b: started run d-1 (definition changed: Dockerfile)", describe("""
                {"imageId": "a/b", "result": "RUN_STARTED", "runId": "d-1", "message": "definition changed: Dockerfile"}"""));
        assertEquals("a/b: RESTING (newer)", describe("""
                {"imageId": "a/b", "result": "RESTING", "message": "newer"}"""), "a result a newer watcher added");
    }

    private static String describe(String json) throws Exception {
        return CheckCommand.describe(Json.MAPPER.readTree(json));
    }
}
