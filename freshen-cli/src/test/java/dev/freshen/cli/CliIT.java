package dev.freshen.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.freshen.events.EventJson;
import dev.freshen.events.FailureKind;
import dev.freshen.events.ForceUpdateRequested;
import dev.freshen.events.ImageBuilt;
import dev.freshen.events.ImagePublished;
import dev.freshen.events.ImageVerified;
import dev.freshen.events.PipelineFailed;
import dev.freshen.events.Stage;
import dev.freshen.events.Topics;
import dev.freshen.messaging.EventMessages;
import dev.freshen.testing.Commands;
import dev.freshen.testing.EventTopics;
import dev.freshen.testing.KafkaBroker;
import dev.freshen.testing.Ports;
import dev.freshen.testing.SampleEvents;
import dev.freshen.testing.ServiceProcess;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The packaged {@code target/freshen} file, run as a process the way an operator runs it, against the real Kafka
 * broker and the packaged watcher (its own process). The test plays builder, tester and publisher by writing their
 * events, so that {@code --wait} and {@code runs --follow} see whole runs end as published or failed.
 */
class CliIT {

    private static final String API_KEY = "cli-test-api-key-0123456789";
    private static final String CI_KEY = "cli-test-ci-key-0123456789";
    private static final String ROTATED_KEY = "cli-test-rotated-out-key-0123456789";
    private static final String UNKNOWN_RUNTIM = "freshen: unknown platform image 'fixture/runtim'; did you mean "
            + "fixture/runtime?\n";
    private static final String IMAGE = "fixture/runtime";
    private static final String OTHER_IMAGE = "fixture/aspnet";
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path FRESHEN = Path.of("target/freshen").toAbsolutePath();

    private static EventTopics topics;
    private static ServiceProcess watcher;

    record Result(int exitCode, String out, String err) {
    }

    @BeforeAll
    static void start(@TempDir Path platformImages) throws IOException {
        topics = new EventTopics(KafkaBroker.bootstrapServers());
        for (String image : List.of(IMAGE, OTHER_IMAGE)) {
            Path folder = Files.createDirectories(platformImages.resolve(image));
            Files.writeString(folder.resolve("Dockerfile"), "FROM scratch\nCOPY app /\n");
            Files.writeString(folder.resolve("platform-image.yaml"), "target: {repository: platform/" + image.replace('/', '-')
                    + ", tagPrefix: \"10.0\"}\n");
        }
        watcher = ServiceProcess.start(Commands.repositoryRoot().resolve("watcher-service"), Map.of(
                "kafka.bootstrap.servers", KafkaBroker.bootstrapServers(),
                "freshen.platform-images-dir", platformImages.toString(),
                "freshen.target-registry", "127.0.0.1:1",
                "freshen.watcher.api-key", API_KEY,
                "freshen.watcher.api-keys.ci.key", CI_KEY,
                "freshen.watcher.check-on-start", "false"), TIMEOUT);
    }

    @AfterAll
    static void stop() {
        if (watcher != null) {
            watcher.close();
        }
        topics.close();
    }

    @Test
    void theBuildIsOneExecutableFileThatRunsFromAnywhereAndAsAJar(@TempDir Path bin) throws Exception {
        assertTrue(Files.getPosixFilePermissions(FRESHEN).contains(PosixFilePermission.OWNER_EXECUTE));
        try (var in = Files.newInputStream(FRESHEN)) {
            assertEquals("#!/bin/sh\n", new String(in.readNBytes(10), StandardCharsets.US_ASCII));
        }
        Path installed = Files.copy(FRESHEN, bin.resolve("freshen"));
        Files.setPosixFilePermissions(installed, Files.getPosixFilePermissions(FRESHEN));

        Result onPath = run(List.of("sh", "-c", "freshen --version"), Map.of("PATH", bin + ":" + System.getenv("PATH")));
        assertEquals(new Result(0, "freshen 0.1.0\n", ""), onPath);
        Result asJar = run(List.of("java", "-jar", installed.toString(), "--version"), Map.of());
        assertEquals(new Result(0, "freshen 0.1.0\n", ""), asJar);
    }

