package dev.freshen.faults;

import dev.freshen.events.ImagePublished;
import dev.freshen.events.image.ImageReference;
import dev.freshen.messaging.FaultInjection;
import dev.freshen.registry.Credentials;
import dev.freshen.registry.RegistryClient;
import dev.freshen.registry.RegistrySettings;
import dev.freshen.testing.Commands;
import dev.freshen.testing.DockerEngine;
import dev.freshen.testing.EventTopics;
import dev.freshen.testing.FixtureImages;
import dev.freshen.testing.HtpasswdRegistry;
import dev.freshen.testing.LocalRegistry;
import dev.freshen.testing.RestartableKafka;
import dev.freshen.testing.ServiceProcess;
import dev.freshen.testing.TcpFaultProxy;
import dev.freshen.testing.WebhookReceiver;
import io.restassured.specification.RequestSpecification;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.common.GroupState;
import org.awaitility.Awaitility;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The system under fault: the five packaged services as processes (a second builder on demand), a Kafka broker of its
 * own that can be restarted, an anonymous "vendor" registry, a company registry with a password reached through a
 * {@link TcpFaultProxy} (so requests can be held and the registry stopped), and an HTTP receiver for the cards. Shared
 * by every scenario of the suite (one JVM); each scenario uses images of its own.
 */
final class FaultStack {

    static final Duration RUN_TIMEOUT = Duration.ofMinutes(4);
    static final Duration READY = Duration.ofSeconds(120);
    /** Secrets: every one is configured, and none may show up in a log or an event. */
    static final String API_KEY = "fault-api-key-" + UUID.randomUUID();
    static final String REGISTRY_USER = "freshen-ci";
    static final String REGISTRY_PASSWORD = "registry-password-" + UUID.randomUUID();
    static final String TEAMS_PATH = "/teams/hook-" + UUID.randomUUID();
    /** The channel the replay scenario breaks and mends. */
    static final String FLAKY_PATH = "/flaky";
    /** A legacy Teams connector (success only when it answers {@code 1}). */
    static final String LEGACY_PATH = "/legacy";
    static final String AWS_SECRET_KEY = "aws-secret-" + UUID.randomUUID();
    /** Once a year (1 January): runs start only when a scenario asks for them. */
    private static final String NEVER = "0 0 0 1 1 ?";
    /** Names a service instance for its consumer groups (the deployments set it from the pod name). */
    static final String INSTANCE_ID = "FRESHEN_INSTANCE_ID";
    private static FaultStack shared;

    final RestartableKafka kafka;
    final HtpasswdRegistry company;
    final TcpFaultProxy proxy;
    final LocalRegistry vendor;
    final EventTopics topics;
    final WebhookReceiver receiver;
    final RegistryClient registry;
    final Path platformImages;
    /** While this file lists an image id, the builder, tester and publisher fail on its records (the fault hook). */
    final Path failingImages;
    final Map<String, ServiceProcess> services = new LinkedHashMap<>();
    private final Map<String, Map<String, String>> configs = new LinkedHashMap<>();

    private FaultStack() throws IOException {
        DockerEngine.requireRunning();
        kafka = RestartableKafka.start();
        company = HtpasswdRegistry.start(REGISTRY_USER, REGISTRY_PASSWORD);
        proxy = TcpFaultProxy.start(company.host());
        vendor = LocalRegistry.shared();
        topics = new EventTopics(kafka.bootstrapServers());
        receiver = WebhookReceiver.start();
        registry = new RegistryClient(RegistrySettings.defaults()
                .withCredentials(proxy.host(), new Credentials(REGISTRY_USER, REGISTRY_PASSWORD)));
        platformImages = Files.createTempDirectory("freshen-fault-images-");
        failingImages = Files.createTempDirectory("freshen-fault-hook-").resolve("failing-images");
        FixtureImages.publishBase(vendor.host(), "dotnet/runtime", "10.0");
        configure();
        for (String name : List.of("watcher", "builder", "tester", "publisher", "notifier")) {
            services.put(name, start(name));
        }
    }

    static synchronized FaultStack shared() {
        if (shared == null) {
            try {
                shared = new FaultStack();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(shared::close, "fault-stack-shutdown"));
        }
        return shared;
    }

