package dev.freshen.cli;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * How {@code freshen status} shows images: an invalid descriptor, a rollback, failing checks, pinned bases, changed
 * definitions and chains in the table and its notes; {@code --tree} from the watcher's JSON (fixtures, no watcher).
 */
class StatusCommandTest {

    @Test
    void anInvalidImageIsListedWithItsLastVersionAndEveryProblemWithWhatToDo() throws Exception {
        JsonNode list = Json.MAPPER.readTree("""
                {"images": [
                  {"id": "net10/runtime", "state": "invalid", "schedule": null, "baseImages": [],
                   "lastPublished": {"image": "127.0.0.1:5000/platform/dotnet/runtime:10.0-noble-1.4.0@sha256:%s",
                                     "versionTag": "10.0-noble-1.4.0"},
                   "problems": [
                     {"code": "descriptor-invalid-cron", "message": "field 'schedule': 'hourly' is not a valid cron expression",
                      "hint": "Write a Quartz cron expression, e.g. \\"0 */15 * * * ?\\"", "file": "net10/runtime/platform-image.yaml",
                      "field": "schedule", "line": 1, "column": 11},
                     {"code": "descriptor-unknown-key", "message": "unknown key 'notfy' at the top level: did you mean notify?",
                      "hint": "Rename it to notify.", "file": "net10/runtime/platform-image.yaml", "field": "notfy", "line": 6, "column": 1}]},
                  {"id": "net10/sdk", "state": "watched", "schedule": "0 */15 * * * ?", "problems": []}],
                 "invalidDescriptors": [
                  {"file": "net10/runtime/platform-image.yaml", "message": "net10/runtime/platform-image.yaml: 2 problems: ..."},
                  {"file": "bad name/platform-image.yaml", "message": "bad name/platform-image.yaml: the folder is not a valid image id"}]}
                """.formatted("9".repeat(64)));
        StringWriter text = new StringWriter();
        StatusCommand.table(new PrintWriter(text, true), list.path("images"), list.path("invalidDescriptors"));
        List<String> lines = text.toString().lines().toList();

        assertTrue(lines.get(1).startsWith("net10/runtime            10.0-noble-1.4.0 "), lines.get(1));
        assertTrue(lines.get(1).endsWith("NOT WATCHED: invalid descriptor"), lines.get(1));
        assertTrue(lines.get(2).startsWith("net10/sdk "), lines.get(2));
        assertEquals(List.of("",
                "net10/runtime is not watched: its descriptor has 2 problems (not checked, not built until fixed):",
                "  net10/runtime/platform-image.yaml line 1, column 11: field 'schedule': 'hourly' is not a valid cron expression",
                "    → Write a Quartz cron expression, e.g. \"0 */15 * * * ?\"",
                "  net10/runtime/platform-image.yaml line 6, column 1: unknown key 'notfy' at the top level: did you mean notify?",
                "    → Rename it to notify.",
                "invalid: bad name/platform-image.yaml: the folder is not a valid image id"), lines.subList(3, lines.size()));
        assertFalse(text.toString().contains("2 problems: ..."), "an invalid image is not listed twice");
    }

    @Test
    void aRolledBackImageSaysToWhichVersionByWhomAndWhy() throws Exception {
        JsonNode list = Json.MAPPER.readTree("""
                {"images": [
                  {"id": "net10/runtime", "state": "watched", "schedule": "0 */15 * * * ?", "baseImages": [], "problems": [],
                   "lastPublished": {"image": "127.0.0.1:5000/platform/dotnet/runtime:10.0-noble-1.5.0@sha256:%s",
                                     "versionTag": "10.0-noble-1.5.0"},
                   "rolledBack": {"rollbackId": "r-0123456789abcdef01234567",
                                  "image": "127.0.0.1:5000/platform/dotnet/runtime:10.0-noble-1.4.0@sha256:%s",
                                  "fromVersion": "10.0-noble-1.5.0", "tags": ["10.0", "latest"], "requestedBy": "api:ops",
                                  "reason": "1.5.0 breaks TLS", "at": "2026-12-01T10:00:00Z",
                                  "summary": "rolled back to 10.0-noble-1.4.0 by api:ops: 1.5.0 breaks TLS"}}],
                 "invalidDescriptors": []}
                """.formatted("9".repeat(64), "8".repeat(64)));
        StringWriter text = new StringWriter();
        StatusCommand.table(new PrintWriter(text, true), list.path("images"), list.path("invalidDescriptors"));
        List<String> lines = text.toString().lines().toList();

        assertTrue(lines.get(1).startsWith("net10/runtime            10.0-noble-1.5.0 "), lines.get(1));
        assertEquals(List.of("", "net10/runtime: rolled back to 10.0-noble-1.4.0 by api:ops: 1.5.0 breaks TLS",
                "    → 10.0, latest name 127.0.0.1:5000/platform/dotnet/runtime:10.0-noble-1.4.0@sha256:" + "8".repeat(64)
                        + " since 2026-12-01T10:00:00Z; the next publish moves them forward again (the VERSION column is "
                        + "the newest version)."), lines.subList(2, lines.size()));
    }