    /** --wait over each path, to each end: stage lines as they happen, the reference or the failure, exit 0 or 1. */
    @ParameterizedTest(name = "via {0}, {1}")
    @CsvSource({"kafka, published", "kafka, failed", "api, published", "api, failed"})
    void forceUpdateWaitFollowsTheRunToItsEnd(String via, String end) throws Exception {
        Running cli = start("force-update", IMAGE, "--via", via, "--wait", "--reason", "CVE-2026-1234");
        ForceUpdateRequested forced = topics.awaitEvent(ForceUpdateRequested.class,
                e -> e.imageId().equals(IMAGE) && "CVE-2026-1234".equals(e.reason()) && e.occurredAt().isAfter(cli.started()),
                TIMEOUT);
        assertEquals(via.equals("api") ? "api:default" : "cli:" + System.getProperty("user.name"), forced.requestedBy());
        String runId = forced.runId();
        ImageBuilt built = built(forced);
        topics.send(built);
        String reference;
        if (end.equals("published")) {
            ImageVerified verified = verified(built);
            topics.send(verified);
            ImagePublished published = published(verified);
            topics.send(published);
            reference = published.image().toString();
        } else {
            topics.send(new PipelineFailed(runId, IMAGE, 1, built.occurredAt().plusSeconds(31), Stage.TEST,
                    FailureKind.PERMANENT, "GET /healthz answered 500, expected 200", "app log", forced.trigger()));
            reference = null;
        }
        Result result = cli.await();

        List<String> lines = result.out().lines().toList();
        System.out.printf("freshen force-update %s --via %s --wait (%s):%n%s", IMAGE, via, end, result.out());
        assertEquals("started run " + runId + " for " + IMAGE, lines.get(0));
        assertTrue(lines.get(1).matches(" +\\d+:\\d\\d  detect   forced by " + forced.requestedBy() + ": CVE-2026-1234"),
                lines.get(1));
        assertTrue(lines.get(2).matches(" +\\d+:\\d\\d  build    built " + quote(built.candidate().toString())), lines.get(2));
        assertFalse(result.out().contains("\r"), "no live line when standard output is not a terminal");
        if (end.equals("published")) {
            assertEquals(0, result.exitCode(), result.err());
            assertTrue(lines.get(3).matches(" +\\d+:\\d\\d  test     verified .* \\(1 check passed\\)"), lines.get(3));
            assertTrue(lines.get(4).matches(" +\\d+:\\d\\d  publish  published " + quote(reference)), lines.get(4));
            assertTrue(lines.get(5).matches("published " + quote(reference) + " after \\d+:\\d\\d"), lines.get(5));
            assertEquals(6, lines.size(), result.out());
        } else {
            assertEquals(1, result.exitCode(), result.err());
            assertTrue(lines.get(3).matches(" +\\d+:\\d\\d  test     failed \\(permanent\\): GET /healthz answered 500, "
                    + "expected 200"), lines.get(3));
            assertTrue(lines.get(4).matches("failed at test \\(permanent\\) after \\d+:\\d\\d: GET /healthz answered 500, "
                    + "expected 200"), lines.get(4));
            assertEquals(5, lines.size(), result.out());
        }
        assertEquals("", result.err());
    }

    @Test
    void waitGivesUpAfterTheTimeOutWithExitOne() throws Exception {
        Result result = freshen("force-update", OTHER_IMAGE, "--via", "kafka", "--wait", "--timeout", "3s");
        assertEquals(1, result.exitCode());
        assertTrue(result.err().matches("freshen: run f-[0-9a-f]+ (is still in build|has not shown up) after 3s \\(--timeout\\); the run goes "
                + "on: follow it with 'freshen runs f-[0-9a-f]+ --follow'\\n"), result.err());
    }