    private void configure() {
        Map<String, String> common = new LinkedHashMap<>(Map.of(
                "kafka.bootstrap.servers", kafka.bootstrapServers(),
                "freshen.platform-images-dir", platformImages.toString(),
                "aws.accessKeyId", "AKIAFRESHENFAULTTEST",
                "aws.secretAccessKey", AWS_SECRET_KEY));
        Map<String, String> registries = Map.of(
                "freshen.target-registry", proxy.host(),
                "freshen.registries.credentials.company.host", proxy.host(),
                "freshen.registries.credentials.company.username", REGISTRY_USER,
                "freshen.registries.credentials.company.password", REGISTRY_PASSWORD);
        // scenarios add their platform images as they go: the watcher reads the folder again every second
        // no check at start or on load: a scenario starts its runs itself, and a watcher restarted by a scenario must
        // not start runs of other scenarios' images
        configs.put("watcher", merge(common, registries, Map.of("freshen.watcher.api-key", API_KEY,
                "freshen.watcher.rescan-interval", "1s", "freshen.watcher.check-on-start", "false",
                "freshen.watcher.check-on-load", "false")));
        Map<String, String> faultHook = Map.of(FaultInjection.HANDLER_EXCEPTION, failingImages.toString());
        configs.put("builder", merge(common, registries, merge(faultHook, Map.of(
                "freshen.builder.docker-cli", DockerEngine.CLI, "freshen.builder.initial-backoff", "1s"), Map.of())));
        Map<String, String> tester = new LinkedHashMap<>(registries);
        tester.remove("freshen.target-registry");
        configs.put("tester", merge(common, tester, merge(faultHook, Map.of("freshen.tester.docker-cli", DockerEngine.CLI),
                Map.of())));
        configs.put("publisher", merge(common, registries, faultHook));
        Map<String, String> notifier = new LinkedHashMap<>();
        notifier.put("freshen.notifier.channels.teams.type", "teams");
        notifier.put("freshen.notifier.channels.teams.url", receiver.url(TEAMS_PATH).toString());
        notifier.put("freshen.notifier.channels.flaky.type", "teams");
        notifier.put("freshen.notifier.channels.flaky.url", receiver.url(FLAKY_PATH).toString());
        notifier.put("freshen.notifier.channels.legacy.type", "teams");
        notifier.put("freshen.notifier.channels.legacy.url", receiver.url(LEGACY_PATH).toString());
        notifier.put("freshen.notifier.channels.legacy.flavor", "legacy");
        notifier.put("freshen.notifier.default-channels", "teams");
        notifier.put("freshen.notifier.max-attempts", "2");
        notifier.put("freshen.notifier.initial-backoff", "200ms");
        configs.put("notifier", merge(common, notifier, Map.of()));
    }

    private ServiceProcess start(String name) {
        return start(name, name);
    }

    /**
     * Starts service {@code module} as process {@code instance}. The consumer settings are the shipped defaults; the
     * suite only names each process, as Kubernetes names each pod: {@code FRESHEN_INSTANCE_ID} (static group
     * membership, docs/reliability.md), the same across its restarts and unique among the processes on this host.
     */
    private ServiceProcess start(String module, String instance) {
        return ServiceProcess.start(Commands.repositoryRoot().resolve(module + "-service"),
                merge(configs.get(module), Map.of(INSTANCE_ID, "fault-" + instance), Map.of()), READY);
    }

    ServiceProcess service(String name) {
        return services.get(name);
    }

    /**
     * Restarts service {@code name} with {@code extra} settings on top of its usual ones (another port; the API
     * follows); {@link #restartAsUsual} undoes it.
     */
    void restartWith(String name, Map<String, String> extra) {
        services.get(name).close();
        services.put(name, ServiceProcess.start(Commands.repositoryRoot().resolve(name + "-service"),
                merge(configs.get(name), Map.of(INSTANCE_ID, "fault-" + name), extra), READY));
    }

    void restartAsUsual(String name) {
        restartWith(name, Map.of());
    }

    /** A second builder instance in the same consumer group (started once). */
    synchronized ServiceProcess secondBuilder() {
        return services.computeIfAbsent("builder-2", name -> start("builder", name));
    }

