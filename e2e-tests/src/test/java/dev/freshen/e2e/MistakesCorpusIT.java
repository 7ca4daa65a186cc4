package dev.freshen.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.freshen.testing.Commands;
import dev.freshen.testing.KafkaBroker;
import dev.freshen.testing.WebhookReceiver;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The mistakes corpus: user mistakes, one folder each under {@code src/test/resources/mistakes/<NN-name>/}, played
 * against the whole local stack ({@link CorpusStack}: the five packaged services, Kafka, a registry, a Teams double)
 * as a user makes them, each with the exact places the answer must appear (the API, the {@code freshen} command, a
 * card, {@code freshen status}) and the words it must and must not contain. docs/testing.md describes the format of
 * {@code case.yaml} and how to add a case; a key the format does not have fails the case (a misspelt expectation
 * would otherwise check nothing).
 *
 * <p>Each case prints what each step got back, and the corpus ends with a table of the cases (channels checked,
 * pass or FAIL, seconds), also written to {@code target/mistakes-corpus.txt}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Order(3) // after ChainIT and MultiPlatformIT, on the same stack
class MistakesCorpusIT {

    /** The case folders; {@code -Dcorpus.cases=<folder>} reads them from elsewhere. */
    static final Path CASES = Path.of(System.getProperty("corpus.cases",
            Commands.repositoryRoot().resolve("e2e-tests/src/test/resources/mistakes").toString()));
    /** {@code -Dcorpus.only=<regex>}: only the cases whose folder name matches (e.g. {@code 1[5-7]-.*}). */
    private static final Pattern ONLY = Pattern.compile(System.getProperty("corpus.only", ".*"));
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration RUN_TIMEOUT = Duration.ofMinutes(4);
    private static final Duration RESCAN_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration CARD_TIMEOUT = Duration.ofSeconds(60);
    private static final Path CLI = Commands.repositoryRoot().resolve("freshen-cli/target/freshen");
    /** The members of a card that hold what a reader sees. */
    private static final Set<String> TEXTS = Set.of("text", "title", "value");
    /** The keys of a step that say how to do it, not what to do. */
    private static final Set<String> OPTIONS = Set.of("expect", "key", "env", "to", "state", "channel", "settings",
            "drop", "body", "content-type", "headers");
    /** The keys of a case. */
    private static final Set<String> CASE_KEYS = Set.of("mistake", "note", "images", "steps");
    /** What each step that checks an answer may expect; the other steps expect nothing. */
    private static final Map<String, Set<String>> EXPECT = Map.of(
            "api", Set.of("status", "code", "detail", "hint", "json", "contains", "headers", "not-contains"),
            "cli", Set.of("exit", "stdout", "stderr", "output", "not-contains"),
            "status", Set.of("line", "block", "not-contains"),
            "card", Set.of("contains", "count", "not-contains"));

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    /** "Exactly n cards" claims, checked again once every case has run (a card announced twice comes late). */
    private final List<CardClaim> claims = new ArrayList<>();
    private final Set<String> validatedCards = new LinkedHashSet<>();
    private CorpusStack stack;
    /** What each step of the running case got back, printed after it (target/failsafe-reports/*-output.txt). */
    private final StringBuilder transcript = new StringBuilder();

    /** The channels the running case has checked so far, for the table. */
    private final Set<String> channels = new LinkedHashSet<>();
    private final List<String> rows = new ArrayList<>();

    private record CardClaim(String folder, String channel, String imageId, List<String> words, int count) {
    }

    @BeforeAll
    void startStack() throws IOException {
        Map<String, String> owners = new HashMap<>();
        for (String folder : cases().toList()) {
            for (JsonNode id : read(folder).path("images")) {
                String other = owners.put(id.asText(), folder);
                if (other != null) {
                    fail("cases " + other + " and " + folder + " both use the image id " + id.asText()
                            + ": give each case its own ids");
                }
            }
        }
        stack = CorpusStack.shared();
    }

