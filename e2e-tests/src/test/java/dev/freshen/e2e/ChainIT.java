package dev.freshen.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.freshen.descriptor.DescriptorLoader;
import dev.freshen.descriptor.PlatformImage;
import dev.freshen.descriptor.definition.Definition;
import dev.freshen.descriptor.definition.DefinitionEntry;
import dev.freshen.events.BaseImageUpdated;
import dev.freshen.events.EventJson;
import dev.freshen.events.FreshenEvent;
import dev.freshen.events.ImageLabels;
import dev.freshen.events.ImagePublished;
import dev.freshen.events.ImageVerified;
import dev.freshen.events.PipelineFailed;
import dev.freshen.events.Stage;
import dev.freshen.events.Topics;
import dev.freshen.events.Trigger;
import dev.freshen.events.image.ImageReference;
import dev.freshen.registry.RegistryClient;
import dev.freshen.registry.RegistrySettings;
import dev.freshen.testing.Commands;
import dev.freshen.testing.EventTopics;
import dev.freshen.testing.FixtureImages;
import dev.freshen.testing.KafkaBroker;
import dev.freshen.testing.WebhookReceiver;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Platform images built on each other, on the shared local stack ({@link CorpusStack#shared()}: five packaged
 * services, Kafka, one registry, a Teams double): a three-level chain (fixtures in
 * {@code src/test/resources/chain/}, see its README)
 * <pre>fixture base dotnet/runtime-chain:10.0 → base/runtime → base/aspnet → team/app</pre>
 * whose schedules never fire, so that every check is a load's (a folder written or edited), the test's own, or the
 * one a parent's {@code ImagePublished} starts. The scenarios run in order and build on each other (10 runs of busybox
 * images in all): first publish, an ignored file edited, a Dockerfile edited in the middle, an upstream bump, a
 * failing middle level. Each prints its seconds; the whole class takes about 3 minutes on 2 busy cores.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Order(1) // first, then MultiPlatformIT and MistakesCorpusIT on the same stack (the last closes it)
class ChainIT {

    private static final String RUNTIME = "base/runtime";
    private static final String ASPNET = "base/aspnet";
    private static final String APP = "team/app";
    private static final List<String> CHAIN = List.of(RUNTIME, ASPNET, APP);
    /** The fixture upstream base of base/runtime: its own repository, so that the corpus's bumps do not move it. */
    private static final String UPSTREAM = "dotnet/runtime-chain";
    private static final Path FIXTURES = Commands.repositoryRoot().resolve("e2e-tests/src/test/resources/chain");
    private static final Path ECHO_APP = Commands.repositoryRoot().resolve("deploy/local/platform-images/apps/fixture-echo");
    private static final Path CLI = Commands.repositoryRoot().resolve("freshen-cli/target/freshen");
    /** One level's run is seconds here; three levels one after the other, on a machine other builds share. */
    private static final Duration CHAIN_TIMEOUT = Duration.ofMinutes(3);
    /**
     * How long "nothing starts" is watched: the watcher rescans every second, so this spans at least two rescans of
     * an edited folder plus the check-on-load they trigger, and a run started by them would have its
     * {@code BaseImageUpdated} on the topic within it (the watcher emits it before the check ends).
     */
    private static final Duration QUIET = Duration.ofSeconds(4);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private CorpusStack stack;
    private EventTopics topics;
    private RegistryClient registryClient;
    private long started;

    @BeforeAll
    void startChain() throws IOException {
        started = System.nanoTime();
        stack = CorpusStack.shared();
        topics = new EventTopics(KafkaBroker.bootstrapServers());
        registryClient = new RegistryClient(RegistrySettings.defaults());
        FixtureImages.publishBase(stack.registry.host(), UPSTREAM, "10.0");
        stack.copyTree(ECHO_APP, stack.platformImages.resolve("apps/chain-echo"));
    }

