package dev.freshen.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.freshen.events.image.ImageReference;
import dev.freshen.testing.Commands;
import dev.freshen.testing.DockerEngine;
import dev.freshen.testing.EventTopics;
import dev.freshen.testing.FixtureImages;
import dev.freshen.testing.LocalRegistry;
import dev.freshen.testing.RestartableKafka;
import dev.freshen.testing.ServiceProcess;
import dev.freshen.testing.WebhookReceiver;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.common.GroupState;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The pipeline under measurement, as in the end-to-end tests: the five packaged services as their own processes, each
 * given only its own {@code freshen.*} keys, on a Kafka broker of their own (KRaft, in this JVM, free ports), the
 * Docker engine, and a registry process of their own that plays both the vendor's and the company's. Every service
 * and the Docker daemon reach the registry through a {@link CountingProxy}: its address is the registry's name
 * everywhere, so every byte is counted. Notifications go to a local HTTP receiver.
 */
final class Stack implements AutoCloseable {

    static final String API_KEY = "bench-api-key-0123456789abcdef";
    /** Once a year (1 January): checks happen only when the benchmark asks for them. */
    static final String NEVER = "0 0 0 1 1 ?";
    static final String CHANNEL = "bench";
    static final List<String> SERVICES = List.of("watcher", "builder", "tester", "publisher", "notifier");
    static final Duration READY = Duration.ofSeconds(180);

    private static final ObjectMapper JSON = new ObjectMapper();

    final RestartableKafka kafka;
    final LocalRegistry registry;
    final CountingProxy proxy;
    final WebhookReceiver receiver;
    final EventTopics topics;
    final Path platformImages;
    /** A private copy of the packaged services: others may package them again while this runs. */
    final Path apps;
    final Footprint footprint = new Footprint();
    private final Map<String, ServiceProcess> services = new LinkedHashMap<>();
    /** Settings a section gives a service beyond its usual ones ({@link #restart}). */
    private final Map<String, Map<String, String>> extra = new LinkedHashMap<>();
    private final HttpClient http = HttpClient.newHttpClient();

    private Stack() throws IOException {
        DockerEngine.requireRunning();
        kafka = RestartableKafka.start();
        registry = LocalRegistry.start();
        proxy = CountingProxy.start(registry.host());
        receiver = WebhookReceiver.start();
        topics = new EventTopics(kafka.bootstrapServers());
        platformImages = Files.createTempDirectory("freshen-bench-images-");
        apps = Files.createTempDirectory("freshen-bench-apps-");
        for (String service : SERVICES) {
            Path app = Commands.repositoryRoot().resolve(service + "-service/target/quarkus-app");
            if (!Files.isRegularFile(app.resolve("quarkus-run.jar"))) {
                throw new IllegalStateException(app + " is missing: package the services (./mvnw package -DskipTests)");
            }
            copyTree(app, apps.resolve(service + "-service/target/quarkus-app"));
        }
    }

    private static void copyTree(Path source, Path target) throws IOException {
        try (var files = Files.walk(source)) {
            for (Path file : files.toList()) {
                Path to = target.resolve(source.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(file, to);
                }
            }
        }
    }