    @Test
    void anUnknownImageIsRefusedBeforeAnythingIsPublished() throws Exception {
        Instant before = Instant.now();
        Result overKafka = freshen("force-update", "fixture/runtim", "--via", "kafka");
        assertEquals(1, overKafka.exitCode());
        assertEquals(UNKNOWN_RUNTIM, overKafka.err());
        Result overApi = freshen("force-update", "fixture/runtim", "--via", "api", "--wait");
        assertEquals(1, overApi.exitCode());
        assertEquals(UNKNOWN_RUNTIM, overApi.err());
        String deadPort = "http://127.0.0.1:" + Ports.free();
        Result watcherDown = freshen("force-update", "fixture/runtim", "--via", "kafka", "--api", deadPort);
        assertEquals(1, watcherDown.exitCode());
        assertEquals("freshen: cannot check that 'fixture/runtim' is a watched image: the watcher at " + deadPort + " is "
                + "not reachable; nothing was published. Set --api or FRESHEN_API to the watcher's URL, or pass "
                + "--no-verify to publish anyway\n", watcherDown.err());
        Result check = freshen("check", "fixture/runtim");
        assertEquals(1, check.exitCode());
        assertTrue(check.err().startsWith("freshen: unknown platform image 'fixture/runtim'"), check.err());

        // the typo never reached the topic; a known image, published the same way, does
        Result known = freshen("force-update", IMAGE, "--via", "kafka");
        assertEquals(0, known.exitCode(), known.err());
        topics.awaitEvent(ForceUpdateRequested.class, e -> e.runId().equals(known.out().strip()), TIMEOUT);
        assertTrue(topics.readAll(Topics.FORCE_UPDATE).stream().map(r -> EventJson.read(r.value(), ForceUpdateRequested.class))
                .noneMatch(e -> e.imageId().equals("fixture/runtim") && e.occurredAt().isAfter(before)));
        Result unverified = freshen("force-update", "fixture/unwatched", "--via", "kafka", "--api", deadPort, "--no-verify");
        assertEquals(0, unverified.exitCode(), unverified.err());
    }

    /** Every command that takes an image id answers an unknown one with the same line, and exit 1. */
    @Test
    void anUnknownImageGetsTheSameLineFromEveryCommand() throws Exception {
        for (String command : List.of("force-update fixture/runtim", "force-update fixture/runtim --via api",
                "rollback fixture/runtim", "rollback fixture/runtim --to 1.0.0",
                "check fixture/runtim", "check fixture/runtim --wait", "status fixture/runtim", "status fixture/runtim -o json",
                "runs --image fixture/runtim", "runs --image fixture/runtim -o json", "events --image fixture/runtim",
                "dlq list --image fixture/runtim", "dlq replay --image fixture/runtim")) {
            Result result = freshen(command.split(" "));
            assertEquals(new Result(1, "", UNKNOWN_RUNTIM), result, command);
        }
        // a watched image without dead letters is no mistake; one the topics know, whose folder is gone, neither
        Result watchedWithoutEvents = freshen("dlq", "list", "--image", OTHER_IMAGE);
        assertEquals(0, watchedWithoutEvents.exitCode(), watchedWithoutEvents.err());
        var gone = new ForceUpdateRequested(SampleEvents.forceUpdateRequested().runId(), "fixture/removed", 1, Instant.now(),
                "old run", "test");
        topics.send(gone);
        await().atMost(TIMEOUT).until(() -> freshen("runs", "--image", "fixture/removed").out().contains(gone.runId()));

        // without the watcher, the topics still tell: the same start, the cause, suggestions from the ids on the topics
        String deadPort = "http://127.0.0.1:" + Ports.free();
        Result offline = freshen("runs", "--image", "fixture/removd", "--api", deadPort);
        assertEquals(1, offline.exitCode());
        assertEquals("freshen: unknown platform image 'fixture/removd': no event of it is on the topics, and the watcher at "
                + deadPort + ", which knows the watched images, is not reachable; did you mean fixture/removed?\n",
                offline.err());
        Result malformed = freshen("runs", "--image", "../etc");
        assertEquals(2, malformed.exitCode(), malformed.err());
    }

