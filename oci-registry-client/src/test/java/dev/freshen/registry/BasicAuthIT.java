package dev.freshen.registry;

import dev.freshen.events.image.ImageReference;
import dev.freshen.testing.HtpasswdRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** HTTP basic authentication against a real {@code docker-registry} with {@code auth: htpasswd}. */
class BasicAuthIT {

    private static final String USER = "AWS";
    private static final String PASSWORD = "ecr-Pa55word-123";

    private static HtpasswdRegistry registry;

    @BeforeAll
    static void start() {
        registry = HtpasswdRegistry.start(USER, PASSWORD);
    }

    @AfterAll
    static void stop() {
        if (registry != null) {
            registry.close();
        }
    }

    @Test
    void pushesAndReadsWithCredentialsSentUpFrontOnceKnown() {
        RegistryClient client = client(PASSWORD);
        ImageReference source = TestImages.base();

        assertEquals(source.digest(), TestImages.copy(client, source, registry.host(), "platform/aspnet", "1.0.0"));
        ImageReference copy = ImageReference.parse(registry.host() + "/platform/aspnet:1.0.0");
        long before = client.stats().forHost(registry.host()).requests();

        assertEquals(Optional.of(source.digest()), client.manifestDigest(copy));
        assertEquals(List.of("1.0.0"), client.tags(registry.host(), "platform/aspnet"));
        assertEquals(before + 2, client.stats().forHost(registry.host()).requests(), "no 401 round trips");
        assertTrue(client.imageConfig(copy).env().contains("APP_UID=1654"));
    }

    @Test
    void aDockerConfigJsonGivesTheCredentialsAfterTheConfiguredOnes(@TempDir Path dir) throws IOException {
        ImageReference source = TestImages.base();
        TestImages.copy(client(PASSWORD), source, registry.host(), "platform/docker-config", "1.0.0");
        Path config = Files.writeString(dir.resolve("config.json"), "{\"auths\": {\"" + registry.host() + "\": {\"auth\": \""
                + Base64.getEncoder().encodeToString((USER + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8)) + "\"}}}");
        RegistryClient client = new RegistryClient(RegistrySettings.defaults(),
                CredentialsProvider.NONE.orElse(RegistrySettings.defaults()).orElse(DockerConfigCredentials.of(config)));

        assertEquals(Optional.of(source.digest()),
                client.manifestDigest(ImageReference.parse(registry.host() + "/platform/docker-config:1.0.0")));
    }

    @Test
    void withoutCredentialsTheErrorSaysSo() {
        RegistryClient anonymous = new RegistryClient(RegistrySettings.defaults());

        RegistryException e = assertThrows(RegistryException.class,
                () -> anonymous.manifestDigest(ImageReference.parse(registry.host() + "/platform/aspnet:1.0.0")));
        assertEquals(401, e.status());
        assertFalse(e.isTransient());
        assertTrue(e.getMessage().contains(registry.host()) && e.getMessage().contains("no credentials")
                && e.getMessage().contains("freshen.registries.docker-config"), e.getMessage());
    }

    @Test
    void wrongPasswordIsA401WithoutThePassword() {
        RegistryClient client = client("wrong-" + PASSWORD);
        ImageReference ref = ImageReference.parse(registry.host() + "/platform/aspnet:1.0.0");

        for (int i = 0; i < 2; i++) { // the second time the credentials go up front and are refused at once
            RegistryException e = assertThrows(RegistryException.class, () -> client.manifestDigest(ref));
            assertEquals(401, e.status());
            assertFalse(e.isTransient());
            assertTrue(e.getMessage().contains(registry.host()) && e.getMessage().contains(USER), e.getMessage());
            assertFalse(e.getMessage().contains(PASSWORD), e.getMessage());
        }
    }

    private static RegistryClient client(String password) {
        return new RegistryClient(RegistrySettings.defaults()
                .withCredentials(registry.host(), new Credentials(USER, password)));
    }
}