    @AfterAll
    void removeChain() {
        for (String folder : List.of("team", "base", "apps/chain-echo")) {
            CorpusStack.deleteTree(stack.platformImages.resolve(folder));
        }
        topics.close();
        System.out.printf("CHAIN all scenarios: %.1f s%n", (System.nanoTime() - started) / 1e9);
    }

    /**
     * The three folders appear at once: base/runtime runs (never published), its children's checks at load answer
     * {@code HELD} (no run, no check error for the missing parent tag), and each starts on its parent's
     * {@code ImagePublished}, pinned to it.
     */
    @Test
    @Order(1)
    void firstPublishBuildsEachLevelOnceParentsFirst() {
        long t = System.nanoTime();
        for (String id : CHAIN) {
            stack.placeFolder(FIXTURES.resolve(id), id);
        }
        for (String child : List.of(ASPNET, APP)) {
            // the check at load, seconds before base/runtime's first run can publish: a hold, not a missing base
            JsonNode first = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                    .ignoreExceptions().until(() -> get("/api/v1/images/" + child).path("lastCheck"), c -> c.isObject());
            assertEquals("HELD", first.path("result").asText(), child + "'s first check: " + first);
        }
        List<ImagePublished> published = awaitPublishedInOrder(0);
        assertEquals(List.of("runtime-10.0-1.0.0", "aspnet-10.0-1.0.0", "10.0-1.0.0"),
                published.stream().map(p -> p.tags().get(0)).toList(), "the version tags");
        assertStartedByParents(published, 0);
        for (String id : CHAIN) {
            assertEquals(1, events(BaseImageUpdated.class, id).size(), "one run of " + id + ": "
                    + events(BaseImageUpdated.class, id));
        }
        seconds("first publish", t);
    }

    /** Editing a file the build context leaves out ({@code .dockerignore}) changes no definition: nothing starts. */
    @Test
    @Order(2)
    void editingAnIgnoredFileStartsNothing() throws IOException {
        long t = System.nanoTime();
        Map<String, Integer> before = runCounts();
        replace(ASPNET, "notes/README.md", "Notes of the aspnet team, edited at " + Instant.now() + ".\n");
        assertNothingStartsFor(before, "base/aspnet/notes/ is in its .dockerignore");
        JsonNode check = post("/api/v1/images/" + ASPNET + "/check");
        assertEquals("UP_TO_DATE", check.path("result").asText(), check.toString());
        assertEquals(before, runCounts(), "a check after the edit starts nothing either");
        seconds("ignored file", t);
    }

    /**
     * A Dockerfile edit in the middle level: base/aspnet runs ({@code definition-changed}, naming the Dockerfile),
     * then team/app on its publish; base/runtime does not. The labels on the registry are the definition the builder
     * read, computed here by the production code from the same folder.
     */
    @Test
    @Order(3)
    void aDockerfileEditInTheMiddleRebuildsItAndItsChildOnly() {
        long t = System.nanoTime();
        Map<String, Integer> before = runCounts();
        append(ASPNET, "Dockerfile", "LABEL dev.freshen.chain.edit=\"1\"\n");

        ImagePublished aspnet = awaitPublished(ASPNET, before.get(ASPNET));
        assertEquals("definition-changed", aspnet.trigger().kind().id(), aspnet.trigger().toString());
        Trigger.DefinitionChange change = aspnet.trigger().definition();
        assertTrue(change != null && change.files().stream().anyMatch(f -> f.path().equals("Dockerfile")
                && f.change().equals(Trigger.FileChange.MODIFIED)), "the trigger names the Dockerfile: " + change);
        assertTrue(change.files().stream().noneMatch(f -> f.path().startsWith("notes/")),
                "an ignored file is no change: " + change);
        ImagePublished app = awaitPublished(APP, before.get(APP));
        assertParent(app, aspnet);
        assertEquals(before.get(RUNTIME), runCounts().get(RUNTIME), "base/runtime did not run");

        Definition expected = definitionOnDisk(ASPNET);
        Map<String, String> labels = registryClient.imageConfig(aspnet.image()).labels();
        assertEquals(expected.hash(), labels.get(ImageLabels.DEFINITION), "dev.freshen.definition of " + aspnet.image());
        assertEquals(expected.filesLabel().orElseThrow(), labels.get(ImageLabels.DEFINITION_FILES),
                "dev.freshen.definition-files of " + aspnet.image());
        assertTrue(expected.entries().stream().map(DefinitionEntry::path).noneMatch(p -> p.startsWith("notes/")),
                "what .dockerignore leaves out is not in the definition: " + expected.entries());
        assertEquals(definitionOnDisk(APP).hash(), registryClient.imageConfig(app.image()).labels()
                .get(ImageLabels.DEFINITION), "dev.freshen.definition of " + app.image());
        seconds("Dockerfile edit in the middle", t);
    }

