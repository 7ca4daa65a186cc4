package dev.freshen.watcher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import dev.freshen.events.BaseImage;
import dev.freshen.events.BaseImageUpdated;
import dev.freshen.events.FailureKind;
import dev.freshen.events.ForceUpdateRequested;
import dev.freshen.events.ImageBuilt;
import dev.freshen.events.ImagePublished;
import dev.freshen.events.ImageVerified;
import dev.freshen.events.PipelineFailed;
import dev.freshen.events.Stage;
import dev.freshen.events.StageTiming;
import dev.freshen.events.Trigger;
import dev.freshen.events.image.ImageReference;
import dev.freshen.testing.EventTopics;
import dev.freshen.testing.KafkaBroker;
import dev.freshen.testing.SampleEvents;
import dev.freshen.testing.ServiceProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The OpenAPI document the packaged watcher serves at {@code /q/openapi} against the answers it really gives: for
 * every documented operation, real requests (good ones and each mistake) get one of the documented statuses, with a
 * documented content type, and a body that validates against the documented schema (JSON Schema 2020-12, the dialect
 * of OpenAPI 3.1, with every object schema closed: an answer may hold no field the document does not name). Every
 * documented (operation, status) is produced at least once, except 503 (the run ledger still reading the topics after
 * a start; its body is the same problem schema as every other error).
 */
class WatcherApiContractIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final String DEFAULT_KEY = "contract-default-key-0123456789";
    private static final String CI_KEY = "contract-ci-pipeline-key-0123456789";
    private static final String IMAGE = "contract/app";
    private static final String BASED = "contract/based";
    private static final String INVALID = "contract/invalid";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Answers a test here cannot produce (a status, or an operation and status), and why. */
    private static final Map<String, String> UNREACHED = Map.of("503", "the run ledger is still reading the topics",
            "POST /api/v1/images/{id}/rollback 202", "needs published versions in a target registry: RollbackApiIT",
            "POST /api/v1/images/{id}/rollback 502", "needs an image with moving tags: RollbackPlannerTest");

    private static EventTopics topics;
    private static ServiceProcess watcher;
    private static JsonNode openApi;
    private static String publishedRun;
    private static String failedRun;

    /** One request: the operation it exercises, as the document names it, and what is sent. */
    record Call(String operation, String path, Map<String, String> headers, String body) {

        String method() {
            return operation.substring(0, operation.indexOf(' '));
        }

        String template() {
            return operation.substring(operation.indexOf(' ') + 1);
        }
    }

    @BeforeAll
    static void start(@TempDir Path platformImages) throws Exception {
        topics = new EventTopics(KafkaBroker.bootstrapServers());
        write(platformImages.resolve(IMAGE), "FROM scratch\nCOPY app /\n", "target: {repository: platform/contract-app, tagPrefix: \"10.0\"}\n");
        write(platformImages.resolve(BASED), "FROM 127.0.0.1:1/dotnet/runtime:10.0\n",
                "target: {repository: platform/contract-based, tagPrefix: \"10.0\"}\n");
        write(platformImages.resolve(INVALID), "FROM scratch\n", "target: {repository: platform/contract-invalid}\nnotfy: []\n");
        watcher = ServiceProcess.start(Paths.get("").toAbsolutePath(), Map.of(
                "kafka.bootstrap.servers", KafkaBroker.bootstrapServers(),
                "freshen.platform-images-dir", platformImages.toString(),
                "freshen.target-registry", "127.0.0.1:1",
                "freshen.registries.max-attempts", "1",
                "freshen.watcher.api-key", DEFAULT_KEY,
                "freshen.watcher.api-keys.ci-pipeline.key", CI_KEY,
                "freshen.watcher.check-on-start", "false"), TIMEOUT);
        seedRuns();
        openApi = JSON.readTree(send(new Call("GET /q/openapi", "/q/openapi?format=json", Map.of(), null)).body());
    }

    @AfterAll
    static void stop() {
        if (watcher != null) {
            watcher.close();
        }
        topics.close();
    }

    @Test
    void everyDocumentedOperationAnswersAsDocumented() throws Exception {
        Map<String, String> key = Map.of("Authorization", "Bearer " + CI_KEY);
        Map<String, String> json = Map.of("Authorization", "Bearer " + DEFAULT_KEY, "Content-Type", "application/json");
        List<Call> calls = List.of(
                new Call("GET /api/v1/images", "/api/v1/images", Map.of(), null),
                new Call("GET /api/v1/images/{id}", "/api/v1/images/" + IMAGE, Map.of(), null),
                new Call("GET /api/v1/images/{id}", "/api/v1/images/contract/ap", Map.of(), null),
                new Call("GET /api/v1/images/{id}", "/api/v1/images/contract/%2E%2E/etc", Map.of(), null),
                new Call("POST /api/v1/images/{id}/check", "/api/v1/images/" + IMAGE + "/check", key, null),
                new Call("POST /api/v1/images/{id}/check", "/api/v1/images/" + BASED + "/check", key, null),
                new Call("POST /api/v1/images/{id}/check", "/api/v1/images/" + IMAGE + "/check", Map.of(), null),
                new Call("POST /api/v1/images/{id}/check", "/api/v1/images/" + IMAGE + "/check",
                        Map.of("Authorization", "Bearer not-one-of-the-watchers-keys"), null),
                new Call("POST /api/v1/images/{id}/check", "/api/v1/images/contract/aap/check", key, null),
                new Call("POST /api/v1/images/{id}/check", "/api/v1/images/" + INVALID + "/check", key, null),
                new Call("GET /api/v1/images/{id}", "/api/v1/images/" + INVALID, Map.of(), null),
                new Call("POST /api/v1/images/{id}/check", "/api/v1/images/contract/../etc/check", key, null),
                new Call("POST /api/v1/images/{id}/force-update", "/api/v1/images/" + IMAGE + "/force-update", key, null),
                new Call("POST /api/v1/images/{id}/force-update", "/api/v1/images/" + INVALID + "/force-update", key, null),
                new Call("POST /api/v1/images/{id}/force-update", "/api/v1/images/" + IMAGE + "/force-update", json,
                        "{\"reason\": \"contract test\"}"),
                new Call("POST /api/v1/images/{id}/force-update", "/api/v1/images/" + IMAGE + "/force-update", json,
                        "{\"reasn\": \"typo\"}"),
                new Call("POST /api/v1/images/{id}/force-update", "/api/v1/images/" + IMAGE + "/force-update", json,
                        "reason: not json"),
                new Call("POST /api/v1/images/{id}/force-update", "/api/v1/images/" + IMAGE + "/force-update",
                        Map.of("Authorization", "Bearer " + CI_KEY, "Content-Type", "text/plain"), "please"),
                new Call("POST /api/v1/images/{id}/force-update", "/api/v1/images/" + IMAGE + "/force-update",
                        Map.of("Authorization", "Basic " + CI_KEY), null),
                new Call("POST /api/v1/images/{id}/force-update", "/api/v1/images/contract/nope/force-update", key, null),
                new Call("POST /api/v1/images/{id}/force-update", "/api/v1/images/contract%2Fapp/force-update", key, null),
                new Call("POST /api/v1/images/{id}/rollback", "/api/v1/images/" + IMAGE + "/rollback", key, null),
                new Call("POST /api/v1/images/{id}/rollback", "/api/v1/images/" + INVALID + "/rollback", key, null),
                new Call("POST /api/v1/images/{id}/rollback", "/api/v1/images/" + IMAGE + "/rollback", json,
                        "{\"to\": 1}"),
                new Call("POST /api/v1/images/{id}/rollback", "/api/v1/images/" + IMAGE + "/rollback",
                        Map.of("Authorization", "Bearer " + CI_KEY, "Content-Type", "text/plain"), "1.0.0"),
                new Call("POST /api/v1/images/{id}/rollback", "/api/v1/images/" + IMAGE + "/rollback", Map.of(), null),
                new Call("POST /api/v1/images/{id}/rollback", "/api/v1/images/contract/nope/rollback", key, null),
                new Call("GET /api/v1/runs", "/api/v1/runs", Map.of(), null),
                new Call("GET /api/v1/runs", "/api/v1/runs?image=" + IMAGE + "&limit=50", Map.of(), null),
                new Call("GET /api/v1/runs", "/api/v1/runs?limit=0", Map.of(), null),
                new Call("GET /api/v1/runs", "/api/v1/runs?limit=many", Map.of(), null),
                new Call("GET /api/v1/runs", "/api/v1/runs?image=..%2Fetc", Map.of(), null),
                new Call("GET /api/v1/runs", "/api/v1/runs?image=contract/aps", Map.of(), null),
                new Call("GET /api/v1/runs/{id}", "/api/v1/runs/" + publishedRun, Map.of(), null),
                new Call("GET /api/v1/runs/{id}", "/api/v1/runs/" + failedRun, Map.of(), null),
                new Call("GET /api/v1/runs/{id}", "/api/v1/runs/f-000000000000000000000000", Map.of(), null),
                new Call("GET /api/v1/runs/{id}", "/api/v1/runs/Not_A_Run", Map.of(), null));

        List<String> errors = new ArrayList<>();
        Set<String> seen = new TreeSet<>();
        for (Call call : calls) {
            JsonNode operation = openApi.path("paths").path(call.template()).path(call.method().toLowerCase());
            if (operation.isMissingNode()) {
                errors.add(call.operation() + " is not in the document");
                continue;
            }
            HttpResponse<String> response = send(call);
            String status = String.valueOf(response.statusCode());
            String where = call.method() + " " + call.path() + " -> " + status;
            seen.add(call.operation() + " " + status);
            JsonNode documented = resolve(operation.path("responses").path(status));
            if (documented.isMissingNode()) {
                errors.add(where + " is not a documented answer of " + call.operation() + " (documents "
                        + names(operation.path("responses")) + "): " + response.body());
                continue;
            }
            String type = response.headers().firstValue("Content-Type").orElse("").replaceAll(";.*", "").strip();
            JsonNode content = documented.path("content");
            if (content.isMissingNode()) {
                if (!response.body().isEmpty()) {
                    errors.add(where + ": the document says no body, the answer has " + response.body());
                }
                continue;
            }
            if (content.path(type).isMissingNode()) {
                errors.add(where + ": answered " + type + ", the document says " + names(content));
                continue;
            }
            JsonNode body = JSON.readTree(response.body());
            for (ValidationMessage message : schema(content.path(type).path("schema")).validate(body)) {
                errors.add(where + ": " + message.getMessage() + " in " + response.body());
            }
            if (response.statusCode() >= 400) {
                errors.addAll(plainWords(where, body));
            }
            if (response.statusCode() == 401 && response.headers().firstValue("WWW-Authenticate").isEmpty()) {
                errors.add(where + ": no WWW-Authenticate header");
            }
        }
        for (Iterator<Map.Entry<String, JsonNode>> paths = openApi.path("paths").fields(); paths.hasNext(); ) {
            var path = paths.next();
            for (Iterator<Map.Entry<String, JsonNode>> methods = path.getValue().fields(); methods.hasNext(); ) {
                var method = methods.next();
                String operation = method.getKey().toUpperCase() + " " + path.getKey();
                for (Iterator<String> statuses = method.getValue().path("responses").fieldNames(); statuses.hasNext(); ) {
                    String status = statuses.next();
                    if (!seen.contains(operation + " " + status) && !UNREACHED.containsKey(status)
                            && !UNREACHED.containsKey(operation + " " + status)) {
                        errors.add(operation + " documents " + status + ", which no request of this test produced");
                    }
                }
            }
        }
        assertTrue(errors.isEmpty(), "the API and its OpenAPI document disagree:\n  " + String.join("\n  ", errors));
    }

    @Test
    void theDocumentDescribesTheBearerSchemeTheOptionalBodyAndStringDigests() {
        JsonNode scheme = openApi.path("components").path("securitySchemes").path("apiKey");
        assertEquals("http", scheme.path("type").asText());
        assertEquals("bearer", scheme.path("scheme").asText());
        JsonNode forceUpdate = openApi.path("paths").path("/api/v1/images/{id}/force-update").path("post");
        assertTrue(forceUpdate.path("security").toString().contains("apiKey"), forceUpdate.toString());
        assertTrue(openApi.path("paths").path("/api/v1/images/{id}/check").path("post").path("security").toString()
                .contains("apiKey"));
        assertTrue(openApi.path("paths").path("/api/v1/images").path("get").path("security").isMissingNode(),
                "reads need no key");
        assertEquals(false, forceUpdate.path("requestBody").path("required").asBoolean(true));
        assertTrue(forceUpdate.path("requestBody").path("content").has("application/json"));
        assertTrue(forceUpdate.path("responses").has("202") && !forceUpdate.path("responses").has("200"));
        JsonNode schemas = openApi.path("components").path("schemas");
        for (String value : List.of("Digest", "ImageReference", "Instant", "Stage", "FailureKind")) {
            assertEquals("string", schemas.path(value).path("type").asText(), value + ": " + schemas.path(value));
        }
        assertTrue(schemas.path("JsonNode").isMissingNode(), "no Java internals in the document");
    }

    @Test
    void aForcedRunRecordsTheNameOfTheKeyThatAskedNeverTheKey() throws Exception {
        HttpResponse<String> response = send(new Call("POST x", "/api/v1/images/" + IMAGE + "/force-update",
                Map.of("Authorization", "Bearer " + CI_KEY, "Content-Type", "application/json"), "{\"reason\": \"who asked\"}"));
        assertEquals(202, response.statusCode(), response.body());
        String runId = JSON.readTree(response.body()).path("runId").asText();
        ForceUpdateRequested forced = topics.awaitEvent(ForceUpdateRequested.class, e -> e.runId().equals(runId), TIMEOUT);
        assertEquals("api:ci-pipeline", forced.requestedBy());
        assertEquals("who asked", forced.reason());

        HttpResponse<String> byDefault = send(new Call("POST x", "/api/v1/images/" + IMAGE + "/force-update",
                Map.of("Authorization", "bearer " + DEFAULT_KEY), null));
        assertEquals(202, byDefault.statusCode(), byDefault.body());
        String defaultRun = JSON.readTree(byDefault.body()).path("runId").asText();
        assertEquals("api:default", topics.awaitEvent(ForceUpdateRequested.class, e -> e.runId().equals(defaultRun),
                TIMEOUT).requestedBy());

        HttpResponse<String> wrong = send(new Call("POST x", "/api/v1/images/" + IMAGE + "/force-update",
                Map.of("Authorization", "Bearer " + CI_KEY + "x"), null));
        assertEquals(401, wrong.statusCode());
        JsonNode problem = JSON.readTree(wrong.body());
        assertEquals("wrong-api-key", problem.path("code").asText());
        assertTrue(problem.path("hint").asText().contains("FRESHEN_API_KEY"), wrong.body());
        assertTrue(!wrong.body().contains(CI_KEY) && !watcher.logText().contains(CI_KEY) && !watcher.logText()
                .contains(DEFAULT_KEY), "a key is never echoed nor logged");
    }

    @Test
    void anUnknownImageIsTheSameProblemOnEveryEndpoint() throws Exception {
        Map<String, String> key = Map.of("Authorization", "Bearer " + CI_KEY);
        List<JsonNode> answers = new ArrayList<>();
        for (Call call : List.of(new Call("GET x", "/api/v1/images/contract/ap", Map.of(), null),
                new Call("POST x", "/api/v1/images/contract/ap/check", key, null),
                new Call("POST x", "/api/v1/images/contract/ap/force-update", key, null),
                new Call("GET x", "/api/v1/runs?image=contract/ap", Map.of(), null))) {
            HttpResponse<String> response = send(call);
            assertEquals(404, response.statusCode(), call.path() + ": " + response.body());
            assertEquals("application/problem+json", response.headers().firstValue("Content-Type").orElse(""));
            answers.add(JSON.readTree(response.body()));
        }
        JsonNode first = answers.get(0);
        assertEquals("unknown-image", first.path("code").asText());
        assertEquals("https://freshen.dev/problems/unknown-image", first.path("type").asText());
        assertEquals("unknown platform image 'contract/ap'", first.path("detail").asText());
        assertEquals("did you mean contract/app?", first.path("hint").asText());
        assertEquals(List.of(IMAGE), JSON.convertValue(first.path("suggestions"), List.class));
        answers.forEach(answer -> assertEquals(first, answer));
    }

    @Test
    void aShortKeyStopsTheWatcherAtStartNamingTheSettingNeverTheKey(@TempDir Path platformImages) {
        ServiceProcess.Exit exit = ServiceProcess.startExpectingExit(Paths.get("").toAbsolutePath(), Map.of(
                "kafka.bootstrap.servers", KafkaBroker.bootstrapServers(),
                "freshen.platform-images-dir", platformImages.toString(),
                "freshen.target-registry", "127.0.0.1:1",
                "freshen.watcher.api-keys.ci.key", "too-short-key"), TIMEOUT);
        assertTrue(exit.code() != 0, exit.log());
        assertTrue(exit.log().contains("freshen.watcher.api-keys.ci.key (FRESHEN_WATCHER_API_KEYS_CI_KEY) is 13 characters "
                + "long; an API key needs at least 16"), exit.log());
        assertTrue(!exit.log().contains("too-short-key"), "the key is never logged");
    }

    /** The check above can fail: bodies the document forbids do not validate. */
    @Test
    void theSchemasRejectWhatTheDocumentForbids() throws Exception {
        JsonNode runDetail = JSON.readTree("{\"$ref\": \"#/components/schemas/RunDetail\"}");
        JsonNode good = JSON.readTree(send(new Call("GET x", "/api/v1/runs/" + publishedRun, Map.of(), null)).body());
        assertEquals(Set.of(), schema(runDetail).validate(good));
        for (String wrong : List.of(
                "{\"published\": {\"image\": {\"registry\": \"r\"}}}",   // a reference as an object
                "{\"published\": {\"tags\": \"latest\"}}",              // a list as a string
                "{\"state\": null}",                                     // a required field null
                "{\"state\": \"DONE\"}",                                 // not one of the states
                "{\"startedAt\": \"yesterday\"}",                        // not a date-time
                "{\"stages\": [{\"baseImages\": [{\"digest\": \"sha256:short\"}]}]}",
                "{\"unknownField\": 1}")) {
            ObjectNode bad = good.deepCopy();
            JsonNode change = JSON.readTree(wrong);
            change.fields().forEachRemaining(f -> {
                if (f.getValue().isObject() && bad.path(f.getKey()).isObject()) {
                    ((ObjectNode) bad.get(f.getKey())).setAll((ObjectNode) f.getValue());
                } else if (f.getKey().equals("stages")) {
                    ((ObjectNode) bad.get("stages").get(0)).setAll((ObjectNode) f.getValue().get(0));
                } else {
                    bad.set(f.getKey(), f.getValue());
                }
            });
            assertTrue(!schema(runDetail).validate(bad).isEmpty(), "validates although it should not: " + wrong);
        }
        JsonNode problem = JSON.readTree("{\"$ref\": \"#/components/schemas/Problem\"}");
        assertTrue(!schema(problem).validate(JSON.readTree("{\"error\": \"unknown run\"}")).isEmpty(),
                "the old {\"error\": …} shape is not a problem");
    }

    // ---- the document

    /** A response, following {@code $ref: #/components/responses/<name>}. */
    private static JsonNode resolve(JsonNode response) {
        String ref = response.path("$ref").asText(null);
        return ref == null ? response : openApi.at(ref.substring(1));
    }

    /**
     * A JSON Schema for one schema of the document: the document's component schemas under {@code components}, so that
     * its {@code $ref}s resolve, every object schema closed ({@code additionalProperties: false}) unless it says
     * otherwise, and date-time and uri formats checked.
     */
    private static JsonSchema schema(JsonNode schema) {
        return schema(openApi, schema);
    }

    /** {@link #schema(JsonNode)} of the document {@code openApi} (also for the other ITs of the watcher's answers). */
    static JsonSchema schema(JsonNode openApi, JsonNode schema) {
        ObjectNode root = JSON.createObjectNode();
        root.put("$schema", "https://json-schema.org/draft/2020-12/schema");
        ObjectNode schemas = openApi.path("components").path("schemas").deepCopy();
        schemas.forEach(WatcherApiContractIT::close);
        root.putObject("components").set("schemas", schemas);
        root.putArray("allOf").add(schema);
        SchemaValidatorsConfig config = SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build();
        return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(root, config);
    }

    private static void close(JsonNode schema) {
        if (schema instanceof ObjectNode object && object.has("properties") && !object.has("additionalProperties")) {
            object.put("additionalProperties", false);
        }
    }

    private static List<String> plainWords(String where, JsonNode problem) {
        List<String> errors = new ArrayList<>();
        String text = problem.path("detail").asText() + " " + problem.path("hint").asText() + " " + problem.path("title").asText();
        if (text.matches("(?s).*(\\b(java|jakarta|io|dev|com|org)\\.[a-z]+\\.|Exception|\\$|\\bPT\\d).*")) {
            errors.add(where + ": a class name or an ISO-8601 duration in " + problem);
        }
        if (problem.path("hint").asText().isBlank()) {
            errors.add(where + ": no hint in " + problem);
        }
        return errors;
    }

    private static List<String> names(JsonNode object) {
        List<String> names = new ArrayList<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }

    // ---- the watcher

    private static HttpResponse<String> send(Call call) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(watcher.baseUri() + call.path()))
                .timeout(Duration.ofSeconds(30));
        call.headers().forEach(request::header);
        request.method(call.method(), call.body() == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(call.body()));
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A published run triggered by a base update, and a failed forced run, as the other stages write them. */
    private static void seedRuns() throws Exception {
        Instant t0 = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        BaseImage base = new BaseImage(ImageReference.parse("127.0.0.1:1/dotnet/runtime:10.0"), SampleEvents.digest('2'),
                null, dev.freshen.events.image.Platform.LINUX_AMD64).withPlatforms(List.of(
                new dev.freshen.events.BasePlatform(dev.freshen.events.image.Platform.LINUX_AMD64, SampleEvents.digest('2'), null),
                new dev.freshen.events.BasePlatform(dev.freshen.events.image.Platform.parse("linux/arm64"),
                        SampleEvents.digest('4'), SampleEvents.digest('5')))); // a multi-platform run's base
        publishedRun = SampleEvents.runId();
        BaseImageUpdated update = new BaseImageUpdated(publishedRun, IMAGE, 1, t0, List.of(base), "sha256:content");
        ImageReference candidate = ImageReference.parse("127.0.0.1:1/platform/contract-app@" + SampleEvents.digest('3'));
        List<StageTiming> timings = List.of(new StageTiming(Stage.BUILD, t0, t0.plusSeconds(30)));
        ImageBuilt built = new ImageBuilt(publishedRun, IMAGE, 1, t0.plusSeconds(30), Trigger.baseImageUpdated(),
                List.of(base), candidate, List.of("a warning"), timings);
        ImageVerified verified = new ImageVerified(publishedRun, IMAGE, 1, t0.plusSeconds(60), built.trigger(),
                built.baseImages(), candidate, SampleEvents.imageVerified().checks(), timings);
        ImagePublished published = new ImagePublished(publishedRun, IMAGE, 1, t0.plusSeconds(65), built.trigger(),
                built.baseImages(), candidate.withTag("10.0-1.0.0"), "1.0.0", List.of("10.0-1.0.0", "latest"), timings);
        failedRun = "f-" + Long.toString(System.nanoTime(), 16);
        ForceUpdateRequested forced = new ForceUpdateRequested(failedRun, IMAGE, 1, t0.plusSeconds(70), null, "cli:alice");
        PipelineFailed failed = new PipelineFailed(failedRun, IMAGE, 1, t0.plusSeconds(80), Stage.BUILD,
                FailureKind.PERMANENT, "step 2/3 RUN apk add: exit code 1", "log", forced.trigger());
        for (var event : List.of(update, built, verified, published, forced, failed)) {
            topics.send(event);
        }
        await().atMost(TIMEOUT).until(() -> send(new Call("GET x", "/api/v1/runs/" + failedRun, Map.of(), null))
                .body().contains("FAILED") && send(new Call("GET x", "/api/v1/runs/" + publishedRun, Map.of(), null))
                .body().contains("PUBLISHED"));
    }

    private static void write(Path folder, String dockerfile, String descriptor) throws IOException {
        Files.createDirectories(folder);
        Files.writeString(folder.resolve("Dockerfile"), dockerfile);
        Files.writeString(folder.resolve("platform-image.yaml"), descriptor);
    }
}
