package dev.freshen.docker;

import com.github.dockerjava.api.DockerClient;
import dev.freshen.descriptor.Descriptor;
import dev.freshen.descriptor.DescriptorLoader;
import dev.freshen.descriptor.PlatformImage;
import dev.freshen.descriptor.definition.DefinitionEntry;
import dev.freshen.descriptor.definition.Definitions;
import dev.freshen.testing.DockerEngine;
import dev.freshen.testing.FixtureImages;
import dev.freshen.testing.LocalRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Differential test of the build context against BuildKit itself: for each case (a {@code .dockerignore} over one file
 * tree), the files {@link BuildContext} sends must be exactly those that {@code DOCKER_BUILDKIT=1 docker build} (Debian's
 * docker 20.10) puts in the context, exactly those the Engine API path ({@link EngineApiBuilder}, classic builder)
 * gives the build, and exactly the files the image's definition hash counts ({@link Definitions#of}). Each build copies the context into a fixture image ({@code COPY . /ctx}) and lists it
 * ({@code find /ctx -type f}).
 *
 * <p>Two cases show where docker 20.10's BuildKit (the only one here) reads {@code .dockerignore} the older way; there
 * the test checks exactly what 20.10 sends, and that {@link BuildContext} follows the current rules instead (the
 * sources are named at each case). Where both differ, the current one wins: it is what builds use today.
 */
class DockerIgnoreIT {

    private static final String BEGIN = "==context==";
    private static final String END = "==end==";
    private static final Pattern BUILDKIT_OUTPUT = Pattern.compile("^#\\d+ \\d+\\.\\d+ (.*)$");

    /** The tree every case starts from (the Dockerfile is added by the test). */
    static final List<String> TREE = List.of(
            ".env",
            ".git/HEAD",
            "README.md",
            "app/Program.cs",
            "app/bin/app.dll",
            "app/obj/cache.txt",
            "ca-certificates/corp-root.crt",
            "ca-certificates/extra/inner.crt",
            "docs/guide.md",
            "docs/img/logo.png",
            "keep.txt",
            "src/a.go",
            "src/b.txt",
            "src/nested/deep/c.go");

    private static String base;
    private static DockerClient docker;

    @BeforeAll
    static void fixtureImage() {
        DockerEngine.requireRunning();
        base = FixtureImages.publishBase(LocalRegistry.shared().host(), "fixture/context", "1").toString();
        docker = dev.freshen.docker.DockerEngine.connect(Duration.ofMinutes(2));
    }