    @Test
    void anImageWhoseChecksFailSaysSinceWhenHowManyAndWhyAndNothingWhenTheyPass() throws Exception {
        JsonNode list = Json.MAPPER.readTree("""
                {"images": [
                  {"id": "net10/runtime", "state": "watched", "baseImages": [], "problems": [],
                   "checkHealth": {"state": "failing", "failingSince": "2026-12-01T09:00:00Z", "consecutiveFailures": 4,
                                   "threshold": 3, "code": "registry-auth-failed",
                                   "reason": "registry mcr.microsoft.com answered 401", "lastFailedAt": "2026-12-01T09:45:00Z"}},
                  {"id": "net10/sdk", "state": "watched", "baseImages": [], "problems": [],
                   "checkHealth": {"state": "failed", "failingSince": "2026-12-01T09:30:00Z", "consecutiveFailures": 1,
                                   "threshold": 3, "code": "registry-unreachable", "reason": "connection refused"}},
                  {"id": "net10/aspnet", "state": "watched", "baseImages": [], "problems": [],
                   "checkHealth": {"state": "ok", "consecutiveFailures": 0, "threshold": 3}}],
                 "invalidDescriptors": []}
                """);
        StringWriter text = new StringWriter();
        StatusCommand.table(new PrintWriter(text, true), list.path("images"), list.path("invalidDescriptors"));
        List<String> lines = text.toString().lines().toList();

        assertEquals(List.of("",
                "net10/runtime: checks failing: 4 failed checks in a row since 2026-12-01T09:00:00Z (registry-auth-failed): "
                        + "registry mcr.microsoft.com answered 401",
                "    → Announced as failing: upstream changes are not seen while checks fail; 'freshen check net10/runtime' "
                        + "checks again now, and the first check that passes is announced too.",
                "",
                "net10/sdk: last check failed: 1 failed check in a row since 2026-12-01T09:30:00Z (registry-unreachable): "
                        + "connection refused",
                "    → Announced as failing after 3 in a row, unless a check passes first."), lines.subList(4, lines.size()));
    }

    @Test
    void aBasePinnedByDigestAloneIsListedAsPinnedNotWatched() throws Exception {
        JsonNode list = Json.MAPPER.readTree("""
                {"images": [
                  {"id": "net10/pinned", "state": "watched", "schedule": "0 */15 * * * ?",
                   "baseImages": ["mcr.microsoft.com/dotnet/sdk:10.0"],
                   "pinnedBases": ["mcr.microsoft.com/dotnet/runtime@sha256:%s"], "problems": []},
                  {"id": "net10/sdk", "state": "watched", "schedule": "0 */15 * * * ?", "baseImages": [], "pinnedBases": [],
                   "problems": []}],
                 "invalidDescriptors": []}
                """.formatted("1".repeat(64)));
        StringWriter text = new StringWriter();
        StatusCommand.table(new PrintWriter(text, true), list.path("images"), list.path("invalidDescriptors"));
        List<String> lines = text.toString().lines().toList();

        assertEquals(List.of("",
                "net10/pinned builds on a base pinned by digest in its Dockerfile (pinned, not watched: Freshen never updates it):",
                "  mcr.microsoft.com/dotnet/runtime@sha256:" + "1".repeat(64),
                "    → To have Freshen follow a base, write its tag too (name:tag@sha256:…): the tag is watched and the "
                        + "digest pinned again on every run."), lines.subList(3, lines.size()));
    }