    @Test
    void aWrongOrRotatedKeyIsOneLineWithTheFixNeverTheKey() throws Exception {
        Result wrong = run(command("check", IMAGE), Map.of("FRESHEN_API_KEY", "not-the-watchers-key-0000"));
        assertEquals(1, wrong.exitCode());
        assertEquals("freshen: the API key sent is not one of the watcher's keys (a wrong key, or one rotated out); send "
                + "Authorization: Bearer <key> with one of the watcher's keys (freshen.watcher.api-keys.<name>); the freshen "
                + "command reads it from FRESHEN_API_KEY, FRESHEN_API_KEY_FILE or --api-key-file\n", wrong.err());
        Result rotated = run(command("force-update", IMAGE, "--via", "api"), Map.of("FRESHEN_API_KEY", ROTATED_KEY));
        assertEquals(1, rotated.exitCode());
        assertEquals(wrong.err(), rotated.err());
        assertFalse(rotated.err().contains(ROTATED_KEY));
        Result named = run(command("force-update", IMAGE, "--via", "api", "-o", "json"), Map.of("FRESHEN_API_KEY", CI_KEY));
        assertEquals(0, named.exitCode(), named.err());
        String runId = JSON.readTree(named.out()).path("runId").asText();
        assertEquals("api:ci", topics.awaitEvent(ForceUpdateRequested.class, e -> e.runId().equals(runId), TIMEOUT)
                .requestedBy());
    }

    @Test
    void aRollbackTheWatcherRefusesIsOneLineWithTheFixAndNothingIsSent() throws Exception {
        Result refused = run(command("rollback", IMAGE, "--reason", "1.1.0 breaks TLS"), Map.of("FRESHEN_API_KEY", CI_KEY));
        assertEquals(new Result(1, "", "freshen: fixture/runtime has no moving tag to roll back: its target.extraTags name "
                + "no tag without a template (such as latest or 10.0); add a moving tag to target.extraTags in "
                + "fixture/runtime/platform-image.yaml; consumers that pin a version tag roll back by changing the tag "
                + "they pull\n"), refused);
        Result noKey = run(command("rollback", IMAGE), Map.of("FRESHEN_API_KEY", "not-the-watchers-key-0000"));
        assertEquals(1, noKey.exitCode());
        assertTrue(noKey.err().startsWith("freshen: the API key sent is not one of the watcher's keys"), noKey.err());
        assertTrue(topics.readAll(Topics.ROLLBACK_REQUESTED).isEmpty(), "nothing reaches the publisher");
        Result help = freshen("rollback", "--help");
        assertEquals(0, help.exitCode(), help.err());
        assertTrue(help.out().contains("--to=VERSION"), help.out());
    }

    @Test
    void runsListsFollowsAndAgreesWithTheWatchersApi() throws Exception {
        ForceUpdateRequested forced = new ForceUpdateRequested(SampleEvents.forceUpdateRequested().runId(), OTHER_IMAGE, 1,
                Instant.now(), "runs test", "test");
        topics.send(forced);
        Running follow = start("runs", forced.runId(), "--follow");
        ImageBuilt built = built(forced);
        topics.send(built);
        ImageVerified verified = verified(built);
        topics.send(verified);
        topics.send(published(verified));
        Result followed = follow.await();
        assertEquals(0, followed.exitCode(), followed.err());
        assertTrue(followed.out().startsWith("following run " + forced.runId()), followed.out());
        assertTrue(followed.out().contains("  publish  published "), followed.out());

        Result list = freshen("runs");
        assertEquals(0, list.exitCode(), list.err());
        assertTrue(list.out().startsWith("RUN "), list.out());
        assertTrue(list.out().lines().anyMatch(l -> l.startsWith(forced.runId()) && l.contains(OTHER_IMAGE)
                && l.contains("published") && l.contains("10.0-1.0.0")), list.out());
        Result one = freshen("runs", forced.runId());
        assertEquals(0, one.exitCode(), one.err());
        System.out.printf("freshen runs:%n%s%nfreshen runs %s:%n%s%nfreshen runs %s --follow:%n%s%n", list.out(),
                forced.runId(), one.out(), forced.runId(), followed.out());
        assertTrue(one.out().startsWith("run " + forced.runId() + " of " + OTHER_IMAGE + ", forced by test: runs test"), one.out());

        // the same run, from the topics (CLI) and from the watcher's ledger (API): the same document
        await().atMost(TIMEOUT).until(() -> get("/api/v1/runs/" + forced.runId()).path("state").asText().equals("PUBLISHED"));
        JsonNode fromKafka = JSON.readTree(freshen("runs", forced.runId(), "-o", "json").out());
        JsonNode fromApi = get("/api/v1/runs/" + forced.runId());
        assertEquals(fromApi, fromKafka);
        JsonNode listed = JSON.readTree(freshen("runs", "--image", OTHER_IMAGE, "-o", "json").out());
        JsonNode apiListed = get("/api/v1/runs?image=" + OTHER_IMAGE);
        assertEquals(apiListed.path("runs").get(0), listed.path("runs").get(0));
    }

