package dev.freshen.builder;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import dev.freshen.builder.docker.EngineCandidateStore;
import dev.freshen.descriptor.PlatformImageCatalog;
import dev.freshen.docker.BuildFailure;
import dev.freshen.docker.BuildKitCliBuilder;
import dev.freshen.docker.DockerEngine;
import dev.freshen.docker.EngineApiBuilder;
import dev.freshen.events.BaseImage;
import dev.freshen.events.FreshenEvent;
import dev.freshen.events.ImageBuilt;
import dev.freshen.events.PipelineFailed;
import dev.freshen.events.Trigger;
import dev.freshen.events.image.Digest;
import dev.freshen.events.image.ImageReference;
import dev.freshen.registry.Credentials;
import dev.freshen.registry.CredentialsProvider;
import dev.freshen.registry.DockerConfigCredentials;
import dev.freshen.registry.RegistryClient;
import dev.freshen.registry.RegistrySettings;
import dev.freshen.registry.config.RegistriesConfig;
import dev.freshen.retry.RetryPolicy;
import dev.freshen.testing.FixtureImages;
import dev.freshen.testing.HtpasswdRegistry;
import dev.freshen.testing.LocalRegistry;
import dev.freshen.testing.SampleEvents;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Builds FROM bases in htpasswd-protected registries (real docker-registry processes, real Docker engine) through both
 * build paths, the Engine API (classic builder) and the BuildKit CLI, with the credentials from each source:
 * {@code freshen.registries.credentials}, a Docker config.json's {@code auths} (both read through the real settings
 * mapping) and a credential helper ({@code docker-credential-freshentest}, a script). Each base exists in one registry
 * only and is removed from the engine before the build, so the engine must pull it with the credentials. A wrong
 * password fails naming the registry and the fix, and no password shows in logs, events or reasons.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PrivateBaseBuildIT {

    private static final Duration TIMEOUT = Duration.ofMinutes(3);
    private static final String USER = "ci";
    private static final String PASSWORD_SETTINGS = "settings-pw-7f3a91c2";
    private static final String PASSWORD_AUTHS = "auths-pw-5be20d44";
    private static final String PASSWORD_HELPER = "helper-pw-c81e6f09";
    private static final String WRONG_PASSWORD = "wrong-pw-0d9e7b13";
    private static final List<String> SECRETS = List.of(PASSWORD_SETTINGS, PASSWORD_AUTHS, PASSWORD_HELPER, WRONG_PASSWORD);

    private final List<String> logged = Collections.synchronizedList(new ArrayList<>());
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            String message = record.getMessage();
            if (record.getParameters() != null) {
                for (Object p : record.getParameters()) {
                    message += " " + p;
                }
            }
            logged.add(message + (record.getThrown() == null ? "" : " " + record.getThrown()));
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    private HtpasswdRegistry settingsRegistry;
    private HtpasswdRegistry authsRegistry;
    private HtpasswdRegistry helperRegistry;
    private DockerClient docker;
    private RegistryClient registryClient;
    private Path platformImages;
    private Path helperLog;
    private CredentialsProvider credentials;
    private final Map<String, BaseImage> bases = new java.util.HashMap<>();

    @BeforeAll
    void start(@TempDir Path dir) throws IOException {
        dev.freshen.testing.DockerEngine.requireRunning();
        Logger.getLogger("").addHandler(capture);
        docker = DockerEngine.connect(TIMEOUT);
        registryClient = new RegistryClient(RegistrySettings.defaults());
        settingsRegistry = HtpasswdRegistry.start(USER, PASSWORD_SETTINGS);
        authsRegistry = HtpasswdRegistry.start(USER, PASSWORD_AUTHS);
        helperRegistry = HtpasswdRegistry.start(USER, PASSWORD_HELPER);
        platformImages = Files.createDirectories(dir.resolve("platform-images"));

        // (a) freshen.registries.credentials, (b) freshen.registries.docker-config auths: through the settings mapping
        Path passwordFile = Files.writeString(dir.resolve("registry-password"), PASSWORD_SETTINGS + "\n");
        Path dockerConfig = Files.writeString(dir.resolve("config.json"), """
                {"auths": {"http://%s/v2/": {"auth": "%s"}, "https://index.docker.io/v1/": {"auth": "%s"}}}
                """.formatted(authsRegistry.host(), base64(USER + ":" + PASSWORD_AUTHS), base64("hub:" + WRONG_PASSWORD)));
        RegistriesConfig config = new SmallRyeConfigBuilder().addDiscoveredConverters()
                .withMapping(RegistriesConfig.class, "freshen.registries")
                .withSources(new PropertiesConfigSource(Map.of(
                        "freshen.registries.credentials.company.host", settingsRegistry.host(),
                        "freshen.registries.credentials.company.username", USER,
                        "freshen.registries.credentials.company.password-file", passwordFile.toString(),
                        "freshen.registries.docker-config", dockerConfig.toString()), "test", 400))
                .build().getConfigMapping(RegistriesConfig.class, "freshen.registries");
        // (c) a credential helper named by credHelpers, a real executable
        Path helpers = Files.createDirectories(dir.resolve("helpers"));
        helperLog = dir.resolve("helper-calls.log");
        Path helper = helpers.resolve("docker-credential-freshentest");
        Files.writeString(helper, """
                #!/bin/sh
                url=$(cat)
                echo "$1 $url" >> %s
                if [ "$1" = get ] && [ "$url" = "%s" ]; then
                  printf '{"ServerURL":"%%s","Username":"%s","Secret":"%s"}' "$url"
                  exit 0
                fi
                echo "credentials not found in native keychain"
                exit 1
                """.formatted(helperLog, helperRegistry.host(), USER, PASSWORD_HELPER));
        Files.setPosixFilePermissions(helper, PosixFilePermissions.fromString("rwx------"));
        Path helperConfig = Files.writeString(dir.resolve("helper-config.json"),
                "{\"credHelpers\": {\"%s\": \"freshentest\"}}".formatted(helperRegistry.host()));
        credentials = config.credentialsChain(CredentialsProvider.NONE).orElse(new DockerConfigCredentials(helperConfig,
                List.of(helpers), Duration.ofSeconds(10), Duration.ofMinutes(5), Clock.systemUTC()));

        for (String path : List.of("classic", "buildkit")) {
            image("settings-" + path, settingsRegistry, PASSWORD_SETTINGS, path);
            image("auths-" + path, authsRegistry, PASSWORD_AUTHS, path);
            image("helper-" + path, helperRegistry, PASSWORD_HELPER, path);
            image("wrong-" + path, settingsRegistry, PASSWORD_SETTINGS, path);
        }
    }

    @AfterAll
    void stop() throws IOException {
        Logger.getLogger("").removeHandler(capture);
        for (HtpasswdRegistry r : new HtpasswdRegistry[]{settingsRegistry, authsRegistry, helperRegistry}) {
            if (r != null) {
                r.close();
            }
        }
        if (docker != null) {
            docker.close();
        }
    }

    @Test
    void credentialsFromTheSettingsReachBothBuilders() {
        assertBuilt("settings-classic");
        assertBuilt("settings-buildkit");
    }

    @Test
    void credentialsFromADockerConfigAuthsReachBothBuilders() {
        assertBuilt("auths-classic");
        assertBuilt("auths-buildkit");
    }

    @Test
    void credentialsFromACredentialHelperReachBothBuilders() throws IOException {
        assertBuilt("helper-classic");
        assertBuilt("helper-buildkit");
        assertTrue(Files.readString(helperLog).contains("get " + helperRegistry.host()), "the helper was asked");
    }

    @Test
    void aWrongPasswordFailsNamingTheRegistryAndTheFixButNotThePassword() {
        CredentialsProvider wrong = host -> host.equals(settingsRegistry.host())
                ? Optional.of(new Credentials(USER, WRONG_PASSWORD)) : Optional.empty();
        for (String id : List.of("wrong-classic", "wrong-buildkit")) {
            FreshenEvent event = stage(wrong).build(request(id));
            PipelineFailed failed = assertInstanceOf(PipelineFailed.class, event, id + ": " + event);
            assertEquals(BuildFailure.REGISTRY_ERROR, failed.code(), failed.reason());
            assertTrue(failed.reason().contains("the registry " + settingsRegistry.host() + " refused"), failed.reason());
            assertTrue(failed.reason().contains("user '" + USER + "'"), failed.reason());
            assertTrue(failed.reason().contains("freshen.registries.credentials or freshen.registries.docker-config"),
                    failed.reason());
            assertNoSecret(failed.toString(), "the event");
            assertNoSecret(String.valueOf(failed.logExcerpt()), "the log excerpt");
        }
        assertNoSecret(String.join("\n", logged), "the log");
    }

    @Test
    void withoutCredentialsTheEngineIsRefusedToo() {
        // the check that the engine must pull: the same build without credentials fails
        FreshenEvent event = stage(CredentialsProvider.NONE).build(request("auths-classic"));
        PipelineFailed failed = assertInstanceOf(PipelineFailed.class, event, event.toString());
        assertTrue(failed.reason().contains("the registry " + authsRegistry.host() + " refused the Docker engine's pull"
                + " without credentials"), failed.reason());
    }

    private void assertBuilt(String id) {
        BaseImage base = bases.get(id);
        assertThrows(NotFoundException.class, () -> docker.inspectImageCmd(base.pinned().toString()).exec(),
                "the base is not in the engine before the build: it must be pulled");
        FreshenEvent event = stage(credentials).build(request(id));
        ImageBuilt built = assertInstanceOf(ImageBuilt.class, event, id + ": " + event);
        assertEquals(base.digest(), built.baseImages().get(0).digest());
        assertNoSecret(event.toString(), "the event");
        assertTrue(logged.stream().anyMatch(l -> l.contains("building with")), "the log is captured: " + logged);
        assertNoSecret(String.join("\n", logged), "the log");
        DockerEngine.remove(docker, base.pinned().toString());
    }

    private BuildStage stage(CredentialsProvider provider) {
        return new BuildStage(PlatformImageCatalog.of(platformImages)::scan,
                new EngineCandidateStore(docker, registryClient, TIMEOUT), new EngineApiBuilder(docker),
                new BuildKitCliBuilder(dev.freshen.testing.DockerEngine.CLI), p -> Optional.empty(),
                new BuildSettings(LocalRegistry.shared().host(), dev.freshen.descriptor.Staging.defaults(), TIMEOUT, 100,
                        new RetryPolicy(1, Duration.ofSeconds(1), Duration.ofSeconds(1)),
                        dev.freshen.events.image.Platform.LINUX_AMD64),
                Clock.systemUTC(), provider, new BuildOutcomes());
    }

    private BuildRequest request(String id) {
        return new BuildRequest(SampleEvents.runId(), "private/" + id, Trigger.baseImageUpdated(), List.of(bases.get(id)),
                Instant.now());
    }

    /**
     * A base only in {@code registry} (pushed with its password, then removed from the engine), and a platform image
     * FROM it; {@code path} "buildkit" uses BuildKit-only syntax, so that it is built with the BuildKit CLI.
     */
    private void image(String id, HtpasswdRegistry registry, String password, String path) throws IOException {
        ImageReference local = FixtureImages.publishBase(LocalRegistry.shared().host(), "creds-it/" + id, "1");
        String repository = registry.host() + "/private/" + id;
        DockerEngine.pull(docker, local.name(), local.digest(), null, TIMEOUT);
        docker.tagImageCmd(local.byDigestOnly().toString(), repository, "1").exec();
        Digest digest = DockerEngine.push(docker, repository, "1", new Credentials(USER, password), TIMEOUT);
        DockerEngine.remove(docker, repository + ":1");
        DockerEngine.remove(docker, repository + "@" + digest);
        DockerEngine.remove(docker, local.byDigestOnly().toString());
        ImageReference base = ImageReference.parse(repository + ":1");
        bases.put(id, new BaseImage(base, digest, null));
        Path folder = Files.createDirectories(platformImages.resolve("private").resolve(id));
        Files.writeString(folder.resolve("Dockerfile"), path.equals("buildkit")
                ? "FROM " + base + "\nCOPY --chmod=755 hello.sh /hello.sh\n"
                : "FROM " + base + "\nRUN echo built > /built\n");
        Files.writeString(folder.resolve("hello.sh"), "#!/bin/sh\necho hello\n");
        Files.writeString(folder.resolve("platform-image.yaml"),
                "target: {repository: platform/creds-" + id + ", tagPrefix: '1.0'}\n");
    }

    private static void assertNoSecret(String text, String where) {
        for (String secret : SECRETS) {
            assertFalse(text.contains(secret), "a password in " + where);
            assertFalse(text.contains(base64(USER + ":" + secret)), "a password (base64) in " + where);
        }
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