    /** A three-level chain plus an image with two parents, as the watcher's API lists them (by id, chain per image). */
    private static final String CHAIN = """
            {"images": [
              {"id": "base/aspnet", "state": "watched", "problems": [],
               "lastPublished": {"image": "r/platform/dotnet:aspnet-10.0-1.2.0@sha256:%1$s", "versionTag": "aspnet-10.0-1.2.0"},
               "lastRun": {"runId": "b-aaaaaaaaaaaaaaaaaaaaaaaa", "state": "FAILED", "detail": "test: exit 3"},
               "lastCheck": {"result": "RUN_EXISTS", "runId": "b-aaaaaaaaaaaaaaaaaaaaaaaa",
                             "definition": {"current": "sha256:%2$s", "published": "sha256:%1$s", "state": "changed",
                                            "files": [{"path": "Dockerfile", "change": "modified"},
                                                      {"path": "app/run.sh", "change": "mode"}], "moreFiles": 0}},
               "chain": {"parents": ["base/runtime"], "children": ["team/app"], "state": "ready", "waitsOn": null}},
              {"id": "base/runtime", "state": "watched", "problems": [],
               "lastPublished": {"image": "r/platform/dotnet:runtime-10.0-1.3.0@sha256:%1$s", "versionTag": "runtime-10.0-1.3.0"},
               "lastRun": {"runId": "b-bbbbbbbbbbbbbbbbbbbbbbbb", "state": "PUBLISHED", "detail": "runtime-10.0-1.3.0"},
               "lastCheck": {"result": "UP_TO_DATE", "definition": {"state": "same"}},
               "chain": {"parents": [], "children": ["base/aspnet"], "state": "ready"}},
              {"id": "base/tools", "state": "watched", "problems": [],
               "inFlightRun": {"runId": "b-cccccccccccccccccccccccc", "state": "IN_FLIGHT"},
               "chain": {"parents": [], "children": ["team/app"], "state": "ready"}},
              {"id": "lone/sdk", "state": "watched", "problems": [],
               "lastCheck": {"result": "AWAITING_RELEASE", "builtFrom": {"versionTag": "10.0-1.0.4"},
                             "definition": {"state": "changed", "files": [{"path": "Dockerfile", "change": "modified"}],
                                            "moreFiles": 7}},
               "chain": {"parents": [], "children": [], "state": "ready"}},
              {"id": "team/app", "state": "watched", "problems": [],
               "lastPublished": {"image": "r/team/app:1.4.0@sha256:%1$s", "versionTag": "1.4.0"},
               "lastCheck": {"result": "HELD", "waitsOn": {"imageId": "base/aspnet", "runId": "b-aaaaaaaaaaaaaaaaaaaaaaaa",
                                                            "state": "failed"}},
               "chain": {"parents": ["base/aspnet", "base/tools"], "children": [], "state": "held",
                         "waitsOn": {"imageId": "base/aspnet", "runId": "b-aaaaaaaaaaaaaaaaaaaaaaaa", "state": "failed"}}}],
             "invalidDescriptors": []}
            """.formatted("9".repeat(64), "8".repeat(64));

    @Test
    void theTreeShowsRootsByIdChildrenIndentedAndASecondParentOnceMore() throws Exception {
        JsonNode list = Json.MAPPER.readTree(CHAIN);
        StringWriter text = new StringWriter();
        StatusTree.print(new PrintWriter(text, true), list.path("images"),
                runId -> runId.equals("b-cccccccccccccccccccccccc") ? "test" : null);

        assertEquals(List.of(
                "IMAGE                    VERSION            STATE",
                "base/runtime             runtime-10.0-1.3.0 published",
                "└─ base/aspnet           aspnet-10.0-1.2.0  run b-aaaaaaaaaaaaaaaaaaaaaaaa failed at test",
                "   └─ team/app           1.4.0              waits on base/aspnet's failed run b-aaaaaaaaaaaaaaaaaaaaaaaa",
                "base/tools               -                  run b-cccccccccccccccccccccccc in flight (test)",
                "└─ team/app                                 (also FROM base/tools, see above)",
                "lone/sdk                 10.0-1.0.4         definition changed, awaiting release"),
                text.toString().lines().toList());
    }

    @Test
    void aTreeForOneImageShowsWhatItIsBuiltFromAndWhatIsBuiltFromIt() throws Exception {
        JsonNode list = Json.MAPPER.readTree(CHAIN);
        assertEquals(List.of("base/aspnet", "base/runtime", "team/app"), StatusTree.around(list.path("images"), "base/aspnet")
                .stream().map(image -> image.path("id").asText()).toList());
        assertEquals(List.of("base/aspnet", "base/runtime", "base/tools", "team/app"),
                StatusTree.around(list.path("images"), "team/app").stream().map(image -> image.path("id").asText()).toList());
        assertEquals(List.of("lone/sdk"), StatusTree.around(list.path("images"), "lone/sdk").stream()
                .map(image -> image.path("id").asText()).toList());
    }