    static Stack create() {
        try {
            return new Stack();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The registry's name for everyone under measurement: the counting proxy. */
    String registryName() {
        return proxy.host();
    }

    /** Starts the five services one after the other (so each start-up time is its own, not a contended one). */
    void startServices() {
        for (String name : SERVICES) {
            start(name, name);
        }
    }

    /** Starts an instance of {@code service} under {@code label} (e.g. "builder-2"), timing its start-up. */
    ServiceProcess start(String label, String service) {
        long begin = System.nanoTime();
        ServiceProcess process = ServiceProcess.start(apps.resolve(service + "-service"), config(service), READY);
        footprint.started(label, process, (System.nanoTime() - begin) / 1e6);
        services.put(label, process);
        Progress.say("%s ready in %d ms (pid %d, log %s)", label, (System.nanoTime() - begin) / 1_000_000, process.pid(),
                process.log());
        return process;
    }

    /** Stops the instance {@code label} of {@code service} and starts it again with {@code settings} added. */
    ServiceProcess restart(String label, String service, Map<String, String> settings) {
        services.remove(label).close();
        extra.put(service, Map.copyOf(settings));
        return start(label, service);
    }

    ServiceProcess service(String label) {
        return services.get(label);
    }

    private Map<String, String> config(String service) {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("kafka.bootstrap.servers", kafka.bootstrapServers());
        config.put("freshen.platform-images-dir", platformImages.toString());
        switch (service) {
            case "watcher" -> {
                config.put("freshen.watcher.api-key", API_KEY);
                config.put("freshen.target-registry", registryName());
                config.put("freshen.watcher.check-on-start", "false");
                config.put("freshen.watcher.check-on-load", "false");
            }
            case "builder" -> {
                config.put("freshen.builder.docker-cli", DockerEngine.CLI);
                config.put("freshen.target-registry", registryName());
            }
            case "tester" -> config.put("freshen.tester.docker-cli", DockerEngine.CLI);
            case "publisher" -> config.put("freshen.target-registry", registryName());
            case "notifier" -> {
                config.put("freshen.notifier.channels." + CHANNEL + ".type", "webhook");
                config.put("freshen.notifier.channels." + CHANNEL + ".url", receiver.url("/" + CHANNEL).toString());
                config.put("freshen.notifier.default-channels", CHANNEL);
            }
            default -> throw new IllegalArgumentException(service);
        }
        config.putAll(extra.getOrDefault(service, Map.of()));
        return config;
    }

    /** Asks the watcher to check {@code imageId} now: its answer ({@code result}, {@code runId}). */
    JsonNode check(String imageId) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(service("watcher").baseUri() + "/api/v1/images/" + imageId + "/check"))
                .header("Authorization", "Bearer " + API_KEY).POST(HttpRequest.BodyPublishers.noBody())
                .timeout(Duration.ofSeconds(60)).build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("check of " + imageId + " answered " + response.statusCode() + ": " + response.body());
            }
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * The builder leaves the bases it pulled in the Docker daemon (named after this stack's registry, which is gone
     * after the run): removed, so that repeated runs leave nothing behind.
     */
    private void removeLocalImages() {
        try {
            String prefix = registryName() + "/";
            List<String> ids = DockerEngine.docker("images", "--format", "{{.Repository}} {{.ID}}").lines()
                    .filter(l -> l.startsWith(prefix)).map(l -> l.substring(l.indexOf(' ') + 1)).distinct().toList();
            for (String id : ids) {
                try {
                    DockerEngine.docker("rmi", "-f", id);
                } catch (RuntimeException ignored) {
                    // in use or gone already
                }
            }
        } catch (RuntimeException e) {
            Progress.say("could not remove this run's images from the Docker daemon: %s", e.getMessage());
        }
    }

    /** The vendor publishes a new {@code repository:10.0} (a new digest); written to the registry directly, not counted. */
    ImageReference publishBase(String repository) {
        return FixtureImages.publishBase(registry.host(), repository, "10.0");
    }

    /**
     * Waits until the consumer group of {@code service} (its application name) is stable with more than
     * {@code membersBefore} members: a new instance has its share of the partitions before a burst starts.
     */
    int awaitGroup(String service, int membersBefore, Duration timeout) {
        String group = "freshen-" + service;
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            while (true) {
                ConsumerGroupDescription d = admin.describeConsumerGroups(List.of(group)).all().get().get(group);
                if (d.groupState() == GroupState.STABLE && d.members().size() > membersBefore) {
                    return d.members().size();
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("consumer group " + group + " not stable with more than "
                            + membersBefore + " members: " + d.groupState() + ", " + d.members().size());
                }
                Thread.sleep(200);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("cannot describe consumer group " + group, e.getCause());
        }
    }

    /** Members of the consumer group of {@code service} now. */
    int groupMembers(String service) {
        String group = "freshen-" + service;
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            return admin.describeConsumerGroups(List.of(group)).all().get().get(group).members().size();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("cannot describe consumer group " + group, e.getCause());
        }
    }

    @Override
    public void close() {
        footprint.close();
        services.values().parallelStream().forEach(ServiceProcess::close);
        removeLocalImages();
        receiver.close();
        topics.close();
        proxy.close();
        registry.close();
        kafka.close();
        DetectionBench.deleteQuietly(platformImages);
        DetectionBench.deleteQuietly(apps);
    }
}
