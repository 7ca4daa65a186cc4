package dev.freshen.tester;

import dev.freshen.events.BaseImage;
import dev.freshen.events.ImageBuilt;
import dev.freshen.events.PipelineFailed;
import dev.freshen.events.Stage;
import dev.freshen.events.StageTiming;
import dev.freshen.events.Trigger;
import dev.freshen.events.image.ImageReference;
import dev.freshen.registry.RegistryClient;
import dev.freshen.registry.RegistrySettings;
import dev.freshen.testing.DockerEngine;
import dev.freshen.testing.EventTopics;
import dev.freshen.testing.FixtureImages;
import dev.freshen.testing.KafkaBroker;
import dev.freshen.testing.LocalRegistry;
import dev.freshen.testing.SampleEvents;
import dev.freshen.testing.ServiceProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The mistakes people make with an integration-test app, each answered by the packaged tester (its own process, the
 * real Docker engine, registry and Kafka broker) with the failure its {@code expected.txt} says: one folder per
 * mistake under {@code src/test/resources/mistakes/} (see its README). All cases are sent at once and tested in
 * parallel as the tester's concurrency allows; each test then reads its own outcome.
 */
class MistakesIT {

    private static final Path CASES = Paths.get("src/test/resources/mistakes").toAbsolutePath();
    private static final Duration TIMEOUT = Duration.ofSeconds(240);

    private static EventTopics topics;
    private static ServiceProcess tester;
    private static final Map<String, ImageBuilt> SENT = new LinkedHashMap<>();

    @BeforeAll
    static void start(@TempDir Path platformImages) throws IOException {
        DockerEngine.requireRunning();
        LocalRegistry registry = LocalRegistry.shared();
        topics = new EventTopics(KafkaBroker.bootstrapServers());
        ImageReference base = FixtureImages.publishBase(registry.host(), "dotnet/runtime-mistakes", "10.0");
        Map<String, ImageReference> candidates = new LinkedHashMap<>();
        for (String name : cases().toList()) {
            candidates.put(name, candidate(registry, base, name));
            Path folder = CASES.resolve(name);
            if (Files.isDirectory(folder.resolve("app"))) {
                copy(folder.resolve("app"), platformImages.resolve("apps/" + name));
            }
            write(platformImages, "mistakes/" + name + "/Dockerfile", "FROM " + base.withDigest(null) + "\n");
            write(platformImages, "mistakes/" + name + "/platform-image.yaml", "target: {repository: platform/mistakes-"
                    + name + ", tagPrefix: '1'}\n" + Files.readString(folder.resolve("integration-test.yaml")));
        }
        tester = ServiceProcess.start(Paths.get("").toAbsolutePath(), Map.of(
                "kafka.bootstrap.servers", KafkaBroker.bootstrapServers(),
                "freshen.platform-images-dir", platformImages.toString(),
                "freshen.tester.docker-cli", DockerEngine.CLI,
                "freshen.tester.instance-id", "mistakes-it"), TIMEOUT);
        for (String name : cases().toList()) {
            Instant now = Instant.now();
            ImageBuilt built = new ImageBuilt(SampleEvents.runId(), "mistakes/" + name, 1, now, Trigger.baseImageUpdated(),
                    List.of(new BaseImage(base.withDigest(null), base.digest(), null)), candidates.get(name),
                    List.of(), List.of(new StageTiming(Stage.BUILD, now.minusSeconds(10), now)));
            SENT.put(name, built);
            topics.send(built);
        }
    }

    @AfterAll
    static void stop() {
        if (tester != null) {
            tester.close();
        }
        if (topics != null) {
            topics.close();
        }
    }

    static Stream<String> cases() {
        try (Stream<Path> folders = Files.list(CASES)) {
            return folders.filter(Files::isDirectory).map(p -> p.getFileName().toString()).sorted().toList().stream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void theTesterAnswersTheMistakeWithItsCauseAndFix(String name) throws IOException {
        ImageBuilt built = SENT.get(name);
        PipelineFailed failed = topics.awaitEvent(PipelineFailed.class, e -> e.runId().equals(built.runId()), TIMEOUT);
        String shown = "\n  reason:  " + failed.reason() + "\n  hint:    " + failed.hint() + "\n  code:    "
                + failed.code() + "\n  excerpt: " + failed.logExcerpt();
        System.out.println("mistake " + name + ":" + shown);
        assertEquals(Stage.TEST, failed.stage(), shown);
        List<String> problems = new ArrayList<>();
        for (String line : Files.readAllLines(CASES.resolve(name).resolve("expected.txt"))) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            if (line.equals("no excerpt")) {
                if (failed.logExcerpt() != null) {
                    problems.add("no excerpt expected");
                }
                continue;
            }
            int colon = line.indexOf(": ");
            String field = line.substring(0, colon);
            String text = line.substring(colon + 2);
            String actual = switch (field) {
                case "kind" -> failed.kind().id();
                case "code" -> failed.code();
                case "reason" -> failed.reason();
                case "hint" -> failed.hint();
                case "excerpt" -> failed.logExcerpt();
                default -> throw new IllegalArgumentException(name + "/expected.txt: unknown field " + field);
            };
            boolean exact = field.equals("kind") || field.equals("code");
            if (actual == null || (exact ? !actual.equals(text) : !actual.contains(text))) {
                problems.add(field + (exact ? " is not " : " does not contain ") + "'" + text + "'");
            }
        }
        for (String text : new String[]{failed.reason(), failed.hint()}) {
            if (text != null && (text.matches("(?s).*\\bPT\\d.*") || text.contains("Exception") || text.contains("java."))) {
                problems.add("an ISO-8601 duration or a class name in '" + text + "'");
            }
        }
        assertTrue(problems.isEmpty(), name + ": " + String.join("; ", problems) + shown);
        assertFalse(tester.logText().contains("Retrying test of run " + built.runId()), "a user's mistake is not retried");
    }

    @Test
    void nothingIsLeftBehind() {
        SENT.values().forEach(built -> topics.awaitEvent(PipelineFailed.class, e -> e.runId().equals(built.runId()),
                TIMEOUT));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertEquals("", DockerEngine.docker("ps", "-aq", "--filter", "label=dev.freshen.tester-instance=mistakes-it"));
            assertEquals("", DockerEngine.docker("images", "-q", "--filter", "reference=freshen-test/mistakes-*"));
        });
    }

    /**
     * A candidate of one case as the builder pushes it (root, so that test apps may change files), by digest: each
     * run has its own, as with the builder (whose labels make every candidate unique), since a test removes its
     * candidate from the engine when it ends.
     */
    private static ImageReference candidate(LocalRegistry registry, ImageReference base, String name) throws IOException {
        Path context = Files.createTempDirectory("freshen-candidate-");
        write(context, "Dockerfile", "FROM " + base + "\nLABEL dev.freshen.fixture=mistakes-" + name + "\n");
        String tag = registry.host() + "/platform/mistakes-" + name + ":candidate";
        DockerEngine.docker("build", "-q", "-t", tag, context.toString());
        DockerEngine.docker("push", "-q", tag);
        DockerEngine.docker("rmi", tag);
        var digest = new RegistryClient(RegistrySettings.defaults()).manifestDigest(ImageReference.parse(tag)).orElseThrow();
        return ImageReference.parse(registry.host() + "/platform/mistakes-" + name + "@" + digest);
    }

    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path source : files.toList()) {
                Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }

    private static void write(Path root, String relative, String content) throws IOException {
        Path file = root.resolve(relative);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
    }
}