    @Test
    void everyStateReadsAsASentenceWithoutIsoDurationsOrJavaNames() throws Exception {
        JsonNode settling = Json.MAPPER.readTree("""
                {"id": "a/b", "state": "watched", "lastCheck": {"result": "SETTLING", "settlesAt": "2026-12-01T10:05:00Z"}}""");
        assertEquals("base moved, the run starts at 2026-12-01 10:05:00 UTC", StatusTree.state(settling, id -> null));
        JsonNode failing = Json.MAPPER.readTree("""
                {"id": "a/b", "state": "watched", "lastCheck": {"result": "ERROR", "code": "registry-unreachable"}}""");
        assertEquals("check failed (registry-unreachable)", StatusTree.state(failing, id -> null));
        assertEquals("not published yet", StatusTree.state(Json.MAPPER.readTree("{\"id\": \"a/b\"}"), id -> null));
        assertEquals("not watched: invalid descriptor", StatusTree.state(Json.MAPPER.readTree(
                "{\"id\": \"a/b\", \"state\": \"invalid\"}"), id -> null));
        for (String[] wait : List.of(
                new String[]{"in-flight", "waits on base/runtime's run b-1 in flight"},
                new String[]{"settling", "waits on base/runtime's settling base change"},
                new String[]{"never-published", "waits on base/runtime's first publish"},
                new String[]{"paused-by-newer", "waits on base/runtime's run b-1 (paused by newer)"})) {
            JsonNode image = Json.MAPPER.readTree("""
                    {"id": "a/b", "state": "watched", "chain": {"parents": ["base/runtime"], "state": "waiting",
                     "waitsOn": {"imageId": "base/runtime", "runId": %s, "state": "%s"}}}"""
                    .formatted(wait[0].equals("settling") || wait[0].equals("never-published") ? "null" : "\"b-1\"", wait[0]));
            assertEquals(wait[1], StatusTree.state(image, id -> null), wait[0]);
        }
    }

    @Test
    void aWatcherWithoutChainsShowsEveryImageAsARootAndSaysWhy() throws Exception {
        JsonNode list = Json.MAPPER.readTree("""
                {"images": [
                  {"id": "net10/runtime", "state": "watched", "problems": [],
                   "lastRun": {"runId": "b-1", "state": "PUBLISHED", "detail": "10.0-1.0.0"},
                   "lastPublished": {"versionTag": "10.0-1.0.0"}},
                  {"id": "net10/sdk", "state": "watched", "problems": []}]}""");
        StringWriter text = new StringWriter();
        StatusTree.print(new PrintWriter(text, true), list.path("images"), id -> null);
        assertEquals(List.of(
                "IMAGE                    VERSION          STATE",
                "net10/runtime            10.0-1.0.0       published",
                "net10/sdk                -                not published yet",
                "",
                "The watcher reports no chains (a version before chains of platform images): every image is shown as a root."),
                text.toString().lines().toList());
    }

    @Test
    void theTableSaysWhichDefinitionsChangedAndWhatWaitsOnWhat() throws Exception {
        JsonNode list = Json.MAPPER.readTree(CHAIN);
        StringWriter text = new StringWriter();
        StatusCommand.table(new PrintWriter(text, true), list.path("images"), list.path("invalidDescriptors"));
        List<String> lines = text.toString().lines().toList();

        assertEquals(List.of("",
                "base/aspnet: definition changed since the published image: Dockerfile (modified), app/run.sh (executable bit)",
                "    → Run b-aaaaaaaaaaaaaaaaaaaaaaaa builds it.",
                "",
                "lone/sdk: definition changed since the published image: Dockerfile (modified) and 7 more files",
                "    → Awaiting release: its descriptor says rebuildOnChange: false; 'freshen force-update lone/sdk' builds "
                        + "and publishes it.",
                "",
                "team/app waits on base/aspnet's failed run b-aaaaaaaaaaaaaaaaaaaaaaaa.",
                "    → team/app is built once base/aspnet publishes: fix base/aspnet, then run it again with 'freshen "
                        + "force-update base/aspnet'."), lines.subList(6, lines.size()));
    }