    /**
     * The vendor updates the base; one {@code freshen check base/runtime} (nobody checks the children, their
     * schedules never fire): three publishes in order, each child's run started by its parent's publish and pinned
     * to it. team/app's verification ran its own app test; base/aspnet has none. Checks after it start nothing.
     */
    @Test
    @Order(4)
    void anUpstreamBumpPublishesEveryLevelOnceInOrder() {
        long t = System.nanoTime();
        Map<String, Integer> before = runCounts();
        ImageReference bumped = FixtureImages.publishBase(stack.registry.host(), UPSTREAM, "10.0");
        MistakesCorpusIT.Output check = freshen("check", RUNTIME);
        assertEquals(0, check.exit(), check.toString());

        List<ImagePublished> published = awaitPublishedInOrder(before.get(RUNTIME));
        assertEquals(bumped.digest(), published.get(0).baseImages().get(0).digest(), "pinned to the new upstream base");
        assertEquals("base-image-updated", published.get(0).trigger().kind().id());
        assertStartedByParents(published, before.get(ASPNET));
        assertEquals(List.of(ASPNET, APP), published.get(0).trigger().dependents(), "base/runtime's dependents");

        ImageVerified appVerified = verified(published.get(2).runId());
        assertTrue(appVerified.checks().stream().anyMatch(c -> c.name().startsWith("integration-test:") && c.passed()),
                "team/app ran its own app test: " + appVerified.checks());
        ImageVerified aspnetVerified = verified(published.get(1).runId());
        assertTrue(aspnetVerified.checks().stream().noneMatch(c -> c.name().startsWith("integration-test:")),
                "base/aspnet has no app test: " + aspnetVerified.checks());

        Map<String, Integer> after = runCounts();
        for (String id : CHAIN) {
            assertEquals(before.get(id) + 1, after.get(id), "one run of " + id + " for one bump");
            JsonNode again = post("/api/v1/images/" + id + "/check");
            assertEquals("UP_TO_DATE", again.path("result").asText(), id + ": " + again);
        }
        assertEquals(after, runCounts(), "a poll that sees the new digests starts no second run");
        seconds("upstream bump", t);
    }

