package dev.freshen.docker;

import dev.freshen.descriptor.context.DockerIgnore;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.provider.Arguments;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@link DockerIgnore}'s matching against Docker's own matcher: the Go source of {@code moby/patternmatcher} as Debian
 * packages it ({@code apt-get install golang-go golang-github-moby-patternmatcher-dev}), run by
 * {@code src/test/resources/patternmatcher/reference.go}. Every path of a tree (folders included), walked as Docker
 * walks, must be excluded or not exactly as the Go matcher says, and the same patterns must be refused. Skipped, saying
 * so, where Go or that package is not installed; {@code DockerIgnoreIT} checks the whole context against BuildKit.
 */
class DockerIgnoreGoReferenceIT {

    private static final Path GO = Path.of("/usr/bin/go");
    private static final Path GOPATH = Path.of("/usr/share/gocode");

    /** Patterns beyond {@code DockerIgnoreIT}'s cases (its tree and cases are used too). */
    private static final List<List<String>> MORE = List.of(
            List.of("**/*"), List.of("*/"), List.of("**/"), List.of("a**"), List.of("s**"), List.of("src/**"),
            List.of("!src"), List.of("**/nested/**"), List.of("src/*/deep"), List.of("*/*/*"), List.of("[^a]*"),
            List.of("x/**/y"), List.of("**/**/c.go"), List.of("app/**/app.dll"), List.of("docs/img", "!docs/img/logo.png"),
            List.of("src/nested/deep/.."), List.of("*", "!*/"), List.of("*", "!**"), List.of("**", "!**/"),
            List.of("**/*.go", "!src/**", "src/nested"), List.of("src", "!src/nested", "src/nested/deep", "!src/nested/deep/c.go"),
            List.of("*.*"), List.of("?"), List.of("??"), List.of("src/?.*"), List.of(".*", "!.git"), List.of("**.md"),
            List.of("d*/**/*.png"), List.of("*/img"), List.of("ca-certificates/**", "!ca-certificates/extra"),
            List.of("[.]env"), List.of("[a-b]pp"), List.of("\\.env"), List.of("app/bin/", "!app/bin/*.dll"));

    /** Patterns Docker refuses (or accepts): checked one by one. */
    private static final List<String> SYNTAX = List.of("[", "a[b", "[]", "[^]x", "a\\", "[a-]", "[z-a]x", "[a-b-c]",
            "[\\]]", "[\\", "x[\\", "[a]]", "]", "[!]", "[^a]", "a-b", "{a,b}", "(x)", "a|b", "a+", "$x", "^x", "x^y*");

    private static final List<String> TREE = paths();

    @BeforeAll
    static void goIsThere() {
        assumeTrue(Files.isExecutable(GO) && Files.isRegularFile(GOPATH.resolve("src/github.com/moby/patternmatcher/patternmatcher.go")),
                "skipped: apt-get install golang-go golang-github-moby-patternmatcher-dev to run this test");
    }

    @Test
    void everyPathIsExcludedOrNotExactlyAsDockersMatcherSays() throws IOException {
        List<List<String>> cases = new ArrayList<>();
        DockerIgnoreIT.cases().map(Arguments::get).forEach(a -> {
            @SuppressWarnings("unchecked")
            List<String> ignore = (List<String>) a[1];
            cases.add(ignore == null ? List.of() : ignore);
        });
        cases.addAll(MORE);
        StringBuilder input = new StringBuilder();
        List<Map<String, Boolean>> ours = new ArrayList<>();
        for (List<String> lines : cases) {
            DockerIgnore ignore = DockerIgnore.parse(String.join("\n", lines));
            input.append("case\n");
            ignore.patterns().forEach(p -> input.append("p ").append(p).append('\n'));
            TREE.forEach(p -> input.append("f ").append(p).append('\n'));
            input.append("end\n");
            Map<String, DockerIgnore.Match> matches = new HashMap<>();
            Map<String, Boolean> excluded = new LinkedHashMap<>();
            for (String path : TREE) {
                int slash = path.lastIndexOf('/');
                DockerIgnore.Match match = ignore.match(path, slash < 0 ? null : matches.get(path.substring(0, slash)));
                matches.put(path, match);
                excluded.put(path, match.excluded());
            }
            ours.add(excluded);
        }
        List<List<String>> answers = reference(input.toString());
        assertEquals(cases.size(), answers.size());
        for (int i = 0; i < cases.size(); i++) {
            List<String> expected = answers.get(i);
            List<String> actual = ours.get(i).entrySet().stream().map(e -> e.getKey() + "\t" + e.getValue()).toList();
            assertEquals(expected, actual, "patterns " + cases.get(i));
        }
    }

    @Test
    void thePatternsDockerRefusesAreRefused() throws IOException {
        StringBuilder input = new StringBuilder();
        for (String pattern : SYNTAX) {
            input.append("case\np ").append(pattern).append("\nf x\nend\n");
        }
        List<List<String>> answers = reference(input.toString());
        for (int i = 0; i < SYNTAX.size(); i++) {
            String pattern = SYNTAX.get(i);
            boolean goRefuses = answers.get(i).equals(List.of("error"));
            boolean weRefuse;
            try {
                DockerIgnore.parse(pattern).excludes("x");
                weRefuse = false;
            } catch (DockerIgnore.InvalidPattern e) {
                weRefuse = true;
            }
            assertEquals(goRefuses, weRefuse, "pattern " + pattern);
        }
    }

    /** Runs reference.go on {@code input}; one list of output lines per case. */
    private static List<List<String>> reference(String input) throws IOException {
        Path dir = Files.createTempDirectory("freshen-patternmatcher-");
        try (InputStream source = DockerIgnoreGoReferenceIT.class.getResourceAsStream("/patternmatcher/reference.go")) {
            Files.write(dir.resolve("reference.go"), source.readAllBytes());
        }
        ProcessBuilder builder = new ProcessBuilder(GO.toString(), "run", "reference.go").directory(dir.toFile());
        builder.environment().put("GO111MODULE", "off");
        builder.environment().put("GOPATH", GOPATH.toString());
        builder.environment().put("GOCACHE", dir.resolve("cache").toString());
        builder.environment().put("GOFLAGS", "");
        builder.redirectError(ProcessBuilder.Redirect.INHERIT);
        Process process = builder.start();
        try {
            try (var stdin = process.getOutputStream()) {
                stdin.write(input.getBytes(StandardCharsets.UTF_8));
            }
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(process.waitFor(5, TimeUnit.MINUTES), "go run finished");
            assertEquals(0, process.exitValue(), output);
            List<List<String>> cases = new ArrayList<>();
            List<String> current = new ArrayList<>();
            for (String line : output.split("\n")) {
                if (line.equals("done")) {
                    cases.add(current);
                    current = new ArrayList<>();
                } else if (!line.isEmpty()) {
                    current.add(line);
                }
            }
            return cases;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** DockerIgnoreIT's tree with its folders, the Dockerfile and .dockerignore; parents before their entries. */
    private static List<String> paths() {
        TreeSet<String> all = new TreeSet<>(List.of("Dockerfile", ".dockerignore"));
        for (String file : DockerIgnoreIT.TREE) {
            all.add(file);
            for (int slash = file.indexOf('/'); slash > 0; slash = file.indexOf('/', slash + 1)) {
                all.add(file.substring(0, slash));
            }
        }
        return List.copyOf(all);
    }
}
