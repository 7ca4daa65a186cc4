package dev.freshen.e2e;

import dev.freshen.testing.Commands;
import dev.freshen.testing.DockerEngine;
import dev.freshen.testing.KafkaBroker;
import dev.freshen.testing.ServiceProcess;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The packaged services as processes on the test JVM's Kafka broker, one platform-images folder and one registry that
 * is both upstream and target: watcher, builder, tester, publisher, and the notifier when there is a Teams URL to post
 * to. The way PipelineIT, RealPlatformImageIT and DockerfileFormsIT start their pipeline.
 */
final class PackagedServices implements AutoCloseable {

    private final Map<String, ServiceProcess> services = new LinkedHashMap<>();

    private PackagedServices() {
    }

    /**
     * Starts the services and waits until each is ready (90 s at most each).
     *
     * @param teams where the notifier posts its Teams cards (channel {@code teams}, the default); null: no notifier
     */
    static PackagedServices start(Path platformImages, String registry, String apiKey, URI teams) {
        return start(platformImages, registry, apiKey, teams, Map.of());
    }

    /**
     * As {@link #start(Path, String, String, URI)}, with {@code common} settings for every service (e.g. an OTLP
     * receiver's {@code quarkus.otel.*} keys, JSON logs).
     */
    static PackagedServices start(Path platformImages, String registry, String apiKey, URI teams,
                                  Map<String, String> common) {
        CorpusStack.closeShared(); // its services would join the same consumer groups on the same broker
        Map<String, Map<String, String>> own = new LinkedHashMap<>();
        own.put("watcher", Map.of("freshen.watcher.api-key", apiKey, "freshen.target-registry", registry));
        own.put("builder", Map.of("freshen.builder.docker-cli", DockerEngine.CLI, "freshen.target-registry", registry));
        own.put("tester", Map.of("freshen.tester.docker-cli", DockerEngine.CLI));
        own.put("publisher", Map.of("freshen.target-registry", registry));
        if (teams != null) {
            own.put("notifier", Map.of("freshen.notifier.channels.teams.type", "teams",
                    "freshen.notifier.channels.teams.url", teams.toString(),
                    "freshen.notifier.default-channels", "teams"));
        }
        PackagedServices started = new PackagedServices();
        Path root = Commands.repositoryRoot();
        for (var service : own.entrySet()) {
            Map<String, String> config = new LinkedHashMap<>(Map.of(
                    "kafka.bootstrap.servers", KafkaBroker.bootstrapServers(),
                    "freshen.platform-images-dir", platformImages.toString()));
            config.putAll(common);
            config.putAll(service.getValue());
            started.services.put(service.getKey(), ServiceProcess.start(root.resolve(service.getKey() + "-service"),
                    config, Duration.ofSeconds(90)));
        }
        return started;
    }

    /** The service named {@code name} ({@code watcher}, {@code builder}, …). */
    ServiceProcess get(String name) {
        ServiceProcess service = services.get(name);
        if (service == null) {
            throw new IllegalArgumentException("no " + name + " started; started: " + List.copyOf(services.keySet()));
        }
        return service;
    }

    @Override
    public void close() {
        services.values().forEach(ServiceProcess::close);
    }
}