    /**
     * A bump and, at once, a middle level that cannot build: base/aspnet waits while base/runtime runs, then fails
     * once; team/app never runs (a check of it finds its own base unchanged) and says it waits on that failed run
     * (the API's {@code chain}, {@code freshen status --tree}); the failure card lists team/app as held back.
     */
    @Test
    @Order(5)
    void aFailingMiddleLevelHoldsItsChild() {
        long t = System.nanoTime();
        Map<String, Integer> before = runCounts();
        FixtureImages.publishBase(stack.registry.host(), UPSTREAM, "10.0");
        append(ASPNET, "Dockerfile", "RUN exit 3\n");

        // until the watcher has read the edit (a rescan a second), a check finds base/aspnet up to date: no run either
        JsonNode held = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                .until(() -> post("/api/v1/images/" + ASPNET + "/check"), c -> !c.path("result").asText().equals("UP_TO_DATE"));
        assertEquals("HELD", held.path("result").asText(), "base/aspnet waits while base/runtime runs: " + held);
        assertEquals(RUNTIME, held.path("waitsOn").path("imageId").asText(), held.toString());
        assertEquals("in-flight", held.path("waitsOn").path("state").asText(), held.toString());

        ImagePublished runtime = awaitPublished(RUNTIME, before.get(RUNTIME));
        PipelineFailed failed = awaitEvent(PipelineFailed.class, ASPNET, e -> true, 0);
        assertEquals(Stage.BUILD, failed.stage(), failed.reason());
        assertEquals(Trigger.Kind.PARENT_PUBLISHED, failed.trigger().kind(), failed.trigger().toString());
        assertEquals(runtime.runId(), failed.trigger().parent().runId(), failed.trigger().toString());
        assertEquals(List.of(APP), failed.trigger().dependents(), "base/aspnet's dependents");

        // team/app's own base (aspnet-10.0) did not move: a check of it has nothing to start; its chain says why
        JsonNode appCheck = post("/api/v1/images/" + APP + "/check");
        assertEquals("UP_TO_DATE", appCheck.path("result").asText(), appCheck.toString());
        assertTrue(appCheck.path("runId").isNull(), appCheck.toString());
        assertEquals(before.get(ASPNET) + 1, runCounts().get(ASPNET), "base/aspnet ran once");
        assertNothingStartsFor(Map.of(APP, before.get(APP)), "team/app's parent failed");

        JsonNode view = get("/api/v1/images/" + APP);
        assertEquals("held", view.path("chain").path("state").asText(), view.toString());
        assertEquals(List.of(ASPNET), JSON.convertValue(view.path("chain").path("parents"), List.class), view.toString());
        assertEquals(ASPNET, view.path("chain").path("waitsOn").path("imageId").asText(), view.toString());
        assertEquals(failed.runId(), view.path("chain").path("waitsOn").path("runId").asText(), view.toString());
        assertEquals("failed", view.path("chain").path("waitsOn").path("state").asText(), view.toString());

        MistakesCorpusIT.Output tree = freshen("status", "--tree");
        assertEquals(0, tree.exit(), tree.toString());
        String appLine = tree.stdout().lines().filter(l -> l.contains(APP)).findFirst()
                .orElseThrow(() -> new AssertionError("no line for team/app in\n" + tree.stdout()));
        UserText.assertContains("team/app's line of freshen status --tree:\n" + tree.stdout(), appLine,
                List.of("waits on base/aspnet's failed run " + failed.runId()));
        assertTrue(tree.stdout().indexOf(RUNTIME) < tree.stdout().indexOf(ASPNET)
                && tree.stdout().indexOf(ASPNET) < tree.stdout().indexOf(APP), "parents above children:\n" + tree.stdout());

        String card = awaitCard(ASPNET, "Held back");
        UserText.assertContains("base/aspnet's failure card", card, List.of(APP, failed.runId()));
        seconds("failing middle level", t);
    }

    // --- what the scenarios assert -----------------------------------------------------------------------------

    /** The next ImagePublished of each level (after {@code skip} of base/runtime's), each after its parent's. */
    private List<ImagePublished> awaitPublishedInOrder(int skipRuntime) {
        int skipAspnet = events(ImagePublished.class, ASPNET).size();
        int skipApp = events(ImagePublished.class, APP).size();
        ImagePublished runtime = awaitPublished(RUNTIME, skipRuntime);
        ImagePublished aspnet = awaitPublished(ASPNET, skipAspnet);
        ImagePublished app = awaitPublished(APP, skipApp);
        assertTrue(runtime.occurredAt().isBefore(aspnet.occurredAt()) && aspnet.occurredAt().isBefore(app.occurredAt()),
                "published parents first: " + runtime.occurredAt() + ", " + aspnet.occurredAt() + ", " + app.occurredAt());
        return List.of(runtime, aspnet, app);
    }

