package dev.freshen.descriptor;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The descriptor mistakes people make, one folder each under {@code src/test/resources/mistakes/<case>/}: the image
 * folder as the user wrote it ({@code platform-image.yaml}, {@code Dockerfile}, ...) and {@code expected.txt}, one
 * line per problem the catalog must report for it (no more, no fewer): the problem code, then {@code |}-separated
 * words its text ({@code <file> line L, column C: <message>}) must contain, and words after {@code hint:} that its
 * hint must contain. A case may start with {@code image: <id>} when the problem belongs to another image than the
 * case's own ({@code mistakes/<case>}).
 *
 * <p>Each case is scanned in a platform-images root holding {@code _root/} (the test application), the case folder
 * as {@code mistakes/<case>}, the folders of its {@code also/} (other images, for mistakes across folders), the
 * symbolic links of its {@code links.txt} ({@code <link> -> <target>}, relative to the root), and the registry's
 * tag owners of its {@code owners.txt} ({@code tag <repository> <tag> <image id>},
 * {@code prefix <repository> <tagPrefix> <image id>}).
 *
 * <p>Every problem of every case must also have a hint, and no text may hold a Java class name, a stack trace or an
 * ISO-8601 duration.
 */
class DescriptorMistakesTest {

    private static final Pattern CLASS_NAME = Pattern.compile("\\b[a-z]+(\\.[a-z0-9]+)+\\.[A-Z][A-Za-z0-9]+|Exception|\\tat ");
    private static final Pattern ISO_DURATION = Pattern.compile("\\bP(T\\d|\\d+[DWMY])");
    private static final Pattern CODE = Pattern.compile("[a-z][a-z0-9]*(-[a-z0-9]+)*");

    static Stream<String> cases() {
        try (Stream<Path> dirs = Files.list(corpus())) {
            return dirs.filter(Files::isDirectory).map(d -> d.getFileName().toString())
                    .filter(name -> !name.startsWith("_")).sorted().toList().stream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void theCorpusHoldsAtLeastFifteenMistakes() {
        assertTrue(cases().count() >= 15, "cases: " + cases().toList());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void everyProblemIsReportedWithWhereWhatAndWhatToDo(String name, @TempDir Path root) throws IOException {
        Path source = corpus().resolve(name);
        copy(corpus().resolve("_root"), root);
        String imageId = "mistakes/" + name;
        copy(source, root.resolve(imageId), "expected.txt", "owners.txt", "links.txt", "also");
        if (Files.isDirectory(source.resolve("also"))) {
            copy(source.resolve("also"), root);
        }
        if (Files.exists(source.resolve("links.txt"))) {
            for (String line : Files.readAllLines(source.resolve("links.txt"))) {
                if (!line.isBlank()) {
                    String[] parts = line.split("->");
                    Path link = root.resolve(parts[0].strip());
                    Files.createDirectories(link.getParent());
                    Files.createSymbolicLink(link, link.getParent().relativize(root.resolve(parts[1].strip())));
                }
            }
        }
        List<String> expected = new ArrayList<>(Files.readAllLines(source.resolve("expected.txt")).stream()
                .filter(l -> !l.isBlank() && !l.startsWith("#")).toList());
        if (expected.get(0).startsWith("image: ")) {
            imageId = expected.remove(0).substring("image: ".length()).strip();
        }

        PlatformImageCatalog.Scan scan = new PlatformImageCatalog(root, owners(source)).scan();
        String id = imageId;
        DescriptorException error = scan.error(id).orElseGet(() -> fail(id + " loaded, but should not: errors "
                + scan.errors().stream().map(DescriptorException::getMessage).toList()));
        List<DescriptorProblem> problems = error.problems();
        problems.forEach(p -> System.out.println(name + ": [" + p.code() + "] " + p.text() + "\n    → " + p.hint()));

        assertEquals(expected.size(), problems.size(), () -> name + ": expected " + expected + ", found " + problems);
        List<DescriptorProblem> unmatched = new ArrayList<>(problems);
        for (String line : expected) {
            List<String> words = List.of(line.split("\\s*\\|\\s*"));
            Optional<DescriptorProblem> match = unmatched.stream().filter(p -> matches(p, words)).findFirst();
            assertTrue(match.isPresent(), () -> name + ": no problem matches '" + line + "' among " + unmatched);
            unmatched.remove(match.get());
        }
        for (DescriptorProblem problem : problems) {
            assertTrue(CODE.matcher(problem.code()).matches(), problem.code());
            assertNotNull(problem.hint(), name + ": every problem says what to do: " + problem);
            assertFalse(problem.hint().isBlank(), problem::toString);
            for (String text : List.of(problem.text(), problem.hint())) {
                assertFalse(CLASS_NAME.matcher(text).find(), name + ": a Java name in '" + text + "'");
                assertFalse(ISO_DURATION.matcher(text).find(), name + ": an ISO-8601 duration in '" + text + "'");
            }
        }
        assertTrue(error.getMessage().contains(problems.get(0).message()), error.getMessage());
        assertFalse(scan.images().containsKey(id), "an invalid image is not served");
    }

    private static boolean matches(DescriptorProblem problem, List<String> words) {
        if (!problem.code().equals(words.get(0))) {
            return false;
        }
        for (String word : words.subList(1, words.size())) {
            boolean ok = word.startsWith("hint: ") ? problem.hint() != null
                    && problem.hint().contains(word.substring("hint: ".length())) : problem.text().contains(word);
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    private static TagOwners owners(Path source) throws IOException {
        Map<String, String> tags = new HashMap<>();
        Map<String, String> prefixes = new HashMap<>();
        Path file = source.resolve("owners.txt");
        if (Files.exists(file)) {
            for (String line : Files.readAllLines(file)) {
                String[] parts = line.strip().split("\\s+");
                if (parts.length == 4) {
                    (parts[0].equals("tag") ? tags : prefixes).put(parts[1] + ":" + parts[2], parts[3]);
                }
            }
        }
        return new TagOwners() {
            @Override
            public Optional<String> ofTag(String repository, String tag) {
                return Optional.ofNullable(tags.get(repository + ":" + tag));
            }

            @Override
            public Optional<String> ofPrefix(String repository, String tagPrefix) {
                return Optional.ofNullable(prefixes.get(repository + ":" + tagPrefix));
            }
        };
    }

    private static void copy(Path from, Path to, String... skip) throws IOException {
        List<String> skipped = List.of(skip);
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : files.toList()) {
                Path relative = from.relativize(file);
                if (relative.getNameCount() > 0 && skipped.contains(relative.getName(0).toString())) {
                    continue;
                }
                Path target = to.resolve(relative.toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.createDirectories(target.getParent());
                    Files.copy(file, target);
                }
            }
        }
    }

    private static Path corpus() {
        try {
            return Path.of(DescriptorMistakesTest.class.getResource("/mistakes").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
