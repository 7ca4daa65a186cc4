package dev.freshen.testing;

import dev.freshen.descriptor.Dockerfile;
import dev.freshen.descriptor.FromRewriter;
import dev.freshen.events.image.ImageReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The differential test of Freshen's Dockerfile front-end against BuildKit itself: every corpus case of
 * {@code platform-descriptors/src/test/resources/dockerfiles/} marked {@code differential: yes} is built with
 * {@code DOCKER_BUILDKIT=1 /usr/bin/docker build --progress=plain} (Debian's docker 20.10, whose built-in frontend
 * is older than {@code docker/dockerfile:1}: the cases it cannot read say why in their {@code expected.txt}), its
 * images pointed at a fixture image in a local registry (registry hosts replaced by the registry's, every digest by
 * the fixture's). Checked:
 * <ul>
 *   <li>the images BuildKit resolved ("load metadata for ..." lines of the plain progress output) are exactly the
 *       images Freshen says the build reads (its watched and pinned bases);</li>
 *   <li>after {@link FromRewriter#pinAll} with the fixture's digest, BuildKit resolves exactly those pinned
 *       references;</li>
 *   <li>a case Freshen refuses is one BuildKit refuses too.</li>
 * </ul>
 * Builds fail after the images are resolved (a RUN of the .NET SDK in a busybox image) and that is expected: the
 * resolution happens first, for every stage the target needs.
 */
class DockerfileBuildKitIT {

    private static final List<String> HOSTS = List.of("mcr.microsoft.com", "ghcr.io");
    private static final Pattern DIGEST = Pattern.compile("sha256:[0-9a-f]{64}");
    /**
     * The images a build read: a stage's base is a "load metadata for" vertex; an image named by COPY --from or RUN
     * --mount from= is (in 20.10's frontend) a vertex named "FROM image" of its own, without stage prefix.
     */
    private static final Pattern RESOLVED = Pattern.compile("(?m)load metadata for (\\S+)|^#\\d+ FROM (\\S+)\\s*$");
    private static final Pattern IMAGE_MISSING = Pattern.compile("not found|failed to do request|pull access denied|failed to resolve");
    private static final String FIXTURE = "freshen-dockerfile-it/base:" + System.nanoTime();

    private static LocalRegistry registry;
    private static String fixtureDigest;
    private static final Set<String> pushed = new HashSet<>();
    private static Path work;
    private static final List<String> refusals = new ArrayList<>();

    @BeforeAll
    static void fixture() throws IOException {
        DockerEngine.requireRunning();
        registry = LocalRegistry.shared();
        work = Files.createTempDirectory("freshen-dockerfile-it-");
        Path context = Files.createDirectories(work.resolve("fixture"));
        Files.copy(Paths.get("/bin/busybox"), context.resolve("busybox"));
        Files.writeString(context.resolve("Dockerfile"), """
                FROM scratch
                COPY busybox /bin/busybox
                RUN ["/bin/busybox", "--install", "-s", "/bin"]
                USER 1654
                """);
        docker(List.of("build", "-q", "-t", FIXTURE, context.toString()), Map.of(), 300);
        push(ImageReference.parse(registry.host() + "/fixture/base:1"));
    }

    @AfterAll
    static void cleanUp() {
        if (registry != null) {
            docker(List.of("rmi", "-f", FIXTURE), Map.of(), 60);
        }
    }

    @Test
    void buildKitResolvesExactlyTheBasesFreshenComputes() throws IOException {
        long started = System.nanoTime();
        List<String> checked = new ArrayList<>();
        List<String> mismatches = new ArrayList<>();
        for (Path dir : cases()) {
            Case c = Case.read(dir);
            if (!c.differential) {
                continue;
            }
            checked.add(c.name);
            try {
                check(c);
            } catch (AssertionError e) {
                mismatches.add(c.name + ": " + e.getMessage());
            }
        }
        System.out.printf("differential cases: %d in %ds: %s%n", checked.size(),
                TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started), checked);
        System.out.printf("refused by BuildKit as by Freshen:%n  %s%n", String.join("\n  ", refusals));
        assertTrue(checked.size() >= 30, "at least 30 differential cases, found " + checked.size());
        assertEquals(List.of(), mismatches, "Freshen and BuildKit disagree");
    }

    private void check(Case c) throws IOException {
        String text = localize(c.dockerfile);
        Map<String, String> args = new LinkedHashMap<>();
        c.args.forEach((k, v) -> args.put(k, localize(v)));
        Path context = Files.createDirectories(work.resolve(c.name));
        requireStage(c.name, text);
        if (c.error) {
            Build build = build(context, text, args);
            assertNotEquals(0, build.exit, "Freshen refuses it, BuildKit built it:\n" + build.output);
            // refused for the Dockerfile itself, not because an image could not be resolved
            String reason = build.lastLine();
            assertFalse(IMAGE_MISSING.matcher(reason).find(), "BuildKit failed on an image, not on the Dockerfile: " + reason);
            refusals.add(c.name + " -> " + reason);
            return;
        }
        Dockerfile dockerfile = Dockerfile.parse(text, args);
        List<ImageReference> read = dockerfile.images().stream().filter(Dockerfile.Image::read)
                .map(Dockerfile.Image::reference).distinct().toList();
        for (ImageReference ref : read) {
            push(ref);
        }
        Build build = build(context, text, args);
        assertEquals(strings(read), build.resolved, "images resolved by BuildKit (output:\n" + build.tail() + ")");

        Map<ImageReference, ImageReference> pins = new LinkedHashMap<>();
        for (ImageReference base : dockerfile.externalBases()) {
            pins.put(base, ImageReference.parse((base.tag() == null ? base.withTag("latest") : base) + "@" + fixtureDigest));
        }
        if (pins.isEmpty()) {
            return;
        }
        Build pinned = build(context, FromRewriter.pinAll(text, pins, args), args);
        Set<ImageReference> expected = new LinkedHashSet<>(pins.values());
        expected.addAll(dockerfile.pinnedBases());
        assertEquals(strings(expected), pinned.resolved, "images resolved by BuildKit after pinning (output:\n"
                + pinned.tail() + ")");
    }

    /**
     * Debian's 20.10 engine panics, and stops for every user of the machine, on a Dockerfile without any stage
     * (moby/buildkit#5147; a file whose lines end in a lone CR is one such file, moby/moby#49858): a case is sent to
     * it only when one of its {@code \n}-terminated lines, not continued from the previous one, is a FROM.
     */
    private static void requireStage(String name, String text) {
        if (text.replaceAll("\r\n", "\n").indexOf('\r') >= 0) {
            fail(name + ": a Dockerfile with a lone CR must not be differential: it can stop the shared engine");
        }
        boolean continued = false;
        for (String line : text.split("\n", -1)) {
            String stripped = line.replace("\uFEFF", "").strip();
            if (stripped.startsWith("#")) {
                continue;
            }
            if (!continued && stripped.regionMatches(true, 0, "from ", 0, 5)) {
                return;
            }
            continued = stripped.endsWith("\\") || stripped.endsWith("`");
        }
        fail(name + ": a Dockerfile without a FROM line must not be differential: it can stop the shared engine");
    }

    /** Every reference as BuildKit prints it: normalised, {@code name:tag@digest} as such. */
    private static Set<String> strings(java.util.Collection<ImageReference> refs) {
        Set<String> out = new TreeSet<>();
        refs.forEach(r -> out.add(r.toString()));
        return out;
    }

    private static String localize(String text) {
        String out = text;
        for (String host : HOSTS) {
            out = out.replace(host, registry.host());
        }
        return fixtureDigest == null ? out : DIGEST.matcher(out).replaceAll(fixtureDigest);
    }

    /** Pushes the fixture as {@code ref} (by its tag, or a fixed tag for a digest-only reference). */
    private static void push(ImageReference ref) {
        String target = ref.name() + ":" + (ref.tag() != null ? ref.tag() : "fixture");
        if (!pushed.add(target)) {
            return;
        }
        docker(List.of("tag", FIXTURE, target), Map.of(), 60);
        String out = docker(List.of("push", target), Map.of(), 120);
        docker(List.of("rmi", target), Map.of(), 60);
        Matcher m = DIGEST.matcher(out.substring(Math.max(0, out.lastIndexOf("digest:"))));
        if (!m.find()) {
            fail("no digest in the output of docker push " + target + ": " + out);
        }
        if (fixtureDigest == null) {
            fixtureDigest = m.group();
        }
        assertEquals(fixtureDigest, m.group(), "every push of the fixture has the same digest");
    }

    private record Build(int exit, String output, Set<String> resolved) {
        /** The last line of the output that is not empty: the build's error when it failed. */
        String lastLine() {
            String[] lines = output.strip().split("\n");
            return lines[lines.length - 1];
        }

        String tail() {
            String[] lines = output.split("\n");
            return String.join("\n", java.util.Arrays.copyOfRange(lines, Math.max(0, lines.length - 25), lines.length));
        }
    }

    private static Build build(Path context, String dockerfile, Map<String, String> args) throws IOException {
        Files.writeString(context.resolve("Dockerfile"), dockerfile, StandardCharsets.UTF_8);
        List<String> command = new ArrayList<>(List.of("build", "--progress=plain", "--no-cache"));
        args.forEach((k, v) -> command.addAll(List.of("--build-arg", k + "=" + v)));
        command.add(context.toString());
        String[] result = run(command, Map.of("DOCKER_BUILDKIT", "1"), 120);
        Set<String> resolved = new TreeSet<>();
        Matcher m = RESOLVED.matcher(result[1]);
        while (m.find()) {
            resolved.add(m.group(1) != null ? m.group(1) : m.group(2));
        }
        // a build that succeeded leaves an untagged image: remove it (the last "writing image sha256:..." line)
        Matcher image = Pattern.compile("writing image (sha256:[0-9a-f]{64})").matcher(result[1]);
        String id = null;
        while (image.find()) {
            id = image.group(1);
        }
        if (id != null) {
            run(List.of("rmi", id), Map.of(), 60);
        }
        return new Build(Integer.parseInt(result[0]), result[1], resolved);
    }

    private static String docker(List<String> args, Map<String, String> env, int timeoutSeconds) {
        String[] result = run(args, env, timeoutSeconds);
        if (!result[0].equals("0")) {
            fail("docker " + String.join(" ", args) + " failed: " + result[1]);
        }
        return result[1];
    }

    /** {exit code, output} of {@code /usr/bin/docker args}. */
    private static String[] run(List<String> args, Map<String, String> env, int timeoutSeconds) {
        List<String> command = new ArrayList<>(List.of(DockerEngine.CLI));
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(env);
        try {
            Process process = builder.start();
            process.getOutputStream().close();
            byte[] out = process.getInputStream().readAllBytes();
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                fail("docker " + String.join(" ", args) + " did not finish in " + timeoutSeconds + "s");
            }
            return new String[]{String.valueOf(process.exitValue()), new String(out, StandardCharsets.UTF_8)};
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static List<Path> cases() throws IOException {
        Path root = Commands.repositoryRoot().resolve("platform-descriptors/src/test/resources/dockerfiles");
        try (Stream<Path> dirs = Files.list(root)) {
            return dirs.filter(Files::isDirectory).sorted().toList();
        }
    }

    /** The part of a corpus case this test needs (the corpus' own reader is platform-descriptors' test code). */
    private record Case(String name, String dockerfile, Map<String, String> args, boolean error, boolean differential) {
        static Case read(Path dir) throws IOException {
            Map<String, String> args = new LinkedHashMap<>();
            boolean error = false;
            Boolean differential = null;
            for (String line : Files.readAllLines(dir.resolve("expected.txt"), StandardCharsets.UTF_8)) {
                if (line.startsWith("arg: ")) {
                    String kv = line.substring(5).strip();
                    args.put(kv.substring(0, kv.indexOf('=')), kv.substring(kv.indexOf('=') + 1));
                } else if (line.startsWith("error: ")) {
                    error = true;
                } else if (line.startsWith("differential: ")) {
                    differential = line.strip().equals("differential: yes");
                }
            }
            if (differential == null) {
                throw new IllegalArgumentException(dir + ": says nothing of 'differential'");
            }
            return new Case(dir.getFileName().toString(), Files.readString(dir.resolve("Dockerfile"), StandardCharsets.UTF_8),
                    args, error, differential);
        }
    }
}
