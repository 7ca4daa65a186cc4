package dev.freshen.notifier;

import dev.freshen.testing.KafkaBroker;
import dev.freshen.testing.ServiceProcess;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The packaged notifier's start-up checks: a bad channel configuration stops it with a clear message and no secret. */
class NotifierStartupIT {

    private static final String TOKEN = "T0KEN-d41d8cd9";

    @Test
    void refusesToStartWithABadChannelConfigurationSayingWhatIsWrongButNotTheUrl() throws Exception {
        Result result = run(Map.of("FRESHEN_NOTIFIER_CHANNELS_PLATFORM_TEAM_URL", "https://example.com/" + TOKEN), Map.of(
                "freshen.notifier.channels.chat.type", "teams2",
                "freshen.notifier.channels.chat.url", "https://example.webhook.office.com/" + TOKEN,
                "freshen.notifier.channels.ops.type", "slack",
                "freshen.notifier.channels.audit.type", "webhook",
                "freshen.notifier.channels.audit.url-file", "/nonexistent/audit-url",
                "freshen.notifier.channels.audit.secret", "secret-" + TOKEN));
        assertNotEquals(0, result.exit, result.output);
        assertTrue(result.output.contains("Invalid notifier configuration:"), result.output);
        assertTrue(result.output.contains("freshen.notifier.channels.chat.type: 'teams2' is not a channel type (one of teams, "
                + "slack, webhook)"), result.output);
        assertTrue(result.output.contains("freshen.notifier.channels.ops.url: is required (or "
                + "freshen.notifier.channels.ops.url-file)"), result.output);
        assertTrue(result.output.contains("freshen.notifier.channels.audit.url-file: no such file /nonexistent/audit-url"),
                result.output);
        assertTrue(result.output.contains("environment variable FRESHEN_NOTIFIER_CHANNELS_PLATFORM_TEAM_URL: no configured "
                + "channel is named platform_team (or platform-team)"), result.output);
        assertFalse(result.output.contains(TOKEN), "no URL or secret in the output");
    }

    @Test
    void refusesTheSkeletonsSingleWebhookSettingAndSaysWhatReplacedIt() throws Exception {
        Result result = run(Map.of(), Map.of("freshen.notifier.webhook-url", "https://hooks.example.com/" + TOKEN));
        assertNotEquals(0, result.exit, result.output);
        assertTrue(result.output.contains("freshen.notifier.webhook-url is no longer read: configure the webhook as a "
                + "channel, freshen.notifier.channels.<name>.type=webhook and .url or .url-file"), result.output);
        assertFalse(result.output.contains(TOKEN), "no URL in the output");
    }

    @Test
    void startsWithoutAnyChannelButWarns() {
        try (ServiceProcess notifier = ServiceProcess.start(Paths.get("").toAbsolutePath(), Map.of(
                "kafka.bootstrap.servers", KafkaBroker.bootstrapServers(),
                "freshen.platform-images-dir", "src/test/resources/empty-platform-images"), Duration.ofSeconds(60))) {
            assertTrue(notifier.logText().contains("No notification channel is configured "
                    + "(freshen.notifier.channels.<name>.type and .url): run outcomes are only logged"), notifier.logText());
        }
    }

    private record Result(int exit, String output) {
    }

    /** Runs the packaged notifier with {@code config} until it exits by itself (a failed start). */
    private static Result run(Map<String, String> environment, Map<String, String> config)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("java", "-Xmx256m", "-XX:TieredStopAtLevel=1"));
        command.add("-Dkafka.bootstrap.servers=" + KafkaBroker.bootstrapServers());
        command.add("-Dquarkus.http.host=127.0.0.1");
        command.add("-Dquarkus.http.port=0");
        config.forEach((key, value) -> command.add("-D" + key + "=" + value));
        command.add("-jar");
        command.add("target/quarkus-app/quarkus-run.jar");
        Path log = Files.createTempFile("notifier-startup-", ".log");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.to(log.toFile()));
        builder.environment().putAll(environment);
        Process process = builder.start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            throw new AssertionError("the notifier kept running with a bad configuration: " + Files.readString(log));
        }
        return new Result(process.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    }
}
