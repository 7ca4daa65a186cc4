package dev.freshen.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.freshen.registry.Credentials;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The credentials a build hands the engine, in the Engine API's and the docker CLI's forms, and what a refusal says. */
class RegistryAuthsTest {

    private static final Map<String, Credentials> CREDENTIALS = Map.of(
            "registry.example.com", new Credentials("ci", "s3cret-pw"),
            "docker.io", new Credentials("hub", "hub-pw"),
            "acr.example.io", new Credentials("<token>", "refresh-token", true));

    @Test
    void theEngineApiGetsOneAuthConfigPerRegistryKeyedAsTheEngineLooksThemUp() {
        var configs = RegistryAuths.engineApi(CREDENTIALS).getConfigs();
        assertEquals(3, configs.size());
        assertEquals("s3cret-pw", configs.get("registry.example.com").getPassword());
        assertEquals("hub", configs.get("https://index.docker.io/v1/").getUsername());
        assertEquals("refresh-token", configs.get("acr.example.io").getIdentitytoken());
        assertNull(configs.get("acr.example.io").getPassword());
    }

    @Test
    void theCliConfigHoldsOnlyAuthsAndIsPrivateToItsOwner() throws IOException {
        Path dir = RegistryAuths.configDirectory(CREDENTIALS);
        try {
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)));
            Path file = dir.resolve("config.json");
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
            JsonNode json = new ObjectMapper().readTree(file.toFile());
            assertEquals(1, json.size(), json.fieldNames().next());
            JsonNode auths = json.get("auths");
            assertEquals(base64("ci:s3cret-pw"), auths.get("registry.example.com").get("auth").asText());
            assertEquals(base64("hub:hub-pw"), auths.get("https://index.docker.io/v1/").get("auth").asText());
            assertEquals("refresh-token", auths.get("acr.example.io").get("identitytoken").asText());
        } finally {
            RegistryAuths.delete(dir);
        }
        assertFalse(Files.exists(dir));
    }

    @Test
    void aRefusedPullNamesTheRegistryFromTheReasonOrTheStepAndTheUserButNotThePassword() {
        BuildFailure classic = RegistryAuths.refused("unauthorized: authentication required",
                "Step 1/2 : FROM registry.example.com/base/runtime@sha256:abc", CREDENTIALS);
        assertEquals(BuildFailure.REGISTRY_ERROR, classic.code());
        assertEquals("the registry registry.example.com refused the Docker engine's pull with the credentials of user 'ci':"
                + " set the right credentials for registry.example.com in freshen.registries.credentials or"
                + " freshen.registries.docker-config; the engine said: unauthorized: authentication required",
                classic.getMessage());
        BuildFailure anonymous = RegistryAuths.refused("Get \"https://other.example.com:8443/v2/x/manifests/1\":"
                + " no basic auth credentials", null, CREDENTIALS);
        assertTrue(anonymous.getMessage().startsWith("the registry other.example.com:8443 refused the Docker engine's pull"
                + " without credentials"), anonymous.getMessage());
        BuildFailure buildKit = RegistryAuths.refused("failed to solve with frontend dockerfile.v0: failed to create LLB"
                + " definition: pulling from host 127.0.0.1:38853 failed with status code [manifests sha256:bff1]:"
                + " 401 Unauthorized", null, Map.of());
        assertTrue(buildKit.getMessage().startsWith("the registry 127.0.0.1:38853 refused"), buildKit.getMessage());
        assertNull(RegistryAuths.refused("failed to compute cache key: \"/app\" not found", null, CREDENTIALS));
        assertNull(RegistryAuths.refused("The command '/bin/sh -c curl -f https://x || echo unauthorized' returned a"
                + " non-zero code: 1", "Step 2/2 : RUN curl -f https://x || echo unauthorized", CREDENTIALS));
    }

    @Test
    void redactReplacesEveryPasswordOfTheBuild() {
        assertEquals("login *** and *** failed", RegistryAuths.redact("login s3cret-pw and hub-pw failed", CREDENTIALS));
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