    @Test
    void siblingsAreJoinedByALineDownToTheLastOne() throws Exception {
        JsonNode list = Json.MAPPER.readTree("""
                [{"id": "a/root", "chain": {"parents": []}}, {"id": "b/first", "chain": {"parents": ["a/root"]}},
                 {"id": "c/grandchild", "chain": {"parents": ["b/first"]}}, {"id": "d/second", "chain": {"parents": ["a/root"]}},
                 {"id": "e/cycle-a", "chain": {"parents": ["f/cycle-b"]}}, {"id": "f/cycle-b", "chain": {"parents": ["e/cycle-a"]}}]""");
        StringWriter text = new StringWriter();
        StatusTree.print(new PrintWriter(text, true), list, id -> null);
        assertEquals(List.of("a/root", "├─ b/first", "│  └─ c/grandchild", "└─ d/second", "e/cycle-a", "└─ f/cycle-b",
                        "   └─ e/cycle-a"),
                text.toString().lines().skip(1).map(line -> line.substring(0, 24).stripTrailing()).toList(),
                "images on a cycle (the watcher serves none) are still shown once in full");
    }

    @Test
    void aForcedRunsDependentsAreEveryImageBuiltFromItParentsFirst() throws Exception {
        JsonNode chain = Json.MAPPER.readTree(CHAIN).path("images");
        assertEquals(List.of("base/aspnet", "team/app"), StatusTree.descendants(chain, "base/runtime"));
        assertEquals(List.of(), StatusTree.descendants(chain, "team/app"));
        JsonNode list = Json.MAPPER.readTree("""
                [{"id": "m/root", "chain": {"parents": [], "children": ["z/parent", "b/other"]}},
                 {"id": "z/parent", "chain": {"parents": ["m/root"], "children": ["a/child"]}},
                 {"id": "b/other", "chain": {"parents": ["m/root"], "children": ["a/child"]}},
                 {"id": "a/child", "chain": {"parents": ["z/parent", "b/other"], "children": []}}]""");
        assertEquals(List.of("b/other", "z/parent", "a/child"), StatusTree.descendants(list, "m/root"),
                "a/child after both its parents, though its id sorts first");
    }
    @Test
    void aMultiPlatformImageHasALinePerPlatformWithWhatItWasBuiltFromAndHowItStands() throws Exception {
        String base = "127.0.0.1:5000/dotnet/runtime:10.0";
        JsonNode list = Json.MAPPER.readTree("""
                {"images": [
                  {"id": "multi/both", "state": "watched", "schedule": "0 */15 * * * ?", "baseImages": ["%1$s"], "problems": [],
                   "lastCheck": {"imageId": "multi/both", "result": "RUN_STARTED", "platform": "linux/amd64", "runId": "b-1",
                     "upstreamDigests": {"%1$s": "sha256:%2$s"},
                     "builtFrom": {"versionTag": "10.0-1.0.0", "digest": "sha256:%4$s", "bases": {"%1$s": "sha256:%2$s"},
                       "platforms": [{"platform": "linux/amd64", "published": true, "bases": {"%1$s": "sha256:%2$s"}},
                                     {"platform": "linux/arm64", "published": true, "bases": {"%1$s": "sha256:%3$s"}},
                                     {"platform": "linux/arm/v7", "published": false, "bases": {}}]},
                     "platforms": [{"platform": "linux/amd64", "upstreamDigests": {"%1$s": "sha256:%2$s"}, "state": "current"},
                                   {"platform": "linux/arm64", "upstreamDigests": {"%1$s": "sha256:%5$s"}, "state": "moved"},
                                   {"platform": "linux/arm/v7", "upstreamDigests": {"%1$s": "sha256:%5$s"}, "state": "not-published"}]}},
                  {"id": "multi/amd64", "state": "watched", "schedule": "0 */15 * * * ?", "baseImages": ["%1$s"], "problems": [],
                   "lastCheck": {"imageId": "multi/amd64", "result": "UP_TO_DATE", "platform": "linux/amd64",
                     "upstreamDigests": {"%1$s": "sha256:%2$s"}, "platforms": [],
                     "builtFrom": {"versionTag": "10.0-1.0.0", "digest": "sha256:%4$s", "bases": {"%1$s": "sha256:%2$s"}}}}],
                 "invalidDescriptors": []}
                """.formatted(base, "1".repeat(64), "2".repeat(64), "4".repeat(64), "3".repeat(64)));
        StringWriter text = new StringWriter();
        StatusCommand.table(new PrintWriter(text, true), list.path("images"), list.path("invalidDescriptors"));
        List<String> lines = text.toString().lines().toList();

        assertEquals(List.of("",
                "multi/both is built for 3 platforms (the table shows linux/amd64):",
                "  linux/amd64    built from sha256:111111111111  upstream now sha256:111111111111  current",
                "  linux/arm64    built from sha256:222222222222  upstream now sha256:333333333333  moved",
                "  linux/arm/v7   built from -                    upstream now sha256:333333333333  not published"),
                lines.subList(3, lines.size()), text::toString);
    }
}