    @Test
    void everyReadCommandWritesJson() throws Exception {
        JsonNode status = JSON.readTree(freshen("status", "-o", "json").out());
        assertTrue(status.path("images").findValuesAsText("id").containsAll(List.of(IMAGE, OTHER_IMAGE)), status.toString());
        assertTrue(status.path("invalidDescriptors").isArray());
        JsonNode one = JSON.readTree(freshen("status", IMAGE, "-o", "json").out());
        assertEquals(List.of(IMAGE), one.path("images").findValuesAsText("id"));

        Result check = freshen("check", IMAGE, "-o", "json");
        assertEquals(0, check.exitCode(), check.err());
        JsonNode checked = JSON.readTree(check.out());
        assertEquals("NO_BASES", checked.path("check").path("result").asText());
        assertTrue(checked.path("run").isNull());
        Result checkText = freshen("check", IMAGE);
        System.out.printf("freshen status:%n%s%nfreshen check %s:%n%s%n", freshen("status").out(), IMAGE, checkText.out());
        assertEquals(IMAGE + ": the Dockerfile has no external base image; use force-update to rebuild it\n", checkText.out());

        JsonNode runs = JSON.readTree(freshen("runs", "-o", "json").out());
        assertTrue(runs.path("runs").isArray());

        var sample = SampleEvents.pipelineFailed();
        topics.send(sample);
        Result events = freshen("events", "--run-id", sample.runId(), "-o", "json");
        assertEquals(0, events.exitCode(), events.err());
        List<JsonNode> lines = new ArrayList<>();
        for (String line : events.out().lines().toList()) {
            lines.add(JSON.readTree(line));
        }
        assertEquals(1, lines.size(), events.out());
        assertEquals("PIPELINE_FAILED", lines.get(0).path("type").asText());
        assertEquals(sample.reason(), lines.get(0).path("event").path("reason").asText());

        JsonNode dlq = JSON.readTree(freshen("dlq", "list", "--service", "notifier", "-o", "json").out());
        assertTrue(dlq.path("deadLetters").isArray());

        JsonNode forced = JSON.readTree(freshen("force-update", IMAGE, "-o", "json").out());
        assertTrue(forced.path("runId").asText().startsWith("f-"), forced.toString());
        assertTrue(forced.path("run").isNull());
    }