    /**
     * Each child's run started on its parent's publish: trigger {@code parent-published} naming the parent's run and
     * the digest it published, its {@code BaseImageUpdated} after that publish, and the child's only run since
     * {@code skipAspnet} runs of base/aspnet.
     */
    private void assertStartedByParents(List<ImagePublished> published, int skipAspnet) {
        assertParent(published.get(1), published.get(0));
        assertParent(published.get(2), published.get(1));
        List<BaseImageUpdated> aspnetRuns = events(BaseImageUpdated.class, ASPNET);
        assertEquals(skipAspnet + 1, aspnetRuns.size(), "one run of base/aspnet: " + aspnetRuns);
    }

    private void assertParent(ImagePublished child, ImagePublished parent) {
        Trigger trigger = child.trigger();
        String what = child.imageId() + "'s run " + child.runId() + " (trigger " + trigger + ")";
        assertEquals(Trigger.Kind.PARENT_PUBLISHED, trigger.kind(), what);
        assertEquals(parent.imageId(), trigger.parent().imageId(), what);
        assertEquals(parent.runId(), trigger.parent().runId(), what);
        assertEquals(parent.digest(), trigger.parent().image().digest(), what);
        BaseImageUpdated start = events(BaseImageUpdated.class, child.imageId()).stream()
                .filter(e -> e.runId().equals(child.runId())).findFirst().orElseThrow();
        assertFalse(start.occurredAt().isBefore(parent.occurredAt()),
                what + " started at " + start.occurredAt() + ", before its parent published at " + parent.occurredAt());
    }

