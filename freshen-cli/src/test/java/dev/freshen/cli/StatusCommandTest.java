package dev.freshen.cli;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** How {@code freshen status} shows an image whose descriptor is invalid: in the table, then every problem. */
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
}