    /**
     * Waits until the consumer group of {@code service} (group {@code freshen-<service>}) is stable with a member of
     * static instance {@code instance} ({@code FRESHEN_INSTANCE_ID}; member ids {@code <instance>.<channel>}): the
     * instance has its share of the partitions. A burst started before would make the group rebalance under it, and
     * a record whose partition moved in the middle of its build is built again by the new owner (at-least-once).
     */
    void awaitGroupMember(String service, String instance, Duration timeout) {
        String group = "freshen-" + service;
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            await().atMost(timeout).pollInterval(Duration.ofMillis(200)).until(() -> {
                ConsumerGroupDescription d = admin.describeConsumerGroups(List.of(group)).all().get().get(group);
                return d.groupState() == GroupState.STABLE && d.members().stream().anyMatch(m ->
                        m.groupInstanceId().map(id -> id.startsWith(instance + ".")).orElse(false));
            });
        }
    }

    /**
     * Adds platform image {@code id} (target repository = id) built FROM the vendor's {@code base} with the given
     * extra Dockerfile lines, non-root, checked only by policy (no application: the scenarios are about the pipeline).
     */
    void addImage(String id, String base, String extraDockerfile, String notify) {
        Path dir = platformImages.resolve(id);
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("Dockerfile"), "FROM " + vendor.host() + "/" + base + "\n" + extraDockerfile
                    + "LABEL dev.freshen.fault-image=\"" + id + "\"\nUSER 1654\n");
            Files.writeString(dir.resolve("platform-image.yaml"), """
                    schedule: "%s"
                    target:
                      repository: %s
                      tagPrefix: "10.0"
                      extraTags: ["10.0", latest]
                    checks:
                      user: non-root
                      labels: [dev.freshen.fault-image]
                    notify: [%s]
                    """.formatted(NEVER, id, notify));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Awaitility.await("the watcher sees " + id).atMost(Duration.ofSeconds(30))
                .until(() -> api().get("/api/v1/images/" + id).statusCode() == 200);
    }

    /** Publishes a new vendor base (a new digest) to {@code repository:10.0}. */
    ImageReference updateBase(String repository) {
        return FixtureImages.publishBase(vendor.host(), repository, "10.0");
    }

    RequestSpecification api() {
        return given().baseUri(service("watcher").baseUri().toString()).header("Authorization", "Bearer " + API_KEY);
    }

    /** Forces a run of {@code imageId} through the watcher's API; its run id. */
    String forceUpdate(String imageId, String reason) {
        return api().contentType("application/json").body("{\"reason\":\"" + reason + "\"}")
                .post("/api/v1/images/" + imageId + "/force-update").then().statusCode(202).extract().path("runId");
    }

    /** Asks the watcher to check {@code imageId} now; the run id it started. */
    String check(String imageId) {
        return api().post("/api/v1/images/" + imageId + "/check").then().statusCode(200).extract().path("runId");
    }

    /**
     * Waits until the builder builds run {@code runId} of {@code imageId}. By then it has read what the newest published
     * version was built from (a forced run lists the target's tags), so the next request for the image's tags is the
     * publisher's.
     */
    void awaitBuilding(String runId, String imageId) {
        String building = "Run " + runId + " (" + imageId + "): building with";
        // any builder: the burst scenario starts a second one, and the run goes to whichever owns its partition
        Awaitility.await("a builder builds run " + runId).atMost(RUN_TIMEOUT).until(() -> services.entrySet().stream()
                .filter(service -> service.getKey().startsWith("builder"))
                .anyMatch(service -> service.getValue().logText().contains(building)));
    }

    ImagePublished awaitPublished(String runId) {
        return topics.awaitEvent(ImagePublished.class, e -> e.runId().equals(runId), RUN_TIMEOUT);
    }

    /** The end state of {@code imageIds} as the topics and the company registry tell it. */
    EndState endState(List<String> imageIds) {
        return EndState.read(topics, registry, proxy.host(), imageIds);
    }

    /** Runs the packaged {@code freshen} CLI against the suite's Kafka; its standard output. */
    String freshen(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Commands.repositoryRoot()
                .resolve("freshen-cli/target/freshen").toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("FRESHEN_KAFKA", kafka.bootstrapServers());
        Process process = builder.start();
        process.getOutputStream().close();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "freshen " + String.join(" ", args) + " did not finish");
        assertEquals(0, process.exitValue(), out);
        return out;
    }

    private static Map<String, String> merge(Map<String, String> a, Map<String, String> b, Map<String, String> c) {
        Map<String, String> all = new LinkedHashMap<>(a);
        all.putAll(b);
        all.putAll(c);
        return all;
    }

    private void close() {
        services.values().parallelStream().forEach(ServiceProcess::close);
        receiver.close();
        topics.close();
        proxy.close();
        company.close();
        kafka.close();
    }
}
