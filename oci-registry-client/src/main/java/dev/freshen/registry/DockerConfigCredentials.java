package dev.freshen.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Registry credentials from a Docker {@code config.json} (e.g. a mounted Secret of type
 * {@code kubernetes.io/dockerconfigjson}), read as the docker CLI reads them ({@code docker/cli: cli/config/configfile}
 * and {@code credentials/}):
 * <ul>
 *   <li>{@code credHelpers.<host>} names a credential helper for that host, else {@code credsStore} names the helper
 *       for every host; a configured helper decides alone, as with the docker CLI;</li>
 *   <li>otherwise {@code auths.<key>}: {@code auth} (base64 of {@code user:password}) or {@code username} and
 *       {@code password}; an {@code identitytoken} is used instead of the password (as a refresh token,
 *       {@link Credentials#identityToken()}). A key matches a host when it is the host, or a URL of it
 *       ({@code https://host/v1/}); Docker Hub ({@code docker.io}) is keyed {@code https://index.docker.io/v1/}.</li>
 * </ul>
 * A helper is the program {@code docker-credential-<name>} (searched in {@code helperDirectories}, then on the
 * {@code PATH}) run as {@code get} with the server URL on standard input, answering
 * {@code {"ServerURL":…,"Username":…,"Secret":…}} ({@code docker/docker-credential-helpers}, client protocol); the
 * username {@code <token>} means the secret is an identity token. A helper that exits non-zero with "credentials not
 * found" means none; one that fails otherwise, or runs longer than its time-out, is logged with its name and exit code
 * only (its output may carry secrets) and means none. Answers are kept for {@code cacheFor}, so that a helper does not
 * run for every registry request. The file is read again when it changes (a Secret's mount is updated in place).
 */
public final class DockerConfigCredentials implements CredentialsProvider {

    /** Docker Hub's key in {@code auths} and the server URL its helpers are asked for. */
    public static final String DOCKER_HUB_KEY = "https://index.docker.io/v1/";
    /** The username with which a helper answers an identity token ({@code docker/cli: credentials/native_store.go}). */
    static final String TOKEN_USERNAME = "<token>";
    private static final Duration DEFAULT_HELPER_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration DEFAULT_CACHE = Duration.ofMinutes(5);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;
    private final List<Path> helperDirectories;
    private final Duration helperTimeout;
    private final Duration cacheFor;
    private final Clock clock;
    private final Map<String, Cached> fromHelpers = new ConcurrentHashMap<>();
    private volatile Parsed parsed;

    /**
     * @param file              a Docker {@code config.json}
     * @param helperDirectories where to look for {@code docker-credential-*} before the {@code PATH}
     * @param helperTimeout     how long one helper run may take
     * @param cacheFor          how long a helper's answer (also "none") is used again
     * @throws IllegalStateException when the file cannot be read or is not a Docker config (names the file, no content)
     */
    public DockerConfigCredentials(Path file, List<Path> helperDirectories, Duration helperTimeout, Duration cacheFor,
                                   Clock clock) {
        this.file = file;
        this.helperDirectories = List.copyOf(helperDirectories);
        this.helperTimeout = helperTimeout;
        this.cacheFor = cacheFor;
        this.clock = clock;
        this.parsed = read(file);
    }

    /** Helpers on the {@code PATH}, 10 s per helper run, answers kept 5 minutes. */
    public static DockerConfigCredentials of(Path file) {
        return new DockerConfigCredentials(file, List.of(), DEFAULT_HELPER_TIMEOUT, DEFAULT_CACHE, Clock.systemUTC());
    }

    @Override
    public Optional<Credentials> credentialsFor(String registry) {
        Parsed config = current();
        String serverUrl = serverKey(registry);
        // Docker Hub's entries are keyed by its URL or, by host, index.docker.io (docker CLI: ConvertToHostname)
        List<String> keys = serverUrl.equals(DOCKER_HUB_KEY) ? List.of(DOCKER_HUB_KEY, "index.docker.io")
                : List.of(registry);
        String helper = keys.stream().map(config.helpers::get).filter(java.util.Objects::nonNull).findFirst()
                .orElse(config.credsStore);
        if (helper != null && !helper.isEmpty()) {
            Instant now = clock.instant();
            String key = helper + " " + serverUrl;
            Cached cached = fromHelpers.get(key);
            if (cached == null || cached.until.isBefore(now)) {
                cached = new Cached(runHelper(helper, serverUrl), now.plus(cacheFor));
                fromHelpers.put(key, cached);
            }
            return cached.credentials;
        }
        return keys.stream().map(config.auths::get).filter(java.util.Objects::nonNull).findFirst();
    }

    /**
     * The key of {@code registry} (a host as in image references) in a Docker config and the server URL a helper is
     * asked for: {@value #DOCKER_HUB_KEY} for Docker Hub, else the host itself.
     */
    public static String serverKey(String registry) {
        return switch (registry) {
            case "docker.io", "index.docker.io", "registry-1.docker.io" -> DOCKER_HUB_KEY;
            default -> registry;
        };
    }

    @Override
    public String toString() {
        return "DockerConfigCredentials[" + file + "]";
    }

    private Parsed current() {
        Parsed now = parsed;
        FileTime modified = modified(file);
        if (modified != null && !modified.equals(now.modified)) {
            try {
                parsed = now = read(file);
                fromHelpers.clear();
            } catch (IllegalStateException e) {
                RegistryLog.warn("registry credentials: keeping what was read before from " + file + ": " + e.getMessage());
            }
        }
        return now;
    }

    private static FileTime modified(Path file) {
        try {
            return Files.getLastModifiedTime(file);
        } catch (IOException e) {
            return null;
        }
    }

    private static Parsed read(Path file) {
        FileTime modified = modified(file);
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            String why = e instanceof java.nio.file.NoSuchFileException ? "no such file"
                    : e instanceof java.nio.file.AccessDeniedException ? "permission denied" : "I/O error";
            throw new IllegalStateException("cannot read the Docker config " + file + " (freshen.registries.docker-config): "
                    + why, e);
        }
        try {
            return parse(bytes, modified);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("the Docker config " + file + " (freshen.registries.docker-config) "
                    + e.getMessage(), null);
        }
    }

    /**
     * The credentials sources in a config.json's bytes.
     *
     * @throws IllegalArgumentException what is wrong, in words that never quote the file (it holds secrets)
     */
    static Parsed parse(byte[] bytes, FileTime modified) {
        JsonNode root;
        try {
            root = JSON.readTree(bytes);
        } catch (IOException e) {
            throw new IllegalArgumentException("is not JSON");
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("is not a JSON object");
        }
        Map<String, Credentials> auths = new HashMap<>();
        root.path("auths").fields().forEachRemaining(e -> {
            Credentials c = entry(e.getKey(), e.getValue());
            if (c != null) {
                auths.put(hostOf(e.getKey()), c);
                auths.putIfAbsent(e.getKey(), c);
            }
        });
        Map<String, String> helpers = new HashMap<>();
        root.path("credHelpers").fields().forEachRemaining(e -> {
            helpers.put(e.getKey(), e.getValue().asText());
            helpers.putIfAbsent(hostOf(e.getKey()), e.getValue().asText());
        });
        String store = root.path("credsStore").asText(null);
        return new Parsed(Map.copyOf(auths), Map.copyOf(helpers), store, modified);
    }

    /** One {@code auths} entry as credentials, or null when it has none (an entry with only an email). */
    private static Credentials entry(String key, JsonNode entry) {
        String username = text(entry, "username");
        String password = text(entry, "password");
        String auth = text(entry, "auth");
        if (auth != null) {
            String decoded;
            try {
                decoded = new String(Base64.getDecoder().decode(auth.strip()), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("has an 'auth' for " + key + " that is not base64");
            }
            int colon = decoded.indexOf(':');
            if (colon < 0) {
                throw new IllegalArgumentException("has an 'auth' for " + key + " that is not base64 of user:password");
            }
            username = decoded.substring(0, colon);
            password = decoded.substring(colon + 1);
        }
        String token = text(entry, "identitytoken");
        if (token != null) {
            return new Credentials(username == null || username.isEmpty() ? TOKEN_USERNAME : username, token, true);
        }
        if (username == null || username.isEmpty() || password == null) {
            return null;
        }
        return new Credentials(username, password);
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() || value.asText().isEmpty() ? null : value.asText();
    }

    /**
     * The host of an {@code auths} or {@code credHelpers} key: the key without scheme and path, as the docker CLI
     * matches them ({@code ConvertToHostname}); Docker Hub's URL stays as it is.
     */
    static String hostOf(String key) {
        if (DOCKER_HUB_KEY.equals(key)) {
            return key;
        }
        String host = key.replaceFirst("^(?i)https?://", "");
        int slash = host.indexOf('/');
        return (slash < 0 ? host : host.substring(0, slash)).toLowerCase(Locale.ROOT);
    }

    private Optional<Credentials> runHelper(String name, String serverUrl) {
        String program = "docker-credential-" + name;
        String command = helperDirectories.stream().map(d -> d.resolve(program)).filter(Files::isExecutable)
                .map(Path::toString).findFirst().orElse(program);
        Process process;
        try {
            process = new ProcessBuilder(command, "get").redirectErrorStream(true).start();
        } catch (IOException e) {
            RegistryLog.warn("registry credentials: cannot run the credential helper " + program + " named in " + file
                    + " (is it installed and on the PATH?)");
            return Optional.empty();
        }
        try {
            CompletableFuture<byte[]> output = CompletableFuture.supplyAsync(() -> readAll(process.getInputStream()));
            try (OutputStream stdin = process.getOutputStream()) {
                stdin.write(serverUrl.getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                // it ended without reading its input: its exit code tells
            }
            if (!process.waitFor(helperTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                RegistryLog.warn("registry credentials: the credential helper " + program + " did not answer for "
                        + serverUrl + " within " + helperTimeout.toSeconds() + " seconds; using no credentials");
                return Optional.empty();
            }
            byte[] answer = output.get(5, TimeUnit.SECONDS);
            if (process.exitValue() != 0) {
                String text = new String(answer, StandardCharsets.UTF_8);
                if (!text.contains("credentials not found")) {
                    RegistryLog.warn("registry credentials: the credential helper " + program + " failed for " + serverUrl
                            + " (exit code " + process.exitValue() + "); using no credentials");
                }
                return Optional.empty();
            }
            return helperAnswer(answer, program, serverUrl);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            return Optional.empty();
        } catch (Exception e) {
            process.destroyForcibly();
            RegistryLog.warn("registry credentials: no answer from the credential helper " + program + " for " + serverUrl);
            return Optional.empty();
        }
    }

    /** A helper's {@code get} answer as credentials; none when it is not the protocol's JSON (never quoted). */
    static Optional<Credentials> helperAnswer(byte[] answer, String program, String serverUrl) {
        JsonNode json;
        try {
            json = JSON.readTree(answer);
        } catch (IOException e) {
            json = null;
        }
        String username = json == null ? null : text(json, "Username");
        String secret = json == null ? null : text(json, "Secret");
        if (username == null || secret == null) {
            RegistryLog.warn("registry credentials: the credential helper " + program + " answered for " + serverUrl
                    + " without Username and Secret; using no credentials");
            return Optional.empty();
        }
        return Optional.of(TOKEN_USERNAME.equals(username) ? new Credentials(username, secret, true)
                : new Credentials(username, secret));
    }

    private static byte[] readAll(InputStream in) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            in.transferTo(out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What a config.json says: credentials by key and by host, helpers by key and by host, the default helper. */
    record Parsed(Map<String, Credentials> auths, Map<String, String> helpers, String credsStore, FileTime modified) {
    }

    private record Cached(Optional<Credentials> credentials, Instant until) {
    }
}