    /** For {@link #QUIET}: the run counts of {@code counts}' images stay as they are. */
    private void assertNothingStartsFor(Map<String, Integer> counts, String why) {
        await().during(QUIET).atMost(QUIET.plusSeconds(10)).pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> {
                    Map<String, Integer> now = runCounts();
                    counts.forEach((id, n) -> assertEquals(n, now.get(id), "no run of " + id + " (" + why + ")"));
                });
    }

    /** The definition the production code computes from the folder on disk, as the watcher and the builder do. */
    private Definition definitionOnDisk(String id) {
        PlatformImage image = new DescriptorLoader(stack.platformImages)
                .load(stack.platformImages.resolve(id).resolve(PlatformImage.DESCRIPTOR_FILE));
        return image.definition();
    }

    // --- events, API, CLI, cards -------------------------------------------------------------------------------

    /** Runs started so far ({@code BaseImageUpdated} records) per chain image. */
    private Map<String, Integer> runCounts() {
        List<BaseImageUpdated> all = all(BaseImageUpdated.class, Topics.BASE_IMAGE_UPDATED);
        Map<String, Integer> counts = new java.util.LinkedHashMap<>();
        for (String id : CHAIN) {
            counts.put(id, (int) all.stream().filter(e -> e.imageId().equals(id)).count());
        }
        return counts;
    }

    private <T extends FreshenEvent> List<T> events(Class<T> type, String imageId) {
        return all(type, dev.freshen.events.EventType.of(type).topic()).stream()
                .filter(e -> e.imageId().equals(imageId)).sorted(Comparator.comparing(FreshenEvent::occurredAt)).toList();
    }

    private <T extends FreshenEvent> List<T> all(Class<T> type, String topic) {
        return topics.readAll(topic).stream().map(r -> EventJson.read(r.value(), type)).toList();
    }

    /** The first ImagePublished of {@code imageId} after its first {@code skip} ones. */
    private ImagePublished awaitPublished(String imageId, int skip) {
        return awaitEvent(ImagePublished.class, imageId, e -> true, skip);
    }

    private ImageVerified verified(String runId) {
        return all(ImageVerified.class, Topics.IMAGE_VERIFIED).stream().filter(e -> e.runId().equals(runId))
                .findFirst().orElseThrow(() -> new AssertionError("no ImageVerified of run " + runId));
    }

    private <T extends FreshenEvent> T awaitEvent(Class<T> type, String imageId, java.util.function.Predicate<T> match,
                                                  int skip) {
        List<T> found = new ArrayList<>();
        try {
            await().atMost(CHAIN_TIMEOUT).pollInterval(Duration.ofMillis(500)).until(() -> {
                found.clear();
                events(type, imageId).stream().skip(skip).filter(match).forEach(found::add);
                return !found.isEmpty();
            });
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("no " + type.getSimpleName() + " of " + imageId + " (after " + skip + ") within "
                    + CHAIN_TIMEOUT.toSeconds() + " s; runs of the chain: " + runCounts() + "; the watcher's view: "
                    + get("/api/v1/images/" + imageId) + "; failures: " + events(PipelineFailed.class, imageId));
        }
        return found.get(0);
    }

    private JsonNode get(String path) {
        return send("GET", path);
    }

    private JsonNode post(String path) {
        return send("POST", path);
    }

    private JsonNode send(String method, String path) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(stack.watcherUrl() + path))
                .header("Authorization", "Bearer " + stack.keys.get("default"))
                .method(method, HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(60)).build();
        try {
            HttpResponse<String> answer = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (answer.statusCode() != 200) {
                throw new AssertionError(method + " " + path + " answered " + answer.statusCode() + ": " + answer.body());
            }
            return JSON.readTree(answer.body());
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + path, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private MistakesCorpusIT.Output freshen(String... args) {
        List<String> command = new ArrayList<>(List.of(CLI.toString()));
        command.addAll(List.of(args));
        MistakesCorpusIT.Output out = MistakesCorpusIT.freshen(command, Map.of("FRESHEN_API", stack.watcherUrl(),
                "FRESHEN_KAFKA", KafkaBroker.bootstrapServers(), "FRESHEN_API_KEY", stack.keys.get("default")));
        System.out.println("CHAIN freshen " + String.join(" ", args) + " (exit " + out.exit() + "):\n" + out.stdout()
                + out.stderr());
        return out;
    }

    /** The text of the card about {@code imageId} with {@code word} (the first one), read by the official parser too. */
    private String awaitCard(String imageId, String word) {
        String[] body = {null};
        try {
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).until(() -> {
                for (WebhookReceiver.Request request : stack.receiver.requests(CorpusStack.TEAMS_PATH)) {
                    if (MistakesCorpusIT.about(request.body(), imageId)
                            && UserText.matches(MistakesCorpusIT.cardText(request.body()), word)) {
                        body[0] = request.body();
                        return true;
                    }
                }
                return false;
            });
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("no card about " + imageId + " with \"" + word + "\" within 60 s; the cards about it:\n"
                    + String.join("\n----\n", stack.receiver.requests(CorpusStack.TEAMS_PATH).stream()
                    .filter(r -> MistakesCorpusIT.about(r.body(), imageId)).map(r -> MistakesCorpusIT.cardText(r.body()))
                    .toList()));
        }
        OfficialCardParser.assertValid(body[0], "the card about " + imageId);
        String text = MistakesCorpusIT.cardText(body[0]);
        System.out.println("CHAIN card about " + imageId + ":\n" + text);
        return text;
    }

    // --- files -------------------------------------------------------------------------------------------------

    /** Replaces one file of image {@code id} at once (the watcher never reads it half written). */
    private void replace(String id, String file, String content) throws IOException {
        Path target = stack.platformImages.resolve(id).resolve(file);
        Path staging = Files.createTempFile(stack.platformImages.getParent(), "chain-edit-", ".tmp");
        Files.writeString(staging, content);
        Files.move(staging, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private void append(String id, String file, String line) {
        try {
            replace(id, file, Files.readString(stack.platformImages.resolve(id).resolve(file)) + line);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void seconds(String scenario, long startedNanos) {
        System.out.printf("CHAIN %s: %.1f s%n", scenario, (System.nanoTime() - startedNanos) / 1e9);
    }
}
