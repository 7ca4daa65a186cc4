package dev.freshen.e2e;

import dev.freshen.testing.Commands;
import dev.freshen.testing.DockerEngine;
import dev.freshen.testing.FixtureImages;
import dev.freshen.testing.KafkaBroker;
import dev.freshen.testing.LocalRegistry;
import dev.freshen.testing.Ports;
import dev.freshen.testing.ServiceProcess;
import dev.freshen.testing.WebhookReceiver;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * The local stack the mistakes corpus and {@code ChainIT} run on, started once for both ({@link #shared()}): the five
 * packaged services as processes, the test JVM's Kafka broker, one local registry (the "vendor" registry of the fixture base and the
 * target registry), a receiver standing in for two Teams channels, and an empty platform-images folder the cases
 * write their images into (the watcher reads it again every second). The watcher has three named API keys; a case
 * may restart a service with other settings, and the usual ones come back after it.
 */
final class CorpusStack implements AutoCloseable {

    static final Duration READY = Duration.ofSeconds(120);
    /** The default channel of every image: its cards are posted here. */
    static final String TEAMS_PATH = "/teams";
    /** A second channel, {@code platform-team}: only images whose {@code notify:} names it. */
    static final String PLATFORM_TEAM_PATH = "/platform-team";
    static final List<String> SERVICES = List.of("watcher", "builder", "tester", "publisher", "notifier");

    /** The API keys by the names a case uses ({@code key: ci}); {@code wrong} and {@code short} are none of the watcher's. */
    final Map<String, String> keys = Map.of(
            "default", "corpus-default-" + UUID.randomUUID(),
            "ci", "corpus-ci-" + UUID.randomUUID(),
            "old", "corpus-old-" + UUID.randomUUID(),
            "wrong", "not-a-freshen-key-" + UUID.randomUUID(),
            "short", "abc123");
    final LocalRegistry registry;
    final WebhookReceiver receiver;
    final Path platformImages;
    /** A URL nothing listens on: a watcher that is not running. */
    final String deadApi = "http://127.0.0.1:" + Ports.free();
    private final Map<String, Map<String, String>> configs = new LinkedHashMap<>();
    private final Map<String, ServiceProcess> services = new LinkedHashMap<>();
    private final Map<String, Map<String, String>> changed = new LinkedHashMap<>();

    private static CorpusStack shared;
    private static boolean hookAdded;

    /**
     * The stack of this test JVM: started by the first IT that asks for it and kept for the next one, so that
     * {@code ChainIT}, {@code MultiPlatformIT} and {@code MistakesCorpusIT} (run one after the other: {@code @Order}
     * on the classes, see {@code junit-platform.properties}) pay one stack start. Closed by {@link #closeShared}: by the last IT that
     * uses it, by {@link PackagedServices} before another pipeline starts (its services would join the same
     * consumer groups on the same broker), or by a shutdown hook at the end of the JVM.
     */
    static synchronized CorpusStack shared() {
        if (shared == null) {
            try {
                shared = new CorpusStack();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            if (!hookAdded) {
                Runtime.getRuntime().addShutdownHook(new Thread(CorpusStack::closeShared, "corpus-stack-close"));
                hookAdded = true;
            }
        }
        return shared;
    }

    /** Closes the shared stack, if one is running. */
    static synchronized void closeShared() {
        if (shared != null) {
            CorpusStack stack = shared;
            shared = null;
            stack.close();
        }
    }

    private CorpusStack() throws IOException {
        DockerEngine.requireRunning();
        registry = LocalRegistry.shared();
        receiver = WebhookReceiver.start();
        platformImages = Files.createTempDirectory("freshen-corpus-images-");
        FixtureImages.publishBase(registry.host(), "dotnet/runtime", "10.0");
        configure();
        for (String name : SERVICES) {
            services.put(name, start(name, configs.get(name)));
        }
    }

    private void configure() {
        Map<String, String> common = Map.of(
                "kafka.bootstrap.servers", KafkaBroker.bootstrapServers(),
                "freshen.platform-images-dir", platformImages.toString());
        String target = registry.host();
        Map<String, String> watcher = new LinkedHashMap<>(common);
        watcher.put("freshen.target-registry", target);
        watcher.put("freshen.watcher.api-keys.default.key", keys.get("default"));
        watcher.put("freshen.watcher.api-keys.ci.key", keys.get("ci"));
        watcher.put("freshen.watcher.api-keys.ci-old.key", keys.get("old"));
        watcher.put("freshen.watcher.rescan-interval", "1s");
        watcher.put("freshen.watcher.check-on-start", "false");
        configs.put("watcher", watcher);
        configs.put("builder", merge(common, Map.of("freshen.builder.docker-cli", DockerEngine.CLI,
                "freshen.target-registry", target)));
        configs.put("tester", merge(common, Map.of("freshen.tester.docker-cli", DockerEngine.CLI)));
        configs.put("publisher", merge(common, Map.of("freshen.target-registry", target)));
        Map<String, String> notifier = new LinkedHashMap<>(common);
        notifier.put("freshen.notifier.channels.teams.type", "teams");
        notifier.put("freshen.notifier.channels.teams.url", receiver.url(TEAMS_PATH).toString());
        notifier.put("freshen.notifier.channels.platform-team.type", "teams");
        notifier.put("freshen.notifier.channels.platform-team.url", receiver.url(PLATFORM_TEAM_PATH).toString());
        notifier.put("freshen.notifier.default-channels", "teams");
        configs.put("notifier", notifier);
    }

    /** The running service {@code name}. */
    ServiceProcess service(String name) {
        return services.get(name);
    }

    String watcherUrl() {
        return services.get("watcher").baseUri().toString();
    }

    /**
     * Restarts service {@code name} with its usual settings, {@code drop} removed and {@code settings} added (a
     * setting a case is about); {@link #restoreSettings} brings the usual ones back.
     */
    void restartWith(String name, Map<String, String> settings, List<String> drop) {
        Map<String, String> config = new LinkedHashMap<>(configs.get(name));
        drop.forEach(config::remove);
        config.putAll(settings);
        changed.put(name, config);
        services.get(name).close();
        services.put(name, start(name, config));
    }

    /** Restarts every service a case started with other settings, with its usual ones. */
    void restoreSettings() {
        for (String name : List.copyOf(changed.keySet())) {
            services.get(name).close();
            services.put(name, start(name, configs.get(name)));
            changed.remove(name);
        }
    }

    private static ServiceProcess start(String name, Map<String, String> config) {
        return ServiceProcess.start(Commands.repositoryRoot().resolve(name + "-service"), config, READY);
    }

    private static Map<String, String> merge(Map<String, String> a, Map<String, String> b) {
        Map<String, String> all = new LinkedHashMap<>(a);
        all.putAll(b);
        return all;
    }

    /**
     * Copies the tree {@code from} to {@code to}, {@code ${registry}} in every file replaced by this stack's registry,
     * the modes kept (a build context keeps them).
     */
    void copyTree(Path from, Path to) {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path file : walk.toList()) {
                Path copy = to.resolve(from.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(copy);
                } else {
                    Files.writeString(copy, Files.readString(file).replace("${registry}", registry.host()));
                    Files.setPosixFilePermissions(copy, Files.getPosixFilePermissions(file));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Puts the folder {@code from} into the platform-images root as {@code id} at once (copied aside, then renamed into
     * place), so the watcher never reads it half written.
     */
    void placeFolder(Path from, String id) {
        Path target = platformImages.resolve(id);
        try {
            Path staging = Files.createTempDirectory(platformImages.getParent(), "corpus-staging-");
            copyTree(from, staging);
            Files.createDirectories(target.getParent());
            Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Deletes {@code root} and everything under it, when it is there. */
    static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        services.values().parallelStream().forEach(ServiceProcess::close);
        receiver.close();
        deleteTree(platformImages);
    }
}
