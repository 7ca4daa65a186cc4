package dev.freshen.cli;

import dev.freshen.events.EventJson;
import dev.freshen.events.ForceUpdateRequested;
import dev.freshen.events.Topics;
import dev.freshen.testing.EventTopics;
import dev.freshen.testing.KafkaBroker;
import dev.freshen.testing.SampleEvents;
import dev.freshen.messaging.EventMessages;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The packaged {@code freshen} command, run as a process, against the real Kafka broker. */
class CliIT {

    private static EventTopics topics;

    record Result(int exitCode, String out, String err) {
    }

    @BeforeAll
    static void connect() {
        topics = new EventTopics(KafkaBroker.bootstrapServers());
    }

    @AfterAll
    static void disconnect() {
        topics.close();
    }

    @Test
    void forceUpdateThroughKafkaPrintsTheRunAndRunsShowsIt() throws Exception {
        Result forced = freshen("force-update", "net10/runtime", "--reason", "Dockerfile changed");
        assertEquals(0, forced.exitCode(), forced.err());
        String runId = forced.out().strip();
        ForceUpdateRequested event = topics.awaitEvent(ForceUpdateRequested.class, e -> e.runId().equals(runId),
                Duration.ofSeconds(30));
        assertEquals("Dockerfile changed", event.reason());
        assertTrue(event.requestedBy().startsWith("cli:"));

        Result runs = freshen("runs", runId);
        assertEquals(0, runs.exitCode(), runs.err());
        assertTrue(runs.out().contains("FORCE_UPDATE_REQUESTED") && runs.out().contains("forced: Dockerfile changed"), runs.out());
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
        assertTrue(bad.err().contains("may not contain '.' or '..' segments"), bad.err());
        Result noApi = freshen("status", "--api", "http://127.0.0.1:9");
        assertEquals(1, noApi.exitCode());
        assertEquals("freshen: the watcher at http://127.0.0.1:9 is not reachable (ConnectException)", noApi.err().strip());
    }

    private static Result freshen(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("java", "-jar",
                Path.of("target/quarkus-app/quarkus-run.jar").toAbsolutePath().toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().put("FRESHEN_KAFKA", KafkaBroker.bootstrapServers());
        Process process = builder.start();
        process.getOutputStream().close();
        var out = process.getInputStream().readAllBytes();
        var err = process.getErrorStream().readAllBytes();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("freshen " + String.join(" ", args) + " did not finish");
        }
        return new Result(process.exitValue(), new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
    }
}
