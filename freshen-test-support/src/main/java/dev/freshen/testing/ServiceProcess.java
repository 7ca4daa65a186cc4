package dev.freshen.testing;

import org.awaitility.Awaitility;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A packaged Freshen service ({@code target/quarkus-app/quarkus-run.jar}) run as its own JVM process on a free
 * port, configured with system properties, its output in a log file. Tests can stop it gracefully, kill it, and
 * start it again, as an operator would.
 */
public final class ServiceProcess implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final Path jar;
    private final Map<String, String> config;
    private final Path log;
    private final int port;
    private Process process;

    private ServiceProcess(Path jar, Map<String, String> config, Path log) {
        this.jar = jar;
        this.config = Map.copyOf(config);
        this.log = log;
        this.port = Ports.free();
    }

    /**
     * Starts the service built in {@code moduleDir} and waits until {@code /q/health/ready} answers 200.
     *
     * @param moduleDir the service's Maven module folder (holding target/quarkus-app)
     */
    public static ServiceProcess start(Path moduleDir, Map<String, String> config, Duration readyTimeout) {
        Path jar = moduleDir.resolve("target/quarkus-app/quarkus-run.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: package the service first (./mvnw package)");
        }
        try {
            Path log = Files.createTempFile(moduleDir.getFileName() + "-", ".log");
            ServiceProcess service = new ServiceProcess(jar, config, log);
            service.launch(readyTimeout);
            return service;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** How a service that refused to start ended: its exit code and its whole log. */
    public record Exit(int code, String log) {
    }

    /**
     * Starts the service built in {@code moduleDir} expecting it to refuse to start (a start-up check), and waits for
     * its exit.
     *
     * @throws AssertionError when it is still running after {@code timeout} (it is killed then)
     */
    public static Exit startExpectingExit(Path moduleDir, Map<String, String> config, Duration timeout) {
        Path jar = moduleDir.resolve("target/quarkus-app/quarkus-run.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: package the service first (./mvnw package)");
        }
        try {
            Path log = Files.createTempFile(moduleDir.getFileName() + "-", ".log");
            ServiceProcess service = new ServiceProcess(jar, config, log);
            service.process = new ProcessBuilder(service.command())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
            if (!service.process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                service.kill();
                throw new AssertionError("the service was still running after " + timeout.toSeconds() + "s; its log: " + log);
            }
            return new Exit(service.process.exitValue(), service.logText());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** Starts the same service again (same port, same configuration) after {@link #stop()} or {@link #kill()}. */
    public void restart(Duration readyTimeout) {
        if (process != null && process.isAlive()) {
            stop();
        }
        launch(readyTimeout);
    }

    public URI baseUri() {
        return URI.create("http://127.0.0.1:" + port);
    }

    public Path log() {
        return log;
    }

    /** The process id of the running service's JVM (e.g. to read its resident memory from {@code /proc}). */
    public long pid() {
        return process.pid();
    }

    public String logText() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** How many times {@code text} occurs in the service's log (e.g. to check that a change is logged once). */
    public int logCount(String text) {
        return logText().split(java.util.regex.Pattern.quote(text), -1).length - 1;
    }

    /** {@code GET /q/health/ready} now: its status (200 or 503) and body (each check, with its data). */
    public HttpResponse<String> readiness() {
        try {
            return HTTP.send(HttpRequest.newBuilder(baseUri().resolve("/q/health/ready")).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot ask " + baseUri() + " whether it is ready", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** SIGTERM, and wait for a graceful shutdown. */
    public void stop() {
        process.destroy();
        await(30);
    }

    /** SIGKILL: no shutdown hooks, no goodbye. */
    public void kill() {
        process.destroyForcibly();
        await(30);
    }

    @Override
    public void close() {
        if (process != null && process.isAlive()) {
            stop();
        }
    }

    private List<String> command() {
        List<String> command = new ArrayList<>(List.of("java", "-Xmx256m", "-XX:TieredStopAtLevel=1"));
        config.forEach((key, value) -> command.add("-D" + key + "=" + value));
        command.add("-Dquarkus.http.host=127.0.0.1");
        command.add("-Dquarkus.http.port=" + port);
        command.add("-jar");
        command.add(jar.toString());
        return command;
    }

    private void launch(Duration readyTimeout) {
        try {
            process = new ProcessBuilder(command())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + jar, e);
        }
        HttpClient http = HttpClient.newHttpClient();
        Awaitility.await(jar.getParent().getParent().getParent().getFileName() + " ready on port " + port)
                .atMost(readyTimeout)
                .pollInterval(Duration.ofMillis(250))
                .failFast("the service exited; its log: " + log, () -> !process.isAlive())
                .ignoreExceptions()
                .until(() -> http.send(HttpRequest.newBuilder(baseUri().resolve("/q/health/ready")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200);
    }

    private void await(int seconds) {
        try {
            if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
