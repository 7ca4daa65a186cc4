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
import java.util.stream.Stream;

/**
 * A real OCI registry (Debian's {@code docker-registry}, the CNCF distribution registry) run as a process on
 * 127.0.0.1 with a free port and its own storage, stopped when the test JVM ends.
 */
public final class LocalRegistry implements AutoCloseable {

    private static final String BINARY = "/usr/bin/docker-registry";
    private static LocalRegistry shared;

    private final Path directory;
    private final int port;
    private final Process process;

    private LocalRegistry(Path directory, int port, Process process) {
        this.directory = directory;
        this.port = port;
        this.process = process;
    }

    /** The registry shared by all tests of this JVM. */
    public static synchronized LocalRegistry shared() {
        if (shared == null) {
            shared = start();
            Runtime.getRuntime().addShutdownHook(new Thread(shared::close, "local-registry-shutdown"));
        }
        return shared;
    }

    public static LocalRegistry start() {
        if (!new File(BINARY).canExecute()) {
            throw new IllegalStateException(BINARY + " is missing: run deploy/local/stack.sh up (installs docker-registry)");
        }
        try {
            Path dir = Files.createTempDirectory("freshen-registry-");
            int port = Ports.free();
            Path config = dir.resolve("config.yml");
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
                    """.formatted(dir.resolve("data"), port));
            Process process = new ProcessBuilder(BINARY, "serve", config.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(dir.resolve("registry.log").toFile())
                    .start();
            LocalRegistry registry = new LocalRegistry(dir, port, process);
            registry.awaitReady();
            return registry;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the local registry", e);
        }
    }

    /** {@code 127.0.0.1:<port>}, the registry part of image references. */
    public String host() {
        return "127.0.0.1:" + port;
    }

    public URI baseUri() {
        return URI.create("http://" + host());
    }

    private void awaitReady() {
        HttpClient http = HttpClient.newHttpClient();
        Awaitility.await("registry on " + host())
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(100))
                .ignoreExceptions()
                .until(() -> {
                    if (!process.isAlive()) {
                        throw new IllegalStateException("docker-registry exited: "
                                + Files.readString(directory.resolve("registry.log")));
                    }
                    return http.send(HttpRequest.newBuilder(baseUri().resolve("/v2/")).build(),
                            HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
                });
    }

    @Override
    public void close() {
        process.destroy();
        try (Stream<Path> files = Files.walk(directory)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temp directory left behind is harmless
        }
    }
}
