package dev.freshen.testing;

import org.awaitility.Awaitility;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * One Debian {@code docker-registry} process (the CNCF distribution registry, 2.8) on 127.0.0.1 with a free port,
 * its configuration, storage and log in one temporary directory that {@link #close()} deletes. Callers add top-level
 * configuration sections such as {@code auth:}; {@link LocalRegistry}, {@link TokenAuthRegistry} and
 * {@link HtpasswdRegistry} are built on it.
 */
public final class RegistryProcess implements AutoCloseable {

    public static final String BINARY = "/usr/bin/docker-registry";

    private final Path directory;
    private final int port;
    private Process process;

    private RegistryProcess(Path directory, int port, Process process) {
        this.directory = directory;
        this.port = port;
        this.process = process;
    }

    /** A new temporary directory for a registry; put extra files (htpasswd, certificates) in it too. */
    public static Path newDirectory(String prefix) {
        try {
            return Files.createTempDirectory(prefix);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary directory for a registry", e);
        }
    }

    /**
     * Starts a registry storing its data in {@code directory} and waits until {@code /v2/} answers (200, or 401 when
     * {@code extraConfig} configures authentication). On failure the directory is deleted.
     *
     * @param extraConfig top-level YAML appended to the configuration (e.g. an {@code auth:} section), or ""
     */
    public static RegistryProcess start(Path directory, String extraConfig) {
        if (!new File(BINARY).canExecute()) {
            deleteRecursively(directory);
            throw new IllegalStateException(BINARY + " is missing: run deploy/local/stack.sh up (installs docker-registry)");
        }
        RegistryProcess registry = null;
        try {
            int port = Ports.free();
            Path config = directory.resolve("config.yml");
            Files.writeString(config, """
                    version: 0.1
                    log:
                      level: warn
                    storage:
                      filesystem:
                        rootdirectory: %s
                      delete:
                        enabled: true
                    http:
                      addr: 127.0.0.1:%d
                    """.formatted(directory.resolve("data"), port) + extraConfig);
            registry = new RegistryProcess(directory, port, launch(directory));
            registry.awaitReady();
            return registry;
        } catch (IOException e) {
            deleteRecursively(directory);
            throw new UncheckedIOException("cannot start docker-registry", e);
        } catch (RuntimeException e) {
            if (registry != null) {
                registry.close();
            } else {
                deleteRecursively(directory);
            }
            throw e;
        }
    }

    private static Process launch(Path directory) throws IOException {
        return new ProcessBuilder(BINARY, "serve", directory.resolve("config.yml").toString())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(directory.resolve("registry.log").toFile()))
                .start();
    }

    /** Stops the process, keeping its data: the registry is down (connections refused) until {@link #restart()}. */
    public void stop() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /** Starts the registry again on the same port with the same data, and waits until it answers. */
    public void restart() {
        try {
            process = launch(directory);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start docker-registry again", e);
        }
        awaitReady();
    }

    /** {@code 127.0.0.1:<port>}, the registry part of image references. */
    public String host() {
        return "127.0.0.1:" + port;
    }

    public URI baseUri() {
        return URI.create("http://" + host());
    }

    public Path directory() {
        return directory;
    }

    /** What the registry logged so far, for failure messages. */
    public String log() {
        try {
            return Files.readString(directory.resolve("registry.log"));
        } catch (IOException e) {
            return "(no registry log: " + e.getMessage() + ")";
        }
    }

    private void awaitReady() {
        HttpClient http = HttpClient.newHttpClient();
        Awaitility.await("registry on " + host())
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(100))
                .ignoreExceptionsMatching(e -> !(e instanceof IllegalStateException))
                .until(() -> {
                    if (!process.isAlive()) {
                        throw new IllegalStateException("docker-registry exited: " + log());
                    }
                    int status = http.send(HttpRequest.newBuilder(baseUri().resolve("/v2/")).build(),
                            HttpResponse.BodyHandlers.discarding()).statusCode();
                    return status == 200 || status == 401;
                });
    }

    /** Stops the process and deletes the directory with everything in it. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        deleteRecursively(directory);
    }

    static void deleteRecursively(Path directory) {
        try (Stream<Path> files = Files.walk(directory)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temp directory left behind is harmless
        }
    }
}