    @AfterAll
    static void close() throws IOException {
        if (docker != null) {
            docker.close();
        }
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                c("the issue's: everything out but the Dockerfile and a folder", "*", "!Dockerfile", "!ca-certificates/"),
                c("no .dockerignore at all", (String[]) null),
                c("only comments and blank lines", "# all of it stays", "", "   ", "#docs"),
                c("a comment needs the # first: ' # docs' is a pattern", " # docs", "docs"),
                c("a folder excludes everything under it", "docs"),
                c("a trailing / is cleaned away", "docs/"),
                c("a leading / is the context root", "/docs"),
                c("./ is cleaned away", "./docs", "./src/nested"),
                c(".. is cleaned: docs/../src is src", "docs/../src"),
                c(".. within: src/nested/../a.go", "src/nested/../a.go"),
                c("a leading .. matches nothing", "../src"),
                c("* stays within one element", "*.md"),
                c("*/ one level down", "*/*.md"),
                c("**/ at any depth, the root too", "**/*.md"),
                c("** with a literal suffix (suffix match)", "**/deep"),
                c("** inside a pattern", "src/**/*.go"),
                c("trailing /** (prefix match)", "docs/**"),
                c("** alone excludes everything, an exception brings a folder back", "**", "!src"),
                c("folders one level down", "app/*/"),
                c("an exception re-includes a file in an excluded folder", "app", "!app/Program.cs"),
                c("an exception re-includes a folder in an excluded folder", "app", "!app/bin"),
                // docker 20.10's BuildKit does not walk an excluded folder for an exception with a wildcard; BuildKit since
                // (tonistiigi/fsutil: filter.go, onlyPrefixExcludeExceptions) does, and sends the .crt files
                differs("an exception with a wildcard re-includes files in excluded folders", List.of("Dockerfile"),
                        "*", "!**/*.crt", "!Dockerfile"),
                c("an exception with a wildcard under one folder", "*", "!ca-certificates/*.crt", "!Dockerfile"),
                c("an exception before the exclusion has no effect", "!src/a.go", "src"),
                c("the last matching pattern decides", "src", "!src/*.go", "src/a.go"),
                c("an exception of a file inside an excluded folder of an excluded folder", "src",
                        "!src/nested/deep/c.go"),
                c("? is one character", "?EADME.md", "src/?.go"),
                c("character classes", "[a-c]*", "[!x]eep.txt"),
                c("a negated class", "src/[^a].*"),
                c("hidden files", ".*"),
                c("white space around patterns and after !", "  app/obj  ", "*.txt", "!   keep.txt"),
                c("excluding .dockerignore and the Dockerfile", ".dockerignore", "Dockerfile"),
                // docker 20.10's BuildKit checks an exception against every parent folder of a file
                // (MatchesOrParentMatches), so !src/nested brings back src/nested/deep/c.go; the CLI and BuildKit since
                // (moby/patternmatcher: MatchesUsingParentResults, as tonistiigi/fsutil and moby/go-archive walk) check
                // it against the file and what matched its parent, so the file stays out
                differs("an exception of a parent folder after the folder's exclusion", withTree(".dockerignore", "Dockerfile"),
                        "src/nested/deep", "src/nested/deep/c.go", "!src/nested"),
                c("an escaped character", "README\\.md", "src/a\\.go"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void buildKitAndTheEngineApiPathGetExactlyTheFilesBuildContextSends(String name, List<String> ignore,
                                                                       List<String> olderBuildKit,
                                                                       @org.junit.jupiter.api.io.TempDir Path context)
            throws IOException {
        for (String file : TREE) {
            write(context.resolve(file), "content of " + file + "\n");
        }
        // the label keeps the classic builder from answering from its cache (and printing no listing)
        String dockerfile = "FROM " + base + "\nLABEL dev.freshen.test-run=" + System.nanoTime() + "\nCOPY . /ctx\nRUN echo " + BEGIN + " && cd /ctx && find . -type f | sort && echo "
                + END + "\n";
        write(context.resolve("Dockerfile"), dockerfile);
        if (ignore != null) {
            write(context.resolve(".dockerignore"), String.join("\n", ignore) + "\n");
        }

        List<String> ours = BuildContext.files(context);
        List<String> buildKit = buildKit(context);
        if (olderBuildKit == null) {
            assertEquals(buildKit, sorted(ours), "files BuildKit sends vs BuildContext, .dockerignore " + ignore);
        } else {
            assertEquals(sorted(olderBuildKit), buildKit, "what docker 20.10's BuildKit sends, .dockerignore " + ignore);
            assertTrue(!buildKit.equals(sorted(ours)), "the case shows the difference");
        }
        assertEquals(sorted(ours), engineApi(context, dockerfile), "files of the Engine API path vs BuildContext, .dockerignore "
                + ignore);
        assertEquals(sorted(ours), definitionFiles(context), "the files the definition hash counts vs BuildContext, "
                + ".dockerignore " + ignore);
    }

    /** The paths of the context entries ({@code f}, {@code x}, {@code l}) of the definition of {@code context}. */
    private static List<String> definitionFiles(Path context) throws IOException {
        return sorted(Definitions.of(context.getParent(), context, descriptor(), context.resolve("Dockerfile")).entries()
                .stream().filter(e -> e.kind().inContext()).map(DefinitionEntry::path).toList());
    }

    /** A descriptor with the default build settings (the folder under test has none: it would be sent too). */
    private static Descriptor descriptor() throws IOException {
        Path root = Files.createTempDirectory("freshen-descriptor-");
        try {
            Path image = Files.createDirectories(root.resolve("img"));
            write(image.resolve("Dockerfile"), "FROM " + base + "\n");
            write(image.resolve(PlatformImage.DESCRIPTOR_FILE), "target: {repository: platform/app, tagPrefix: '1'}\n");
            return new DescriptorLoader(root).load(image.resolve(PlatformImage.DESCRIPTOR_FILE)).descriptor();
        } finally {
            try (Stream<Path> paths = Files.walk(root)) {
                for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(path);
                }
            }
        }
    }

    private static List<String> buildKit(Path context) throws IOException {
        Path iid = Files.createTempFile("freshen-iid-", ".txt");
        try {
            List<String> command = List.of(DockerEngine.CLI, "build", "--progress=plain", "--no-cache", "--iidfile",
                    iid.toString(), context.toString());
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
            builder.environment().put("DOCKER_BUILDKIT", "1");
            Process process = builder.start();
            process.getOutputStream().close();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(process.waitFor(5, TimeUnit.MINUTES), "docker build finished");
            assertEquals(0, process.exitValue(), output);
            List<String> lines = new ArrayList<>();
            for (String line : output.split("\n")) {
                Matcher m = BUILDKIT_OUTPUT.matcher(line.strip());
                if (m.matches()) {
                    lines.add(m.group(1));
                }
            }
            return listing(lines, output);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            String id = Files.readString(iid).strip();
            if (!id.isEmpty()) {
                DockerEngine.docker("rmi", "-f", id);
            }
            Files.delete(iid);
        }
    }

    private static List<String> engineApi(Path context, String dockerfile) {
        BuildLog log = new BuildLog(10_000);
        String tag = "freshen-test/dockerignore-it:" + Long.toHexString(System.nanoTime());
        try {
            new EngineApiBuilder(docker).build(new BuildSpec(context, dockerfile, Map.of(), Map.of(), tag,
                    Duration.ofMinutes(2)), log);
            return listing(List.of(log.tail().split("\n")), log.tail());
        } finally {
            dev.freshen.docker.DockerEngine.remove(docker, tag);
        }
    }

    /** The paths printed between the markers, without the leading "./", sorted. */
    private static List<String> listing(List<String> lines, String output) {
        int begin = lines.indexOf(BEGIN);
        int end = lines.indexOf(END);
        assertTrue(begin >= 0 && end > begin, "the listing is in the output:\n" + output);
        return sorted(lines.subList(begin + 1, end).stream().map(l -> l.strip().replaceFirst("^\\./", "")).toList());
    }

    private static List<String> sorted(List<String> paths) {
        return List.copyOf(new TreeSet<>(paths));
    }

    private static Arguments c(String name, String... ignore) {
        return Arguments.of(name, ignore == null ? null : List.of(ignore), null);
    }

    /** A case where docker 20.10's BuildKit sends {@code olderBuildKit}, and the current rules something else. */
    private static Arguments differs(String name, List<String> olderBuildKit, String... ignore) {
        return Arguments.of(name, List.of(ignore), olderBuildKit);
    }

    private static List<String> withTree(String... more) {
        List<String> all = new ArrayList<>(TREE);
        all.addAll(List.of(more));
        return all;
    }

    private static void write(Path file, String content) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
    }
}
