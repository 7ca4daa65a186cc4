package dev.freshen.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.freshen.events.BaseImageUpdated;
import dev.freshen.events.EventJson;
import dev.freshen.events.ForceUpdateRequested;
import dev.freshen.events.ImageLabels;
import dev.freshen.events.ImagePublished;
import dev.freshen.events.PipelineFailed;
import dev.freshen.events.Stage;
import dev.freshen.events.StageTiming;
import dev.freshen.events.Topics;
import dev.freshen.events.image.ImageReference;
import dev.freshen.registry.RegistryClient;
import dev.freshen.registry.RegistrySettings;
import dev.freshen.testing.Commands;
import dev.freshen.testing.DockerEngine;
import dev.freshen.testing.EventTopics;
import dev.freshen.testing.FixtureImages;
import dev.freshen.testing.KafkaBroker;
import dev.freshen.testing.LocalRegistry;
import dev.freshen.testing.OtlpReceiver;
import dev.freshen.testing.WebhookReceiver;
import io.restassured.specification.RequestSpecification;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The whole pipeline as five separate service processes (the packaged apps) with a real Kafka broker, Docker engine,
 * registry and HTTP receiver for the notifications, driven as a user would: a vendor base update, a forced rebuild,
 * a platform image whose application fails. Asserts what a user would check: tags and digests in the registry, the
 * cards received, the events of each run.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PipelineIT {

    private static final Duration RUN_TIMEOUT = Duration.ofMinutes(4);
    private static final String IMAGE = "fixture/runtime";
    private static final String BROKEN = "fixture/broken-app";
    private static final String API_KEY = "e2e-api-key-0123456789abcdef";

    private PackagedServices services;
    private LocalRegistry registry;
    private RegistryClient registryClient;
    private EventTopics topics;
    private WebhookReceiver receiver;
    private OtlpReceiver otlp;
    private String repository;
    private ImageReference baseV1;

    @BeforeAll
    void startPipeline() throws IOException {
        DockerEngine.requireRunning();
        registry = LocalRegistry.shared();
        registryClient = new RegistryClient(RegistrySettings.defaults());
        topics = new EventTopics(KafkaBroker.bootstrapServers());
        receiver = WebhookReceiver.start();
        otlp = OtlpReceiver.start();
        Path platformImages = copyLocalPlatformImages();
        repository = registry.host() + "/platform/fixture-runtime";
        baseV1 = FixtureImages.publishBase(registry.host(), "dotnet/runtime", "10.0");

        // traces to this test's OTLP receiver and JSON logs: what oneRunIsOneTraceAndItsLogLinesCarryTheRun checks
        Map<String, String> observed = new HashMap<>(otlp.quarkusConfig());
        observed.put("quarkus.log.console.json.enabled", "true");
        services = PackagedServices.start(platformImages, registry.host(), API_KEY, receiver.url("/teams"), observed);
    }

    @AfterAll
    void stopPipeline() {
        if (services != null) {
            services.close();
        }
        receiver.close();
        otlp.close();
        topics.close();
    }

    @Test
    @Order(1)
    void aNeverPublishedImageIsBuiltTestedAndPublishedAsOneZeroZero() {
        ImagePublished published = awaitPublished(IMAGE, "1.0.0");
        report("first run", published);

        assertEquals(List.of("10.0-1.0.0", "10.0", "latest"), published.tags());
        var versionDigest = registryClient.manifestDigest(ImageReference.parse(repository + ":10.0-1.0.0")).orElseThrow();
        assertEquals(published.digest(), versionDigest, "the published digest is behind the version tag");
        assertEquals(versionDigest, registryClient.manifestDigest(ImageReference.parse(repository + ":latest")).orElseThrow());
        assertEquals(versionDigest, registryClient.manifestDigest(ImageReference.parse(repository + ":10.0")).orElseThrow());
        var labels = registryClient.imageConfig(published.image()).labels();
        assertEquals(baseV1.digest().toString(), labels.get(ImageLabels.BASE_DIGEST));
        assertEquals(published.runId(), labels.get(ImageLabels.RUN_ID));
        awaitCard(published.runId(), "10.0-1.0.0");
    }

    @Test
    @Order(2)
    void aVendorUpdateStartsExactlyOneRunAndPublishesTheNextMinor() {
        ImageReference baseV2 = FixtureImages.publishBase(registry.host(), "dotnet/runtime", "10.0");
        String runId = api().post("/api/v1/images/" + IMAGE + "/check").then().statusCode(200)
                .body("result", equalTo("RUN_STARTED")).extract().path("runId");
        for (int poll = 0; poll < 3; poll++) {
            api().post("/api/v1/images/" + IMAGE + "/check").then().statusCode(200)
                    .body("result", equalTo("RUN_EXISTS")).body("runId", equalTo(runId));
        }
        ImagePublished published = awaitPublished(IMAGE, "1.1.0");
        report("base update", published);
        assertEquals(runId, published.runId());
        assertEquals(baseV2.digest(), published.baseImages().get(0).digest());
        assertEquals(baseV1.digest(), published.baseImages().get(0).previousDigest());
        api().post("/api/v1/images/" + IMAGE + "/check").then().statusCode(200).body("result", equalTo("UP_TO_DATE"));
        long updates = topics.readAll(Topics.BASE_IMAGE_UPDATED).stream()
                .map(r -> EventJson.read(r.value(), BaseImageUpdated.class)).filter(e -> e.imageId().equals(IMAGE)).count();
        assertEquals(2, updates, "one run per base digest, however often the watcher polled");
        awaitCard(published.runId(), "10.0-1.1.0");
    }

    @Test
    @Order(3)
    void aForcedRunPublishesANewVersionWithoutABaseChange() {
        String runId = api().contentType("application/json").body("{\"reason\":\"hardening changed\"}")
                .post("/api/v1/images/" + IMAGE + "/force-update").then().statusCode(202).extract().path("runId");
        ImagePublished published = awaitPublished(IMAGE, "1.2.0");
        report("forced", published);
        assertEquals(runId, published.runId());
        assertEquals("forced", published.trigger().kind().id());
        assertEquals("hardening changed", published.trigger().reason());
    }

    @Test
    @Order(4)
    void aForcedRunThroughTheCliToo() throws Exception {
        Path cli = Commands.repositoryRoot().resolve("freshen-cli/target/freshen");
        // over Kafka, after the CLI asked this watcher (not the default 127.0.0.1:8081) that the image exists
        ProcessBuilder builder = new ProcessBuilder(cli.toString(), "force-update", IMAGE, "--reason", "from the CLI",
                "--via", "kafka", "--api", services.get("watcher").baseUri().toString());
        builder.environment().put("FRESHEN_KAFKA", KafkaBroker.bootstrapServers());
        Process process = builder.redirectErrorStream(true).start();
        String runId = new String(process.getInputStream().readAllBytes()).strip();
        assertEquals(0, process.waitFor(), runId);
        ImagePublished published = awaitPublished(IMAGE, "1.3.0");
        assertEquals(runId, published.runId());
        assertEquals("from the CLI", published.trigger().reason());
    }

    @Test
    @Order(5)
    void aFailingApplicationPublishesNothingAndSaysWhy() {
        var latestBefore = registryClient.manifestDigest(ImageReference.parse(repository + ":latest")).orElseThrow();
        receiver.answer(503, 1, 202); // the failure card is refused once: the notifier retries (freshen_retries_total)
        String runId = api().contentType("application/json").body("{\"reason\":\"e2e\"}")
                .post("/api/v1/images/" + BROKEN + "/force-update").then().statusCode(202).extract().path("runId");
        PipelineFailed failed = topics.awaitEvent(PipelineFailed.class, e -> e.runId().equals(runId), RUN_TIMEOUT);
        assertEquals(Stage.TEST, failed.stage());
        assertTrue(failed.reason().contains("expected 418"), failed.reason());
        assertTrue(registryClient.tags(registry.host(), "platform/fixture-broken").stream()
                .noneMatch(t -> t.startsWith("10.0")), "no version and no moving tag for a failed run");
        awaitCard(runId, "expected 418");
        assertEquals(latestBefore, registryClient.manifestDigest(ImageReference.parse(repository + ":latest")).orElseThrow(),
                "latest unchanged");
    }

    /**
     * The forced run of test 3 (watcher API -> builder -> tester -> publisher -> notifier) is one OpenTelemetry trace:
     * its records carry the trace in W3C traceparent headers, and the OTLP receiver has spans of all five services in
     * that trace, each linked to its parent, the consumer spans to the producer spans of the service before. Every
     * service logged lines of the run from its stage (the notifier's from a delivery thread) with mdc.runId and
     * mdc.imageId in its JSON log.
     */
    @Test
    @Order(6)
    void oneRunIsOneTraceAndItsLogLinesCarryTheRun() {
        ConsumerRecord<String, byte[]> request = topics.readAll(Topics.FORCE_UPDATE).stream()
                .filter(r -> "hardening changed".equals(EventJson.read(r.value(), ForceUpdateRequested.class).reason()))
                .findFirst().orElseThrow();
        String runId = EventJson.read(request.value(), ForceUpdateRequested.class).runId();
        String traceId = traceId(request);
        ConsumerRecord<String, byte[]> published = topics.readAll(Topics.IMAGE_PUBLISHED).stream()
                .filter(r -> EventJson.read(r.value(), ImagePublished.class).runId().equals(runId)).findFirst().orElseThrow();
        assertEquals(traceId, traceId(published), "the publisher's record continues the watcher's trace");

        Map<String, String> upstream = Map.of("freshen-builder", "freshen-watcher", "freshen-tester", "freshen-builder",
                "freshen-publisher", "freshen-tester", "freshen-notifier", "freshen-publisher");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            List<OtlpReceiver.Span> spans = otlp.trace(traceId);
            Map<String, OtlpReceiver.Span> byId = spans.stream()
                    .collect(Collectors.toMap(OtlpReceiver.Span::spanId, s -> s, (a, b) -> a));
            List<OtlpReceiver.Span> roots = spans.stream().filter(OtlpReceiver.Span::isRoot).toList();
            assertEquals(1, roots.size(), "one root: " + roots);
            assertEquals("freshen-watcher", roots.get(0).service(), "the trace starts at the watcher's API request");
            spans.stream().filter(s -> !s.isRoot()).forEach(s ->
                    assertTrue(byId.containsKey(s.parentSpanId()), "the parent of " + s + " is in the trace"));
            upstream.forEach((service, from) -> assertTrue(spans.stream().anyMatch(s -> s.service().equals(service)
                            && s.kind().equals("SPAN_KIND_CONSUMER") && byId.containsKey(s.parentSpanId())
                            && byId.get(s.parentSpanId()).service().equals(from)
                            && byId.get(s.parentSpanId()).kind().equals("SPAN_KIND_PRODUCER")),
                    service + " consumed a record that " + from + " produced, in the trace: " + spans));
        });
        System.out.println("E2E trace of the forced run: " + otlp.trace(traceId).size() + " spans from "
                + otlp.trace(traceId).stream().map(OtlpReceiver.Span::service).distinct().sorted().toList());
        assertTrue(otlp.rejected().isEmpty(), "OTLP requests not understood: " + otlp.rejected());

        Map<String, String> stageLines = Map.of("builder", "dev.freshen.builder.BuildStage",
                "tester", "dev.freshen.tester.VerificationStage", "publisher", "dev.freshen.publisher.PublishStage",
                "notifier", "dev.freshen.notifier.Dispatcher");
        stageLines.forEach((service, logger) -> {
            List<JsonNode> lines = jsonLines(services.get(service).logText());
            assertFalse(lines.isEmpty(), "the " + service + " logs JSON");
            assertTrue(lines.stream().anyMatch(line -> line.path("loggerName").asText().equals(logger)
                            && line.path("mdc").path("runId").asText().equals(runId)
                            && line.path("mdc").path("imageId").asText().equals(IMAGE)),
                    "a line of " + logger + " with mdc.runId " + runId + " and mdc.imageId " + IMAGE + " in " + services.get(service).log());
        });
    }

    /** The trace id of a record's W3C {@code traceparent} header ({@code 00-<trace id>-<span id>-<flags>}). */
    private static String traceId(ConsumerRecord<String, byte[]> record) {
        Header header = record.headers().lastHeader("traceparent");
        assertNotNull(header, "a traceparent header on " + record.topic());
        String[] parts = new String(header.value(), StandardCharsets.UTF_8).split("-");
        assertEquals(4, parts.length, "traceparent " + Arrays.toString(parts));
        return parts[1];
    }

    private static List<JsonNode> jsonLines(String log) {
        ObjectMapper json = new ObjectMapper();
        return log.lines().filter(line -> line.startsWith("{")).map(line -> {
            try {
                return json.readTree(line);
            } catch (IOException e) {
                throw new AssertionError("not a JSON log line: " + line, e);
            }
        }).toList();
    }

    /**
     * The runs above, as the five services' {@code /q/metrics} tell them (labels as docs/observability.md and the rules
     * use them), and every metric name the alert rules and the dashboard in {@code deploy/monitoring/} query is served
     * by at least one running service.
     */
    @Test
    @Order(7)
    void everyMetricTheAlertRulesAndTheDashboardNameIsServedWithTheRunsAbove() throws IOException {
        Map<String, List<Map<String, String>>> served = new TreeMap<>();
        for (String service : List.of("watcher", "builder", "tester", "publisher", "notifier")) {
            String text = given().baseUri(services.get(service).baseUri().toString()).get("/q/metrics")
                    .then().statusCode(200).extract().asString();
            PrometheusText.samples(text).forEach(sample -> served.computeIfAbsent(sample.name(), n -> new ArrayList<>())
                    .add(sample.labels()));
        }
        // the runs above, as the metrics tell them (labels as the docs and the rules use them)
        assertServed(served, "freshen_runs_total", Map.of("image", IMAGE, "trigger", "base-image-updated",
                "outcome", "published", "stage", "publish"));
        assertServed(served, "freshen_runs_total", Map.of("image", BROKEN, "trigger", "forced", "outcome", "failed",
                "stage", "test"));
        for (String stage : List.of("build", "test", "publish")) {
            assertServed(served, "freshen_stage_duration_seconds_bucket", Map.of("stage", stage, "image", IMAGE,
                    "outcome", "succeeded", "le", "+Inf"));
        }
        assertServed(served, "freshen_retries_total", Map.of("service", "freshen-notifier", "operation", "notification"));
        for (String service : List.of("watcher", "builder", "tester", "publisher", "notifier")) {
            assertServed(served, "freshen_dead_letters_total", Map.of("service", "freshen-" + service,
                    "reason", "invalid-event"));
        }
        assertServed(served, "freshen_image_staleness_seconds", Map.of("image", IMAGE));

        Path monitoring = Commands.repositoryRoot().resolve("deploy/monitoring");
        Set<String> named = new TreeSet<>();
        for (String expr : queries(monitoring)) {
            Matcher names = Pattern.compile("\\bfreshen_[a-z0-9_]+").matcher(expr);
            while (names.find()) {
                named.add(names.group());
            }
        }
        assertTrue(named.size() >= 7, "the rules and the dashboard name Freshen's metrics: " + named);
        Set<String> missing = new TreeSet<>(named);
        missing.removeAll(served.keySet());
        System.out.println("E2E metrics: " + named.size() + " names in deploy/monitoring, not served: " + missing);
        assertEquals(Set.of(), missing, "metrics named in deploy/monitoring but served by no service");
    }

    /** The PromQL of the alert rules ({@code expr:} blocks) and of the dashboard ({@code "expr"} values). */
    private static List<String> queries(Path monitoring) throws IOException {
        List<String> queries = new ArrayList<>();
        boolean inExpr = false;
        for (String line : Files.readAllLines(monitoring.resolve("freshen-rules.yml"))) {
            String field = line.strip();
            if (field.startsWith("expr:")) {
                inExpr = true;
                queries.add(field.substring("expr:".length()));
            } else if (inExpr && !field.matches("^(-\\s*)?[a-z_]+:.*")) {
                queries.add(field);
            } else {
                inExpr = false;
            }
        }
        Matcher exprs = Pattern.compile("\"expr\":\\s*\"((?:[^\"\\\\]|\\\\.)*)\"")
                .matcher(Files.readString(monitoring.resolve("freshen-dashboard.json")));
        while (exprs.find()) {
            queries.add(exprs.group(1));
        }
        return queries;
    }

    private static void assertServed(Map<String, List<Map<String, String>>> served, String name,
                                     Map<String, String> labels) {
        List<Map<String, String>> series = served.getOrDefault(name, List.of());
        assertTrue(series.stream().anyMatch(s -> s.entrySet().containsAll(labels.entrySet())),
                name + labels + " is not served; served: " + series);
    }

    private ImagePublished awaitPublished(String imageId, String version) {
        return topics.awaitEvent(ImagePublished.class, e -> e.imageId().equals(imageId) && e.version().equals(version),
                RUN_TIMEOUT);
    }

    private void awaitCard(String runId, String text) {
        await().atMost(Duration.ofSeconds(60)).until(() -> receiver.requests().stream()
                .anyMatch(r -> r.path().equals("/teams") && r.body().contains(text)));
        assertFalse(receiver.requests().isEmpty(), runId);
    }

    /** Prints where the time of a run went: the stages' own time versus everything between them. */
    private static void report(String what, ImagePublished published) {
        List<StageTiming> timings = published.timings();
        long stages = timings.stream().mapToLong(t -> t.duration().toMillis()).sum();
        long total = Duration.between(timings.get(0).startedAt(), published.occurredAt()).toMillis();
        StringBuilder line = new StringBuilder("E2E " + what + ": " + total + " ms from build start to ImagePublished");
        timings.forEach(t -> line.append(", ").append(t.stage().id()).append(' ').append(t.duration().toMillis()).append(" ms"));
        line.append(", between stages ").append(total - stages).append(" ms");
        System.out.println(line);
    }

    private RequestSpecification api() {
        return given().baseUri(services.get("watcher").baseUri().toString()).header("Authorization", "Bearer " + API_KEY);
    }

    /**
     * The local run's platform images, pointed at this test's registry and built for linux/amd64 only (the base this
     * test publishes is one amd64 image; two platforms are MultiPlatformIT's), plus one whose application fails.
     */
    private Path copyLocalPlatformImages() throws IOException {
        Path source = Commands.repositoryRoot().resolve("deploy/local/platform-images");
        Path target = Files.createTempDirectory("freshen-e2e-images-");
        try (Stream<Path> files = Files.walk(source)) {
            for (Path file : files.toList()) {
                Path to = target.resolve(source.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(to);
                } else {
                    String text = Files.readString(file).replace("127.0.0.1:5000", registry.host());
                    if (file.getFileName().toString().equals("platform-image.yaml")) {
                        text = text.replaceAll("(?m)^platforms:.*$", "platforms: [linux/amd64]");
                    }
                    Files.writeString(to, text);
                    // the modes as they are (0744 stays 0744): the build context keeps them, as the docker CLI does
                    Files.setPosixFilePermissions(to, Files.getPosixFilePermissions(file));
                }
            }
        }
        Path broken = Files.createDirectories(target.resolve(BROKEN));
        Files.copy(target.resolve(IMAGE + "/Dockerfile"), broken.resolve("Dockerfile"));
        Files.writeString(broken.resolve("platform-image.yaml"), Files.readString(target.resolve(IMAGE + "/platform-image.yaml"))
                .replace("platform/fixture-runtime", "platform/fixture-broken")
                .replace("status: 200", "status: 418"));
        return target;
    }
}
