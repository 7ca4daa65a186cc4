package dev.freshen.faults;

import dev.freshen.events.ImageBuilt;
import dev.freshen.testing.ServiceProcess;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.awaitility.Awaitility.await;

/**
 * The measurement behind the consumer settings the services ship (docs/reliability.md, "Recovery after a crash"): for
 * each candidate mechanism, the builder is restarted with it (a consumer group of its own), SIGKILLed in the middle of
 * a build and started again; the table gives the times from the kill until the restarted builder is ready, takes the
 * run back and has built it. Not a check (some candidates are meant to be slow): off unless
 * {@code -Dfreshen.faults.recovery-candidates=true}, as it adds about 6 minutes.
 */
@EnabledIfSystemProperty(named = "freshen.faults.recovery-candidates", matches = "true")
class RecoveryCandidatesIT {

    private static final String CONNECTOR = "mp.messaging.connector.smallrye-kafka.";
    /** Longer than any session time-out a candidate has (45 s), so a slow one still shows its time. */
    private static final Duration GIVE_UP = Duration.ofSeconds(90);
    private static FaultStack stack;

    @Test
    void recoveryAfterKillAndRestartByMechanism() {
        stack = FaultStack.shared();
        Map<String, Map<String, String>> candidates = new LinkedHashMap<>();
        candidates.put("classic, dynamic, session 45 s (Kafka's defaults)", Map.of(FaultStack.INSTANCE_ID, ""));
        candidates.put("classic, dynamic, session 6 s", Map.of(FaultStack.INSTANCE_ID, "",
                CONNECTOR + "session.timeout.ms", "6000", CONNECTOR + "heartbeat.interval.ms", "2000"));
        candidates.put("classic, static (shipped)", Map.of());
        candidates.put("consumer (KIP-848), dynamic", Map.of(FaultStack.INSTANCE_ID, "",
                CONNECTOR + "group.protocol", "consumer"));
        candidates.put("consumer (KIP-848), static", Map.of(CONNECTOR + "group.protocol", "consumer"));
        StringBuilder table = new StringBuilder("%nRecovery after kill -9 and restart of the builder%n%-50s %s%n"
                .formatted("MECHANISM", "FROM THE KILL"));
        int n = 0;
        for (var candidate : candidates.entrySet()) {
            n++;
            Map<String, String> settings = new LinkedHashMap<>(candidate.getValue());
            settings.put("kafka.group.id", "freshen-builder-candidate-" + n);
            stack.restartWith("builder", settings);
            String image = "faults/recovery-candidate-" + n;
            stack.addImage(image, "dotnet/runtime:10.0", "RUN sleep 8\n", "teams");
            ServiceProcess builder = stack.service("builder");
            String runId = stack.forceUpdate(image, "recovery candidate " + candidate.getKey());
            String building = "Run " + runId + " (" + image + "): building with";
            await().atMost(FaultStack.RUN_TIMEOUT).until(() -> builder.logText().contains(building));
            long killed = System.nanoTime();
            builder.kill();
            builder.restart(FaultStack.READY);
            long ready = System.nanoTime();
            String times;
            try {
                await().atMost(GIVE_UP).pollInterval(Duration.ofMillis(100)).until(() -> builder.logCount(building) >= 2);
                long taken = System.nanoTime();
                stack.topics.awaitEvent(ImageBuilt.class, e -> e.runId().equals(runId), FaultStack.RUN_TIMEOUT);
                times = "ready %.1f s, run taken back %.1f s (%.1f s after ready), built %.1f s".formatted(
                        (ready - killed) / 1e9, (taken - killed) / 1e9, (taken - ready) / 1e9,
                        (System.nanoTime() - killed) / 1e9);
            } catch (ConditionTimeoutException e) {
                times = "ready %.1f s, run NOT taken back within %d s".formatted((ready - killed) / 1e9,
                        GIVE_UP.toSeconds());
            }
            table.append("%-50s %s%n".formatted(candidate.getKey(), times));
        }
        System.out.print(table);
    }

    @AfterAll
    static void builderAsUsual() {
        if (stack != null) {
            stack.restartAsUsual("builder");
        }
    }
}