    @Test
    void eventsArePrintedInTimeOrderAcrossPartitions() throws Exception {
        String unique = Long.toString(System.nanoTime(), 36);
        List<String> images = keysOnDifferentPartitions("order-" + unique, 3);
        List<String> runIds = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            var sample = SampleEvents.forceUpdateRequested();
            ForceUpdateRequested event = new ForceUpdateRequested(sample.runId(), images.get(i % 3), 1, Instant.now(),
                    "order " + i, "test");
            topics.send(event);
            runIds.add(event.runId());
            long sent = System.currentTimeMillis();
            await().pollInterval(Duration.ofMillis(1)).until(() -> System.currentTimeMillis() > sent); // distinct timestamps
        }
        Result events = freshen("events", "--since", "10m");
        assertEquals(0, events.exitCode(), events.err());
        List<String> seen = events.out().lines().filter(l -> l.contains("order-" + unique))
                .map(l -> runIds.stream().filter(l::contains).findFirst().orElseThrow()).toList();
        assertEquals(runIds, seen, events.out());
    }

    @Test
    void theCommandConfigFileReachesTheKafkaClients(@TempDir Path dir) throws Exception {
        Path bad = Files.writeString(dir.resolve("bad.properties"), "security.protocol=PLAINTEXTT\n");
        for (String command : List.of("events", "runs", "dlq list")) {
            List<String> args = new ArrayList<>(List.of(command.split(" ")));
            args.addAll(List.of("--command-config", bad.toString()));
            Result result = freshen(args.toArray(String[]::new));
            assertEquals(1, result.exitCode(), command);
            assertTrue(result.err().startsWith("freshen: the Kafka client settings in " + bad + " (--command-config) are "
                    + "not valid: ") && result.err().contains("security.protocol"), result.err());
            assertEquals(1, result.err().lines().count(), result.err());
        }
        Result forced = freshen("force-update", IMAGE, "--via", "kafka", "--command-config", bad.toString());
        assertEquals(1, forced.exitCode());
        assertTrue(forced.err().contains(bad.toString()), forced.err());

        // a real connection: the brokers and a harmless extra property from the file, nothing from FRESHEN_KAFKA
        Path good = Files.writeString(dir.resolve("client.properties"), "bootstrap.servers=" + KafkaBroker.bootstrapServers()
                + "\nsecurity.protocol=PLAINTEXT\nclient.id=freshen-cli-it\n");
        Map<String, String> env = new HashMap<>(Map.of("FRESHEN_API", watcher.baseUri().toString()));
        Result events = run(command("events", "--since", "1m", "--command-config", good.toString()), env);
        assertEquals(0, events.exitCode(), events.err());
        env.put("FRESHEN_KAFKA_CONFIG", good.toString());
        Result runs = run(command("runs", "--limit", "1"), env);
        assertEquals(0, runs.exitCode(), runs.err());
    }

    @Test
    void everyCommandAnswersHelp() throws Exception {
        for (String command : List.of("--help", "help", "status --help", "force-update -h", "check --help", "runs -h",
                "events --help", "dlq --help", "dlq list -h", "dlq replay --help", "completion --help", "help force-update")) {
            Result result = freshen(command.split(" "));
            assertEquals(0, result.exitCode(), command + ": " + result.err());
            assertTrue(result.out().contains("Usage: freshen"), command + ": " + result.out());
        }
    }

    @Test
    void theCompletionScriptCompletesCommandsAndOptionsInBash() throws Exception {
        Result script = freshen("completion", "bash");
        assertEquals(0, script.exitCode(), script.err());
        Path file = Files.createTempFile("freshen-completion", ".bash");
        Files.writeString(file, script.out());
        String probe = """
                source %s
                complete_for() { COMP_WORDS=("$@"); COMP_CWORD=$(( $# - 1 )); COMP_LINE="$*"; COMP_POINT=${#COMP_LINE}
                  COMPREPLY=(); _complete_freshen 2>/dev/null; echo "${COMPREPLY[*]}"; }
                complete_for freshen fo
                complete_for freshen dlq ""
                complete_for freshen force-update --wa
                complete_for freshen runs -o ""
                """.formatted(file);
        Result completed = run(List.of("bash", "-c", probe), Map.of());
        assertEquals(List.of("force-update", "list replay", "--wait", "text json"), completed.out().lines().toList(),
                completed.err());
    }

    @Test
    void zshLoadsTheCompletionThroughBashcompinit() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/zsh")), "zsh is not installed");
        Path file = Files.createTempFile("freshen-completion", ".zsh");
        Files.writeString(file, freshen("completion", "zsh").out());
        String probe = """
                source %s
                echo "registered: ${_comps[freshen]}"
                probe() { emulate -L sh; setopt kshglob noshglob braceexpand
                  COMP_WORDS=("$@"); COMP_CWORD=$(( $# - 1 )); COMP_LINE="$*"; COMP_POINT=${#COMP_LINE}; COMPREPLY=()
                  _complete_freshen 2>/dev/null; echo "${COMPREPLY[*]}"; }
                probe freshen dlq l
                probe freshen runs -o ""
                """.formatted(file);
        Result completed = run(List.of("zsh", "-f", "-c", probe), Map.of("HOME", Files.createTempDirectory("zsh-home").toString()));
        assertEquals(List.of("registered: _bash_complete -F _complete_freshen -o default", "list replay", "text json"),
                completed.out().lines().toList(), completed.err());
    }

    @Test
    void deadLettersAreListedAndReplayedOnce() throws Exception {
        var original = SampleEvents.forceUpdateRequested();
        RecordHeaders headers = new RecordHeaders();
        EventMessages.headers(original, "/freshen/test").forEach(headers::add);
        headers.add("dead-letter-reason", "builder was down".getBytes(StandardCharsets.UTF_8));
        headers.add("dead-letter-topic", Topics.FORCE_UPDATE.getBytes(StandardCharsets.UTF_8));
        topics.sendRaw(Topics.BUILDER_DLQ, original.imageId(), EventJson.write(original), headers);

        Result list = freshen("dlq", "list", "--service", "builder", "--run-id", original.runId());
        assertEquals(0, list.exitCode(), list.err());
        assertTrue(list.out().contains(original.runId()) && list.out().contains("builder was down"), list.out());
        JsonNode listed = JSON.readTree(freshen("dlq", "list", "--run-id", original.runId(), "-o", "json").out());
        assertEquals("builder was down", listed.path("deadLetters").get(0).path("reason").asText());
        assertEquals(Topics.FORCE_UPDATE, listed.path("deadLetters").get(0).path("originalTopic").asText());
        assertFalse(listed.path("deadLetters").get(0).path("replayed").asBoolean());
        Result recent = freshen("dlq", "list", "--service", "builder", "--since", "1h");
        assertTrue(recent.out().contains(original.runId()), recent.out());
        Result elsewhere = freshen("dlq", "list", "--service", "builder", "--offsets", "100000-100010");
        assertFalse(elsewhere.out().contains(original.runId()), elsewhere.out());
        Result badSince = freshen("dlq", "list", "--since", "yesterday");
        assertEquals(1, badSince.exitCode());
        assertTrue(badSince.err().contains("expected an age such as 30m"), badSince.err());

        Result replay = freshen("dlq", "replay", "--run-id", original.runId());
        assertEquals(0, replay.exitCode(), replay.err());
        assertTrue(replay.out().contains("1 dead letter(s) replayed"), replay.out());
        Result again = freshen("dlq", "replay", "--run-id", original.runId());
        assertTrue(again.out().contains("0 dead letter(s) replayed"), again.out());

        long copies = topics.readAll(Topics.FORCE_UPDATE).stream()
                .filter(r -> new String(r.value(), StandardCharsets.UTF_8).contains(original.runId())).count();
        assertEquals(1, copies, "replayed once to the original topic");
        var replayed = topics.awaitEvent(ForceUpdateRequested.class, e -> e.runId().equals(original.runId()), Duration.ofSeconds(10));
        assertEquals(original, replayed);
    }

    @Test
    void badArgumentsExitTwoAndUnreachableThingsExitOne() throws Exception {
        Result bad = freshen("force-update", "../etc");
        assertEquals(2, bad.exitCode());
        assertEquals("freshen: image id '../etc' may not contain '.' or '..' segments; see 'freshen force-update --help'\n",
                bad.err());
        String deadPort = "http://127.0.0.1:" + Ports.free();
        Result noApi = freshen("status", "--api", deadPort);
        assertEquals(1, noApi.exitCode());
        assertEquals("freshen: the watcher at " + deadPort + " is not reachable (connection refused); start it, or set "
                + "--api or FRESHEN_API to its URL\n", noApi.err());
        Result noKafka = freshen("events", "--bootstrap-servers", "127.0.0.1:" + Ports.free());
        assertEquals(1, noKafka.exitCode());
        assertTrue(noKafka.err().matches("freshen: Kafka at 127\\.0\\.0\\.1:\\d+ is not reachable \\(no answer within 15 s\\); "
                + "set --bootstrap-servers or FRESHEN_KAFKA\\n"), noKafka.err());
        Result noKey = run(command("check", IMAGE), Map.of("FRESHEN_API", watcher.baseUri().toString(), "FRESHEN_API_KEY", ""));
        assertEquals(1, noKey.exitCode());
        assertEquals("freshen: the watcher's API needs its key for this: set FRESHEN_API_KEY, FRESHEN_API_KEY_FILE or "
                + "--api-key-file\n", noKey.err());
        for (Result r : List.of(bad, noApi, noKafka, noKey)) {
            assertFalse(r.err().contains("Exception") || r.err().contains("\tat "), r.err());
        }
    }

    // ---- the run's other stages, as the builder, tester and publisher would emit them

    private static ImageBuilt built(ForceUpdateRequested forced) {
        ImageBuilt sample = SampleEvents.imageBuilt();
        return new ImageBuilt(forced.runId(), forced.imageId(), 1, forced.occurredAt().plusSeconds(41), forced.trigger(),
                sample.baseImages(), dev.freshen.events.image.ImageReference.parse("127.0.0.1:5000/platform/"
                + forced.imageId().replace('/', '-') + "@" + SampleEvents.digest('7')), List.of(), sample.timings());
    }

    private static ImageVerified verified(ImageBuilt built) {
        return new ImageVerified(built.runId(), built.imageId(), 1, built.occurredAt().plusSeconds(31), built.trigger(),
                built.baseImages(), built.candidate(), SampleEvents.imageVerified().checks(), built.timings());
    }

    private static ImagePublished published(ImageVerified verified) {
        return new ImagePublished(verified.runId(), verified.imageId(), 1, verified.occurredAt().plusSeconds(3),
                verified.trigger(), verified.baseImages(), verified.candidate().withTag("10.0-1.0.0"), "1.0.0",
                List.of("10.0-1.0.0", "10.0", "latest"), verified.timings());
    }

    // ---- running the command

    /** A command running in the background, its output going to files. */
    record Running(Process process, Path out, Path err, Instant started) {
        Result await() throws Exception {
            if (!process.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("freshen did not finish; output so far: " + Files.readString(out));
            }
            return new Result(process.exitValue(), Files.readString(out), Files.readString(err));
        }
    }

    private static Running start(String... args) throws IOException {
        Path out = Files.createTempFile("freshen-out", ".txt");
        Path err = Files.createTempFile("freshen-err", ".txt");
        ProcessBuilder builder = new ProcessBuilder(command(args)).redirectOutput(out.toFile()).redirectError(err.toFile());
        environment(builder, Map.of());
        Instant started = Instant.now().minusSeconds(1);
        return new Running(builder.start(), out, err, started);
    }

    /** Runs {@code target/freshen} with Kafka, the watcher and its key set in the environment, as an operator would. */
    private static Result freshen(String... args) throws IOException, InterruptedException {
        return run(command(args), Map.of());
    }

    private static List<String> command(String... args) {
        List<String> command = new ArrayList<>(List.of(FRESHEN.toString()));
        command.addAll(List.of(args));
        return command;
    }

    private static Result run(List<String> command, Map<String, String> env) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command);
        environment(builder, env);
        Process process = builder.start();
        process.getOutputStream().close();
        var out = process.getInputStream().readAllBytes();
        var err = process.getErrorStream().readAllBytes();
        if (!process.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " did not finish");
        }
        return new Result(process.exitValue(), new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
    }

    /** The test's broker and watcher (never the defaults: 127.0.0.1:9092 and :8081 may be someone's local stack). */
    private static void environment(ProcessBuilder builder, Map<String, String> env) {
        Map<String, String> environment = builder.environment();
        environment.keySet().removeIf(k -> k.startsWith("FRESHEN_"));
        environment.put("FRESHEN_KAFKA", KafkaBroker.bootstrapServers());
        environment.put("FRESHEN_API", watcher.baseUri().toString());
        environment.put("FRESHEN_API_KEY", API_KEY);
        env.forEach((k, v) -> {
            if (k.startsWith("FRESHEN_") && v.isEmpty()) {
                environment.remove(k);
            } else {
                environment.put(k, v);
            }
        });
        if (env.containsKey("FRESHEN_KAFKA_CONFIG") || command(builder).contains("--command-config")) {
            environment.remove("FRESHEN_KAFKA");
        }
    }

    private static String command(ProcessBuilder builder) {
        return String.join(" ", builder.command());
    }

    private static JsonNode get(String path) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(watcher.baseUri() + path)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        return JSON.readTree(response.body());
    }

    /** {@code count} image ids that the default partitioner puts on different partitions of a 6-partition topic. */
    private static List<String> keysOnDifferentPartitions(String prefix, int count) {
        List<String> keys = new ArrayList<>();
        List<Integer> partitions = new ArrayList<>();
        for (int i = 0; keys.size() < count; i++) {
            String key = prefix + "/image-" + i;
            int partition = Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % 6;
            if (!partitions.contains(partition)) {
                partitions.add(partition);
                keys.add(key);
            }
        }
        return keys;
    }

    private static String quote(String text) {
        return java.util.regex.Pattern.quote(text);
    }
}