    @AfterAll
    void stopStack() throws IOException {
        CorpusStack.closeShared(); // ChainIT and MultiPlatformIT, which share it, run before this class
        if (rows.isEmpty()) {
            return;
        }
        StringBuilder table = new StringBuilder("\nMistakes corpus\n");
        table.append("%-44s %-22s %-6s %7s%n".formatted("CASE", "CHANNELS", "RESULT", "TIME"));
        rows.forEach(table::append);
        long passed = rows.stream().filter(r -> r.contains(" pass ")).count();
        table.append("%d of %d cases passed%n".formatted(passed, rows.size()));
        System.out.print(table);
        Files.writeString(Commands.repositoryRoot().resolve("e2e-tests/target/mistakes-corpus.txt"), table.toString());
    }

    static Stream<String> cases() {
        try (Stream<Path> dirs = Files.list(CASES)) {
            return dirs.filter(d -> Files.isRegularFile(d.resolve("case.yaml"))).map(d -> d.getFileName().toString())
                    .filter(name -> ONLY.matcher(name).matches()).sorted().toList().stream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    @Order(1)
    void mistake(String folder) {
        JsonNode spec = read(folder);
        long started = System.nanoTime();
        transcript.setLength(0);
        channels.clear();
        boolean passed = false;
        try {
            validate(folder, spec);
            int n = 0;
            for (JsonNode step : spec.path("steps")) {
                n++;
                try {
                    run(folder, step);
                } catch (AssertionError | RuntimeException e) {
                    throw new AssertionError("[" + folder + "] step " + n + " (" + describe(step) + "): "
                            + e.getMessage(), e);
                }
            }
            passed = true;
        } finally {
            stack.restoreSettings();
            double seconds = (System.nanoTime() - started) / 1e9;
            rows.add("%-44s %-22s %-6s %6.1fs%n".formatted(folder, String.join(",", channels), passed ? "pass" : "FAIL",
                    seconds));
            System.out.printf("CORPUS %s: %s, %.1f s%n%s", folder, passed ? "pass" : "FAIL", seconds, transcript);
        }
    }

    /** Fails on a key the format does not have, and on a case that checks no answer. */
    private static void validate(String folder, JsonNode spec) {
        spec.fieldNames().forEachRemaining(key -> {
            if (!CASE_KEYS.contains(key)) {
                throw new IllegalArgumentException("[" + folder + "] case.yaml: unknown key '" + key + "' (keys: "
                        + String.join(", ", new java.util.TreeSet<>(CASE_KEYS)) + ")");
            }
        });
        if (spec.path("mistake").asText("").isBlank()) {
            throw new IllegalArgumentException("[" + folder + "] case.yaml: say the mistake ('mistake:')");
        }
        boolean checks = false;
        for (JsonNode step : spec.path("steps")) {
            String action = action(step);
            Set<String> allowed = EXPECT.getOrDefault(action, Set.of());
            checks |= !allowed.isEmpty();
            step.path("expect").fieldNames().forEachRemaining(key -> {
                if (!allowed.contains(key)) {
                    throw new IllegalArgumentException("[" + folder + "] case.yaml: step '" + describe(step)
                            + "' cannot expect '" + key + "'" + (allowed.isEmpty() ? "" : " (it may expect: "
                            + String.join(", ", new java.util.TreeSet<>(allowed)) + ")"));
                }
            });
        }
        if (!checks) {
            throw new IllegalArgumentException("[" + folder + "] case.yaml: no step checks an answer (api, cli, "
                    + "status or card)");
        }
    }

    @Test
    @Order(2)
    void everyCardWasPostedExactlyAsOftenAsItsCaseSays() {
        List<String> wrong = new ArrayList<>();
        for (CardClaim claim : claims) {
            int now = cards(claim.channel(), claim.imageId(), claim.words()).size();
            if (now != claim.count()) {
                wrong.add("[" + claim.folder() + "] " + now + " card(s) on " + claim.channel() + " for "
                        + claim.imageId() + " with " + claim.words() + " at the end, expected " + claim.count());
            }
        }
        if (!wrong.isEmpty()) {
            fail(String.join("\n", wrong));
        }
    }

    // --- the steps ---------------------------------------------------------------------------------------------

    private void run(String folder, JsonNode step) {
        String action = action(step);
        String value = expand(step.path(action).asText());
        JsonNode expect = step.path("expect");
        if (EXPECT.containsKey(action)) {
            channels.add(action);
        }
        switch (action) {
            case "files" -> writeFiles(CASES.resolve(folder).resolve(value), required(step, "to"));
            case "remove" -> remove(value);
            case "await-image" -> awaitImage(value, step.path("state").asText("watched"));
            case "await-run" -> awaitRun(value, step.path("state").asText("published"));
            case "restart" -> restart(value, step);
            case "api" -> api(value, step, expect);
            case "cli" -> cli(value, step, expect);
            case "status" -> status(value, expect);
            case "card" -> card(folder, value, step.path("channel").asText("teams"), expect);
            default -> throw new IllegalArgumentException("unknown step '" + action + "'");
        }
    }

    /** Copies the case's folder {@code from} to {@code to} under the platform-images root, the descriptor last. */
    private void writeFiles(Path from, String to) {
        Path target = stack.platformImages.resolve(to);
        try {
            Path staging = Files.createTempDirectory(stack.platformImages.getParent(), "corpus-staging-");
            List<Path> files;
            try (Stream<Path> walk = Files.walk(from)) {
                files = walk.filter(Files::isRegularFile).toList();
            }
            for (Path file : files) {
                Path copy = staging.resolve(from.relativize(file).toString());
                Files.createDirectories(copy.getParent());
                Files.writeString(copy, expand(Files.readString(file)));
                // the modes as they are (0744 stays 0744): the build context keeps them, as the docker CLI does
                Files.setPosixFilePermissions(copy, Files.getPosixFilePermissions(file));
            }
            if (!Files.exists(target)) {
                // a new folder appears at once, never half written (the watcher rescans every second)
                Files.createDirectories(target.getParent());
                Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
                return;
            }
            List<Path> staged = files.stream().map(f -> from.relativize(f).toString()).map(Path::of)
                    .sorted((a, b) -> Boolean.compare(a.endsWith("platform-image.yaml"), b.endsWith("platform-image.yaml")))
                    .toList();
            for (Path relative : staged) {
                Path dest = target.resolve(relative.toString());
                Files.createDirectories(dest.getParent());
                Files.move(staging.resolve(relative.toString()), dest, StandardCopyOption.REPLACE_EXISTING,
                        StandardCopyOption.ATOMIC_MOVE);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void remove(String path) {
        Path target = stack.platformImages.resolve(path);
        try (Stream<Path> walk = Files.walk(target)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A rescan wait: until the watcher shows {@code id} in {@code state} ({@code watched}, {@code invalid}, {@code unknown}). */
    private void awaitImage(String id, String state) {
        String[] last = {"nothing"};
        try {
            await().atMost(RESCAN_TIMEOUT).pollInterval(Duration.ofMillis(250)).until(() -> {
                HttpResponse<String> answer = send("GET", "/api/v1/images/" + id, Map.of(), null);
                last[0] = answer.statusCode() + " " + answer.body();
                if (state.equals("unknown")) {
                    return answer.statusCode() == 404;
                }
                return answer.statusCode() == 200 && JSON.readTree(answer.body()).path("state").asText().equals(state);
            });
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("the watcher did not show " + id + " as " + state + " within "
                    + RESCAN_TIMEOUT.toSeconds() + " s; GET /api/v1/images/" + id + " answered at last: " + last[0]);
        }
    }

    /** Until a run of {@code id} has ended in {@code state} ({@code published} or {@code failed}). */
    private void awaitRun(String id, String state) {
        String[] last = {"nothing"};
        try {
            await().atMost(RUN_TIMEOUT).pollInterval(Duration.ofSeconds(1)).until(() -> {
                HttpResponse<String> answer = send("GET", "/api/v1/runs?image=" + id, Map.of(), null);
                last[0] = answer.statusCode() + " " + answer.body();
                if (answer.statusCode() != 200) {
                    return false;
                }
                for (JsonNode run : JSON.readTree(answer.body()).path("runs")) {
                    if (run.path("state").asText().equalsIgnoreCase(state)) {
                        return true;
                    }
                }
                return false;
            });
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("no run of " + id + " ended " + state + " within " + RUN_TIMEOUT.toSeconds()
                    + " s; GET /api/v1/runs?image=" + id + " answered at last: " + last[0]);
        }
    }

    private void restart(String service, JsonNode step) {
        Map<String, String> settings = new LinkedHashMap<>();
        step.path("settings").fields().forEachRemaining(e -> settings.put(e.getKey(), expand(e.getValue().asText())));
        List<String> drop = new ArrayList<>();
        step.path("drop").forEach(d -> drop.add(d.asText()));
        stack.restartWith(service, settings, drop);
    }

    /** {@code api: METHOD /path}: one request to the watcher's API, and what its answer must say. */
    private void api(String request, JsonNode step, JsonNode expect) throws AssertionError {
        String[] parts = request.split(" ", 2);
        String method = parts[0];
        String path = parts[1];
        Map<String, String> headers = new LinkedHashMap<>();
        String key = step.path("key").asText(method.equals("GET") ? "none" : "default");
        if (!key.equals("none")) {
            headers.put("Authorization", "Bearer " + key(key));
        }
        step.path("headers").fields().forEachRemaining(e -> headers.put(e.getKey(), expand(e.getValue().asText())));
        if (step.has("content-type")) {
            headers.put("Content-Type", step.path("content-type").asText());
        }
        String body = step.has("body") ? expand(step.path("body").asText()) : null;
        HttpResponse<String> answer = send(method, path, headers, body);
        String where = method + " " + path + " answered " + answer.statusCode() + " "
                + answer.headers().firstValue("Content-Type").orElse("") + " " + answer.body();
        note(where);
        if (expect.has("status")) {
            assertEquals(expect.path("status").asInt(), answer.statusCode(), where);
        }
        JsonNode json;
        try {
            json = answer.body().isBlank() ? JSON.createObjectNode() : JSON.readTree(answer.body());
        } catch (IOException e) {
            throw new AssertionError(where + ": the answer is not JSON");
        }
        if (answer.statusCode() >= 400) {
            // every error is a problem that names the cause and the fix
            assertEquals("application/problem+json", answer.headers().firstValue("Content-Type").orElse("")
                    .replaceAll(";.*", ""), where);
            assertEquals("https://freshen.dev/problems/" + json.path("code").asText(), json.path("type").asText(), where);
            assertEquals(answer.statusCode(), json.path("status").asInt(), where);
            if (json.path("detail").asText("").isBlank() || json.path("hint").asText("").isBlank()) {
                fail(where + ": a problem without a detail or a hint");
            }
        }
        if (expect.has("code")) {
            assertEquals(expect.path("code").asText(), json.path("code").asText(), where);
        }
        for (String member : List.of("detail", "hint")) {
            if (expect.has(member)) {
                UserText.assertContains(member + " of " + where, json.path(member).asText(), words(expect.path(member)));
            }
        }
        expect.path("json").fields().forEachRemaining(e -> field(json, e.getKey(), e.getValue(), where));
        UserText.assertContains(where, answer.body(), words(expect.path("contains")));
        expect.path("headers").fields().forEachRemaining(e -> UserText.assertContains(e.getKey() + " header of " + where,
                answer.headers().firstValue(e.getKey()).orElse(""), words(e.getValue())));
        UserText.assertClean(where, answer.body(), words(expect.path("not-contains")), secrets());
    }

    /**
     * One member of a JSON answer, by JSON pointer: a list of words it must contain, {@code null} for absent or null,
     * else the value it must equal.
     */
    private void field(JsonNode json, String pointer, JsonNode expected, String where) {
        JsonNode actual = json.at(pointer);
        String what = pointer + " of " + where;
        if (expected.isNull()) {
            if (!actual.isMissingNode() && !actual.isNull()) {
                fail(what + ": expected none, is " + actual);
            }
        } else if (expected.isArray()) {
            if (!actual.isValueNode()) {
                fail(what + ": expected a text, is " + (actual.isMissingNode() ? "absent" : actual));
            }
            UserText.assertContains(what, actual.asText(), words(expected));
        } else {
            assertEquals(expand(expected.asText()), actual.isMissingNode() ? "(absent)" : actual.asText(), what);
        }
    }

    /** {@code cli: <args>}: the packaged {@code freshen} command, with the watcher, Kafka and a key from the environment. */
    private void cli(String args, JsonNode step, JsonNode expect) {
        List<String> command = new ArrayList<>(List.of(CLI.toString()));
        command.addAll(split(args));
        Map<String, String> env = new LinkedHashMap<>();
        env.put("FRESHEN_API", stack.watcherUrl());
        env.put("FRESHEN_KAFKA", KafkaBroker.bootstrapServers());
        String key = step.path("key").asText("default");
        if (!key.equals("none")) {
            env.put("FRESHEN_API_KEY", key(key));
        }
        step.path("env").fields().forEachRemaining(e -> env.put(e.getKey(), expand(e.getValue().asText())));
        env.entrySet().removeIf(e -> e.getValue().isEmpty());
        Output out = freshen(command, env);
        String where = "freshen " + args + " (exit " + out.exit() + ")\n  stdout:\n" + UserText.indent(out.stdout())
                + "\n  stderr:\n" + UserText.indent(out.stderr()) + "\n ";
        note(where);
        if (expect.has("exit")) {
            assertEquals(expect.path("exit").asInt(), out.exit(), where);
        }
        UserText.assertContains("stdout of " + where, out.stdout(), words(expect.path("stdout")));
        UserText.assertContains("stderr of " + where, out.stderr(), words(expect.path("stderr")));
        UserText.assertContains("output of " + where, out.stdout() + out.stderr(), words(expect.path("output")));
        UserText.assertClean(where, out.stdout() + "\n" + out.stderr(), words(expect.path("not-contains")), secrets());
    }

    /** {@code status: <id>}: {@code freshen status}, its line for the image and the block of its problems. */
    private void status(String id, JsonNode expect) {
        Output out = freshen(List.of(CLI.toString(), "status"),
                Map.of("FRESHEN_API", stack.watcherUrl(), "FRESHEN_KAFKA", KafkaBroker.bootstrapServers()));
        String where = "freshen status (exit " + out.exit() + "):\n" + UserText.indent(out.stdout() + out.stderr());
        assertEquals(0, out.exit(), where);
        String line = out.stdout().lines().filter(l -> l.startsWith(id + " ")).findFirst()
                .orElseThrow(() -> new AssertionError(where + "\nhas no line for " + id));
        String header = "\n" + id + " is not watched";
        int start = out.stdout().indexOf(header);
        int end = start < 0 ? -1 : out.stdout().indexOf("\n\n", start + 1);
        String block = start < 0 ? "" : out.stdout().substring(start + 1, end < 0 ? out.stdout().length() : end);
        note("freshen status, the line of " + id + ":\n" + line + (block.isEmpty() ? "" : "\n" + block));
        UserText.assertContains("the line of " + id + " in " + where, line, words(expect.path("line")));
        if (expect.has("block")) {
            if (block.isEmpty()) {
                fail(where + "\nhas no problems of " + id);
            }
            UserText.assertContains("the problems of " + id + " in " + where, block, words(expect.path("block")));
        }
        UserText.assertClean(where, out.stdout() + out.stderr(), words(expect.path("not-contains")), secrets());
    }

    /**
     * {@code card: <id>}: exactly {@code count} (default 1) cards about the image with the words on the channel, each
     * read by the official Adaptive Cards parser; checked again at the end of the corpus.
     */
    private void card(String folder, String id, String channel, JsonNode expect) {
        List<String> words = words(expect.path("contains"));
        int count = expect.path("count").asInt(1);
        CardClaim claim = new CardClaim(folder, channel, id, words, count);
        if (count == 0) {
            // none now, and none at the end of the corpus (a card may come late)
            List<String> now = cards(channel, id, words);
            if (!now.isEmpty()) {
                fail("card on " + channel + ": expected no card about " + id + " with " + words + ", got:\n"
                        + UserText.indent(String.join("\n----\n", now)));
            }
            claims.add(claim);
            return;
        }
        List<String> found;
        try {
            found = await().atMost(CARD_TIMEOUT).pollInterval(Duration.ofMillis(250))
                    .until(() -> cards(channel, id, words), c -> c.size() >= count);
        } catch (ConditionTimeoutException e) {
            List<String> about = cards(channel, id, List.of());
            throw new AssertionError("card on " + channel + ": " + cards(channel, id, words).size() + " card(s) about "
                    + id + " with " + words + " within " + CARD_TIMEOUT.toSeconds() + " s, expected " + count + "; "
                    + (about.isEmpty() ? "no card about " + id + " came on " + channel
                    : "the cards about " + id + " on " + channel + " are:\n" + UserText.indent(String.join("\n----\n", about))));
        }
        String where = "the cards on " + channel + " about " + id + ":\n" + String.join("\n----\n", found);
        note(where);
        assertEquals(count, found.size(), where);
        for (WebhookReceiver.Request request : stack.receiver.requests(path(channel))) {
            String text = cardText(request.body());
            if (about(request.body(), id)) {
                UserText.assertClean("a card on " + channel + " about " + id, text,
                        words(expect.path("not-contains")), secrets());
                if (validatedCards.add(request.body())) {
                    OfficialCardParser.assertValid(request.body(), "a card on " + channel + " about " + id);
                }
            }
        }
        claims.add(claim); // checked again at the end only when it holds now: a failed step is reported once
    }

    // --- helpers -----------------------------------------------------------------------------------------------

    private void note(String text) {
        transcript.append("  ").append(text.strip().replace("\n", "\n  ")).append('\n');
    }

    /** The text of each card on {@code channel} that is about {@code id} and holds every one of {@code words}. */
    private List<String> cards(String channel, String id, List<String> words) {
        List<String> found = new ArrayList<>();
        for (WebhookReceiver.Request request : stack.receiver.requests(path(channel))) {
            String text = cardText(request.body());
            if (about(request.body(), id) && words.stream().allMatch(w -> UserText.matches(text, w))) {
                found.add(text);
            }
        }
        return found;
    }

    private static String path(String channel) {
        return switch (channel) {
            case "teams" -> CorpusStack.TEAMS_PATH;
            case "platform-team" -> CorpusStack.PLATFORM_TEAM_PATH;
            default -> throw new IllegalArgumentException("no channel '" + channel + "' in the corpus stack");
        };
    }

    /** Every text of a Teams message, one per line, as a reader sees them (not the JSON). */
    static String cardText(String body) {
        StringBuilder text = new StringBuilder();
        try {
            collect(JSON.readTree(body), text);
        } catch (IOException e) {
            return body;
        }
        return text.toString();
    }

    /** The texts a reader sees: of text blocks and runs ({@code text}), facts ({@code title}, {@code value}). */
    private static void collect(JsonNode node, StringBuilder text) {
        if (node.isArray()) {
            node.forEach(n -> collect(n, text));
        } else if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
                var field = fields.next();
                if (field.getValue().isTextual() && TEXTS.contains(field.getKey())) {
                    text.append(field.getValue().asText()).append('\n');
                } else {
                    collect(field.getValue(), text);
                }
            }
        }
    }

    /** A card is about the image its "Image" fact names. */
    static boolean about(String body, String id) {
        try {
            for (JsonNode fact : JSON.readTree(body).findValues("facts")) {
                for (JsonNode f : fact) {
                    if (f.path("title").asText().equals("Image") && f.path("value").asText().equals(id)) {
                        return true;
                    }
                }
            }
            return false;
        } catch (IOException e) {
            return false;
        }
    }

    private HttpResponse<String> send(String method, String path, Map<String, String> headers, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(stack.watcherUrl() + path))
                .timeout(Duration.ofSeconds(60))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(request::header);
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + path, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    record Output(int exit, String stdout, String stderr) {
    }

    /** Runs the packaged {@code freshen} command with {@code env} (and no other {@code FRESHEN_*} variable). */
    static Output freshen(List<String> command, Map<String, String> env) {
        try {
            ProcessBuilder builder = new ProcessBuilder(command);
            builder.environment().keySet().removeIf(k -> k.startsWith("FRESHEN_"));
            builder.environment().putAll(env);
            Path stderr = Files.createTempFile("corpus-cli-", ".err");
            builder.redirectError(stderr.toFile());
            Process process = builder.start();
            process.getOutputStream().close();
            String stdout = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(300, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                fail(String.join(" ", command) + " did not finish within 300 s");
            }
            String err = Files.readString(stderr);
            Files.delete(stderr);
            return new Output(process.exitValue(), stdout, err);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private String key(String name) {
        if (name.startsWith("literal:")) {
            return name.substring("literal:".length());
        }
        String key = stack.keys.get(name);
        if (key == null) {
            throw new IllegalArgumentException("no key named '" + name + "' (default, ci, old, wrong, short, none)");
        }
        return key;
    }

    /** Every key configured or sent: none may appear in an answer. */
    private List<String> secrets() {
        return List.copyOf(stack.keys.values());
    }

    /** {@code ${registry}}, {@code ${api}}, {@code ${dead-api}} and {@code ${key:<name>}} replaced by this stack's. */
    private String expand(String text) {
        String expanded = text.replace("${registry}", stack.registry.host())
                .replace("${api}", stack.watcherUrl())
                .replace("${dead-api}", stack.deadApi);
        for (var key : stack.keys.entrySet()) {
            expanded = expanded.replace("${key:" + key.getKey() + "}", key.getValue());
        }
        return expanded;
    }

    private static String action(JsonNode step) {
        List<String> actions = new ArrayList<>();
        step.fieldNames().forEachRemaining(name -> {
            if (!OPTIONS.contains(name)) {
                actions.add(name);
            }
        });
        if (actions.size() != 1) {
            throw new IllegalArgumentException("a step has exactly one action, this one has " + actions + ": " + step);
        }
        return actions.get(0);
    }

    private static String describe(JsonNode step) {
        String action = action(step);
        return action + " " + step.path(action).asText();
    }

    private static String required(JsonNode step, String option) {
        if (!step.hasNonNull(option)) {
            throw new IllegalArgumentException("the step needs '" + option + "': " + step);
        }
        return step.path(option).asText();
    }

    private List<String> words(JsonNode node) {
        List<String> words = new ArrayList<>();
        if (node.isTextual()) {
            words.add(expand(node.asText()));
        } else {
            node.forEach(w -> words.add(expand(w.asText())));
        }
        return words;
    }

    /** Splits a command line on spaces; '…' and "…" keep spaces. */
    static List<String> split(String line) {
        List<String> args = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        char quote = 0;
        boolean any = false;
        for (char c : line.toCharArray()) {
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else {
                    current.append(c);
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
                any = true;
            } else if (c == ' ') {
                if (any || !current.isEmpty()) {
                    args.add(current.toString());
                }
                current.setLength(0);
                any = false;
            } else {
                current.append(c);
            }
        }
        if (any || !current.isEmpty()) {
            args.add(current.toString());
        }
        return args;
    }

    private static JsonNode read(String folder) {
        try {
            return YAML.readTree(CASES.resolve(folder).resolve("case.yaml").toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + folder + "/case.yaml", e);
        }
    }
}
