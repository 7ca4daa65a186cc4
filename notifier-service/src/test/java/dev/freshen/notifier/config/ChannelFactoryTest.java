package dev.freshen.notifier.config;

import dev.freshen.notifier.Notifier;
import dev.freshen.notifier.teams.TeamsFlavor;
import dev.freshen.notifier.teams.TeamsWebhook;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ChannelFactoryTest {

    private static final String URL = "https://example.webhook.office.com/webhookb2/T0KEN-abc";

    @TempDir
    Path dir;

    @Test
    void buildsOneNotifierPerChannelAndDefaultsToAllOfThem() throws IOException {
        Path urlFile = Files.writeString(dir.resolve("slack-url"), "https://hooks.slack.com/services/T/B/X\n");
        Path secretFile = Files.writeString(dir.resolve("secret"), "s3cret\n");
        Map<String, ChannelFactory.Spec> specs = new LinkedHashMap<>();
        specs.put("platform-team", spec("teams", URL, null, null, null));
        specs.put("chat", spec("slack", null, urlFile, null, null));
        specs.put("audit", spec("webhook", "http://127.0.0.1:9/hook", null, null, secretFile));

        ChannelFactory.Channels channels = build(specs, Optional.empty());
        assertEquals(List.of("audit", "chat", "platform-team"), List.copyOf(channels.byName().keySet()));
        assertEquals("teams", channels.byName().get("platform-team").name());
        assertEquals("slack", channels.byName().get("chat").name());
        assertEquals("webhook", channels.byName().get("audit").name());
        assertEquals(List.of("audit", "chat", "platform-team"), channels.defaults());
        assertEquals(List.of("chat"), build(specs, Optional.of(List.of("chat"))).defaults());
    }

    @Test
    void aTeamsChannelsFlavorIsItsSettingElseItsHostsElseWorkflows() {
        Map<String, ChannelFactory.Spec> specs = new LinkedHashMap<>();
        specs.put("legacy", teams(URL, null));
        specs.put("old-form", teams("https://outlook.office.com/webhook/T0KEN", null));
        specs.put("workflow", teams("https://prod-12.westeurope.logic.azure.com:443/workflows/T0KEN/triggers/manual", null));
        specs.put("platform", teams("https://default0123.ab.environment.api.powerplatform.com/powerautomate/T0KEN", null));
        specs.put("proxied", teams("https://teams-proxy.example.com/T0KEN", null));
        specs.put("proxied-legacy", teams("https://teams-proxy.example.com/T0KEN", " Legacy "));
        Map<String, Notifier> channels = build(specs, Optional.empty()).byName();
        assertEquals(TeamsFlavor.LEGACY, flavorOf(channels.get("legacy")));
        assertEquals(TeamsFlavor.LEGACY, flavorOf(channels.get("old-form")));
        assertEquals(TeamsFlavor.WORKFLOWS, flavorOf(channels.get("workflow")));
        assertEquals(TeamsFlavor.WORKFLOWS, flavorOf(channels.get("platform")));
        assertEquals(TeamsFlavor.WORKFLOWS, flavorOf(channels.get("proxied")), "other hosts: Workflows");
        assertEquals(TeamsFlavor.LEGACY, flavorOf(channels.get("proxied-legacy")));
        assertEquals("teams, legacy webhook", channels.get("legacy").describe());
        assertEquals("teams, Workflows", channels.get("proxied").describe());
    }

    @Test
    void aFlavorMustBeKnownOnATeamsChannelAndAgreeWithAMicrosoftHost() {
        Map<String, ChannelFactory.Spec> specs = new LinkedHashMap<>();
        specs.put("a", teams(URL, "workflows"));
        specs.put("b", teams("https://prod-12.westeurope.logic.azure.com/workflows/T0KEN", "legacy"));
        specs.put("c", teams(URL, "connector"));
        specs.put("d", new ChannelFactory.Spec(Optional.of("slack"), Optional.of("https://hooks.slack.com/services/T0KEN"),
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.of("legacy")));
        var e = assertThrows(IllegalStateException.class, () -> build(specs, Optional.empty()));
        assertEquals("""
                Invalid notifier configuration:
                  - freshen.notifier.channels.a.flavor: is workflows but the host of freshen.notifier.channels.a.url is a legacy incoming webhook host: remove the flavor or fix the URL
                  - freshen.notifier.channels.b.flavor: is legacy but the host of freshen.notifier.channels.b.url is a Workflows host: remove the flavor or fix the URL
                  - freshen.notifier.channels.c.flavor: 'connector' is not a Teams flavor (workflows or legacy)
                  - freshen.notifier.channels.d.flavor: only teams channels have a flavor (workflows or legacy); a slack channel takes none""",
                e.getMessage());
        assertFalse(e.getMessage().contains("T0KEN"));
    }

    @Test
    void webhookSecretsMustBeUsableKeysAndAreNeverShown() throws IOException {
        Path rotation = Files.writeString(dir.resolve("secrets"), "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw\nold-plain-S3CRET\n");
        Map<String, ChannelFactory.Spec> specs = new LinkedHashMap<>();
        specs.put("plain", spec("webhook", URL, null, "plain-S3CRET", null));
        specs.put("rotating", spec("webhook", URL, null, null, rotation));
        assertEquals(2, build(specs, Optional.empty()).byName().size());

        specs.put("not-base64", spec("webhook", URL, null, "whsec_S3CRET!!", null));
        specs.put("short", spec("webhook", URL, null, "whsec_c2hvcnQtUzNDUkVU", null));
        specs.put("second-bad", spec("webhook", URL, null, "plain-S3CRET whsec_S3CRET!!", null));
        var e = assertThrows(IllegalStateException.class, () -> build(specs, Optional.empty()));
        assertEquals("""
                Invalid notifier configuration:
                  - freshen.notifier.channels.not-base64.secret: starts with whsec_ but the rest is not base64 (value not shown: it is a secret)
                  - freshen.notifier.channels.second-bad.secret: secret 2 of 2 starts with whsec_ but the rest is not base64 (value not shown: it is a secret)
                  - freshen.notifier.channels.short.secret: is a whsec_ secret of 12 bytes; the Standard Webhooks specification asks for 24 to 64 random bytes, e.g. whsec_$(openssl rand -base64 32) (value not shown: it is a secret)""",
                e.getMessage());
        assertFalse(e.getMessage().contains("S3CRET"));
    }

    @Test
    void noChannelsIsAllowed() {
        ChannelFactory.Channels channels = build(Map.of(), Optional.empty());
        assertTrue(channels.byName().isEmpty());
        assertEquals(List.of(), channels.defaults());
    }

    @Test
    void reportsEveryProblemAtOnceNamingTheSettingAndNeverTheValue() {
        Map<String, ChannelFactory.Spec> specs = new LinkedHashMap<>();
        specs.put("a-unknown-type", spec("teams2", URL, null, null, null));
        specs.put("b-no-type", spec(null, URL, null, null, null));
        specs.put("c-no-url", spec("slack", null, null, null, null));
        specs.put("d-both", spec("teams", URL, dir.resolve("url"), null, null));
        specs.put("e-missing-file", spec("teams", null, dir.resolve("absent"), null, null));
        specs.put("f-not-a-url", spec("webhook", "T0KEN-abc", null, null, null));
        specs.put("g-secret-on-teams", spec("teams", URL, null, "s3cret-T0KEN", null));
        specs.put("Bad_Name", spec("teams", URL, null, null, null));

        var e = assertThrows(IllegalStateException.class, () -> build(specs, Optional.of(List.of("ghost"))));
        String message = e.getMessage();
        assertEquals("""
                Invalid notifier configuration:
                  - freshen.notifier.channels.Bad_Name: 'Bad_Name' is not a channel name (lowercase letters, digits and '-', as descriptors' notify: lists write them)
                  - freshen.notifier.channels.a-unknown-type.type: 'teams2' is not a channel type (one of teams, slack, webhook)
                  - freshen.notifier.channels.b-no-type.type: is required (one of teams, slack, webhook)
                  - freshen.notifier.channels.c-no-url.url: is required (or freshen.notifier.channels.c-no-url.url-file)
                  - freshen.notifier.channels.d-both.url and freshen.notifier.channels.d-both.url-file: set one of them, not both
                  - freshen.notifier.channels.e-missing-file.url-file: no such file %s
                  - freshen.notifier.channels.f-not-a-url.url: is not an absolute http(s) URL with a host (value not shown: it is a secret)
                  - freshen.notifier.channels.g-secret-on-teams.secret: only webhook channels sign their posts; a teams channel takes no secret
                  - freshen.notifier.default-channels: [ghost] not configured (configured: Bad_Name, a-unknown-type, b-no-type, c-no-url, d-both, e-missing-file, f-not-a-url, g-secret-on-teams)"""
                .formatted(dir.resolve("absent")), message);
        assertFalse(message.contains("T0KEN"), "no URL or secret in the message");
    }

    @Test
    void anEmptyFileIsAnError() throws IOException {
        Path empty = Files.writeString(dir.resolve("empty"), "\n");
        var e = assertThrows(IllegalStateException.class,
                () -> build(Map.of("x", spec("webhook", URL, null, null, empty)), Optional.empty()));
        assertTrue(e.getMessage().endsWith("freshen.notifier.channels.x.secret-file: " + empty + " is empty"), e.getMessage());
    }

    @Test
    void environmentVariablesOfAChannelThatDoesNotExistAreAnError() {
        Set<String> environment = Set.of("FRESHEN_NOTIFIER_CHANNELS_PLATFORM_TEAM_URL", "FRESHEN_NOTIFIER_CHANNELS_OPS_TYPE",
                "FRESHEN_NOTIFIER_CHANNELS_OPS_URL_FILE", "FRESHEN_NOTIFIER_CHANNELS_OPS_ONCALL_SECRET",
                "FRESHEN_NOTIFIER_DEFAULT_CHANNELS", "FRESHEN_NOTIFIER_CHANNELS_X_COLOR", "HOME");
        assertEquals(List.of("environment variable FRESHEN_NOTIFIER_CHANNELS_PLATFORM_TEAM_URL: no configured channel is "
                        + "named platform_team (or platform-team): a name with '-' cannot be given by environment variables "
                        + "alone; set one of its settings as a property, e.g. freshen.notifier.channels.platform-team.type "
                        + "in application.properties"),
                ChannelFactory.lostEnvironmentSettings(environment, Set.of("ops", "ops-oncall")));
        var e = assertThrows(IllegalStateException.class, () -> ChannelFactory.build(Map.of(), Optional.empty(), environment,
                HttpClient.newHttpClient(), Duration.ofSeconds(1), Clock.systemUTC()));
        assertTrue(e.getMessage().contains("FRESHEN_NOTIFIER_CHANNELS_OPS_TYPE: no configured channel is named ops"),
                e.getMessage());
    }

    private static ChannelFactory.Channels build(Map<String, ChannelFactory.Spec> specs, Optional<List<String>> defaults) {
        return ChannelFactory.build(specs, defaults, Set.of(), HttpClient.newHttpClient(), Duration.ofSeconds(1),
                Clock.systemUTC());
    }

    private static ChannelFactory.Spec spec(String type, String url, Path urlFile, String secret, Path secretFile) {
        return new ChannelFactory.Spec(Optional.ofNullable(type), Optional.ofNullable(url), Optional.ofNullable(urlFile),
                Optional.ofNullable(secret), Optional.ofNullable(secretFile), Optional.empty());
    }

    private static ChannelFactory.Spec teams(String url, String flavor) {
        return new ChannelFactory.Spec(Optional.of("teams"), Optional.of(url), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.ofNullable(flavor));
    }

    private static TeamsFlavor flavorOf(Notifier notifier) {
        return ((TeamsWebhook) notifier).flavor();
    }
}
