package dev.freshen.docker;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.dockerjava.api.model.AuthConfig;
import com.github.dockerjava.api.model.AuthConfigurations;
import dev.freshen.registry.Credentials;
import dev.freshen.registry.DockerConfigCredentials;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.Comparator;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A build's registry credentials in the two forms a Docker engine takes them: the {@code X-Registry-Config} of the
 * Engine API's {@code /build} (docker-java's {@link AuthConfigurations}) and the {@code auths} of a docker CLI
 * {@code config.json}. Both are keyed as the engine looks them up ({@code moby: registry.ResolveAuthConfig}, docker
 * CLI {@code GetAuthConfig}): by registry host, Docker Hub as {@value DockerConfigCredentials#DOCKER_HUB_KEY}.
 */
final class RegistryAuths {

    private static final ObjectMapper JSON = new ObjectMapper();

    private RegistryAuths() {
    }

    /** The credentials as the Engine API's build auth configs. */
    static AuthConfigurations engineApi(Map<String, Credentials> credentials) {
        AuthConfigurations configs = new AuthConfigurations();
        credentials.forEach((host, c) -> configs.addConfig(authConfig(host, c)));
        return configs;
    }

    /** One registry's credentials as the engine's {@code AuthConfig} (an identity token as {@code identitytoken}). */
    static AuthConfig authConfig(String host, Credentials c) {
        AuthConfig config = new AuthConfig().withRegistryAddress(DockerConfigCredentials.serverKey(host));
        return c.identityToken() ? config.withIdentityToken(c.password())
                : config.withUsername(c.username()).withPassword(c.password());
    }

    /** A docker CLI {@code config.json} that holds these credentials as {@code auths} and nothing else. */
    static String configJson(Map<String, Credentials> credentials) {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode auths = root.putObject("auths");
        credentials.forEach((host, c) -> {
            ObjectNode entry = auths.putObject(DockerConfigCredentials.serverKey(host));
            if (c.identityToken()) {
                entry.put("identitytoken", c.password());
            } else {
                entry.put("auth", Base64.getEncoder().encodeToString((c.username() + ":" + c.password())
                        .getBytes(StandardCharsets.UTF_8)));
            }
        });
        return root.toString();
    }

    /**
     * A new folder (mode 0700) with a {@code config.json} (mode 0600) that holds these credentials, for a docker CLI
     * run as its {@code DOCKER_CONFIG}; the caller deletes it with {@link #delete(Path)}.
     */
    static Path configDirectory(Map<String, Credentials> credentials) throws IOException {
        Path dir = Files.createTempDirectory("freshen-docker-config-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        try {
            Files.writeString(Files.createFile(dir.resolve("config.json"),
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))),
                    configJson(credentials), StandardOpenOption.TRUNCATE_EXISTING);
            return dir;
        } catch (IOException | RuntimeException e) {
            delete(dir);
            throw e;
        }
    }

    /** Deletes a folder of {@link #configDirectory} with what the CLI may have added to it. */
    static void delete(Path dir) {
        try (Stream<Path> all = Files.walk(dir)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // already gone
        }
    }

    /**
     * The engine's and BuildKit's words for a registry that refused a pull's authentication
     * ({@code moby: distribution/errors.go}, {@code containerd: remotes/docker/authorizer.go}).
     */
    private static final Pattern REFUSED = Pattern.compile("(?i)unauthorized|authentication required"
            + "|no basic auth credentials|pull access denied|failed to authorize|denied: requested access");
    /** A {@code RUN} step that failed (classic builder, BuildKit): its command may say anything. */
    private static final Pattern STEP_FAILED = Pattern.compile("(?i)returned a non-zero code|executor failed running"
            + "|did not complete successfully");
    private static final Pattern API_HOST = Pattern.compile("https?://([^/\\s\"]+)/v2/");
    /** BuildKit 0.8 (Docker 20.10): "pulling from host H failed with status code [...]: 401 Unauthorized". */
    private static final Pattern PULL_HOST = Pattern.compile("pulling from host ([^\\s/]+)");
    private static final Pattern IMAGE_HOST = Pattern.compile("(?<![\\w./-])((?:[a-z0-9-]+\\.)+[a-z0-9-]+(?::\\d+)?|[a-z0-9-]+:\\d+)/[a-z0-9]");

    /**
     * {@code reason} (the engine's failure, its passwords redacted already) as a permanent
     * {@link BuildFailure#REGISTRY_ERROR} naming the registry and the fix when a registry refused the build's pull
     * authentication; null when it is about something else. The registry is the one the reason names, else the one of
     * the image of {@code step} (the classic builder says only "unauthorized: authentication required").
     *
     * @param step the step that ran last ({@code Step 1/3 : FROM …}), or null
     */
    static BuildFailure refused(String reason, String step, Map<String, Credentials> credentials) {
        if (reason == null || !REFUSED.matcher(reason).find() || STEP_FAILED.matcher(reason).find()) {
            return null;
        }
        String text = step == null ? reason : reason + "\n" + step;
        String host = credentials.keySet().stream().filter(text::contains).findFirst().orElse(null);
        if (host == null) {
            Matcher api = API_HOST.matcher(text);
            Matcher pull = PULL_HOST.matcher(text);
            Matcher image = IMAGE_HOST.matcher(text);
            host = api.find() ? api.group(1) : pull.find() ? pull.group(1) : image.find() ? image.group(1) : null;
        }
        Credentials used = host == null ? null : credentials.get(host);
        String who = used == null ? "without credentials" : used.identityToken() ? "with an identity token"
                : "with the credentials of user '" + used.username() + "'";
        return BuildFailure.permanent(BuildFailure.REGISTRY_ERROR, "the registry " + (host == null ? "of a base image" : host)
                + " refused the Docker engine's pull " + who + ": set the right credentials for "
                + (host == null ? "it" : host) + " in freshen.registries.credentials or freshen.registries.docker-config"
                + "; the engine said: " + reason.strip());
    }

    /** {@code text} with every password of {@code credentials} replaced by {@code ***}. */
    static String redact(String text, Map<String, Credentials> credentials) {
        if (text == null) {
            return null;
        }
        String redacted = text;
        for (Credentials c : credentials.values()) {
            if (c.password().length() >= 4) {
                redacted = redacted.replace(c.password(), "***");
            }
        }
        return redacted;
    }
}
