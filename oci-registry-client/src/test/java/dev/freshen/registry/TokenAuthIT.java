package dev.freshen.registry;

import dev.freshen.events.image.ImageReference;
import dev.freshen.testing.TokenAuthRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The bearer-token flow against a real {@code docker-registry} with {@code auth: token} and a local token server. */
class TokenAuthIT {

    private static final String USER = "freshen-ci";
    private static final String PASSWORD = "Tok3n-Pa55word!";

    private static TokenAuthRegistry registry;
    private static ImageReference image;

    @BeforeAll
    static void copyTheFixtureIntoTheRegistry() {
        registry = TokenAuthRegistry.start(USER, PASSWORD);
        ImageReference source = TestImages.base();
        var pushed = TestImages.copy(authenticated(), source, registry.host(), "platform/runtime", "1.0.0");
        assertEquals(source.digest(), pushed, "pushed through the token flow, bytes unchanged");
        image = ImageReference.parse(registry.host() + "/platform/runtime:1.0.0");
    }

    @AfterAll
    static void stop() {
        if (registry != null) {
            registry.close();
        }
    }

    @Test
    void readsWithCredentialsAndReusesTheTokenOfAScope() {
        RegistryClient client = authenticated();
        int before = registry.tokensIssued();

        assertEquals(Optional.of(TestImages.base().digest()), client.manifestDigest(image));
        assertEquals(before + 1, registry.tokensIssued(), "one token for repository:platform/runtime:pull");
        long requests = client.stats().forHost(registry.host()).requests();

        assertEquals(Optional.of(TestImages.base().digest()), client.manifestDigest(image));
        assertTrue(client.tags(registry.host(), "platform/runtime").contains("1.0.0"));
        assertEquals("Freshen fixture base", client.imageConfig(image).labels().get("org.opencontainers.image.title"));
        assertEquals(before + 1, registry.tokensIssued(), "the cached token served every later read");
        assertEquals(requests + 4, client.stats().forHost(registry.host()).requests(),
                "HEAD, tags, manifest and config blob, each without a 401 first");
    }

    @Test
    void pushScopeGetsItsOwnToken() {
        RegistryClient client = authenticated();
        Manifest manifest = client.manifest(image).orElseThrow();
        int before = registry.tokensIssued();

        assertEquals(manifest.digest(), client.putManifest(registry.host(), "platform/runtime", "1.1.0", manifest));
        assertEquals(manifest.digest(), client.putManifest(registry.host(), "platform/runtime", "latest", manifest));
        assertEquals(before + 1, registry.tokensIssued(), "one token for repository:platform/runtime:pull,push");
    }

    @Test
    void wrongPasswordIsA401NamingRegistryAndUserButNotThePassword() {
        RegistryClient client = new RegistryClient(RegistrySettings.defaults()
                .withCredentials(registry.host(), new Credentials(USER, "not-" + PASSWORD)));

        RegistryException e = assertThrows(RegistryException.class, () -> client.manifestDigest(image));

        assertEquals(401, e.status());
        assertFalse(e.isTransient());
        assertTrue(e.getMessage().contains(registry.host()), e.getMessage());
        assertTrue(e.getMessage().contains(USER), e.getMessage());
        assertTrue(e.getMessage().contains("rejected the credentials"), e.getMessage());
        assertFalse(e.getMessage().contains(PASSWORD), e.getMessage());
    }

    @Test
    void anonymousClientsMayPullButNotPush() {
        RegistryClient anonymous = new RegistryClient(RegistrySettings.defaults());
        Manifest manifest = anonymous.manifest(image).orElseThrow();

        assertEquals(TestImages.base().digest(), manifest.digest());
        RegistryException e = assertThrows(RegistryException.class,
                () -> anonymous.putManifest(registry.host(), "platform/runtime", "anonymous", manifest));
        assertEquals(401, e.status());
        assertFalse(e.isTransient());
        assertTrue(e.getMessage().contains("anonymous") && e.getMessage().contains(registry.host()), e.getMessage());
        assertEquals(Optional.empty(), anonymous.manifestDigest(image.withTag("anonymous")));
    }

    private static RegistryClient authenticated() {
        return new RegistryClient(RegistrySettings.defaults()
                .withCredentials(registry.host(), new Credentials(USER, PASSWORD)));
    }
}
