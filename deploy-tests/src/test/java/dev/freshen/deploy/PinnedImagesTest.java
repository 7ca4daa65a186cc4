package dev.freshen.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every third-party image reference of the deployment files (docker-compose.yml, .env.example, the ARG defaults and
 * FROMs of deploy/docker/Dockerfile.service, the manifests and Dockerfiles of deploy/k8s) is pinned as
 * {@code name:tag@sha256:<64 hex>}, or listed in deploy/unpinned-images.txt, which lists nothing else. This test finds
 * the references on its own (YAML read as YAML, kustomize {@code images:} entries by their {@code digest}) and
 * checks that deploy/pin-images.sh finds the same ones and pins them all (with a stand-in for crane).
 */
class PinnedImagesTest {

    /** [host[:port]/]path:tag@sha256:digest, the tag kept for people and for pin-images.sh to refresh it. */
    private static final Pattern PINNED = Pattern.compile("(?:[a-z0-9.-]+(?::\\d+)?/)?[a-z0-9._-]+(?:/[a-z0-9._-]+)*"
            + ":[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}@sha256:[0-9a-f]{64}");
    private static final Pattern DIGEST = Pattern.compile("sha256:[0-9a-f]{64}");
    private static final Pattern VARIABLE_DEFAULT = Pattern.compile("\\$\\{[A-Z0-9_]*IMAGE:-([^}]+)}");
    private static final Pattern COMPOSE_IMAGE = Pattern.compile("^\\s*(?:-\\s+)?image:\\s*[\"']?([^\\s\"'#]+)");
    private static final Pattern ENV_LINE = Pattern.compile("^#?\\s*[A-Z0-9_]+_IMAGE=(\\S+)");
    private static final Pattern ARG_LINE = Pattern.compile("^ARG\\s+([A-Za-z_]\\w*)=(\\S+)\\s*$");
    private static final Pattern FROM_LINE = Pattern.compile("^FROM\\s+(?:--platform=\\S+\\s+)?(\\S+)(?:\\s+AS\\s+(\\S+))?",
            Pattern.CASE_INSENSITIVE);
    private static final String ALLOW_LIST = "deploy/unpinned-images.txt";
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    /** One reference: where, what; {@code pinned} for a kustomize entry is whether it has a digest. */
    record Reference(String file, String reference, boolean pinned) {

        String tagged() {
            return reference.contains("@") ? reference.substring(0, reference.indexOf('@')) : reference;
        }
    }

    @Test
    void everyThirdPartyReferenceIsPinnedOrListedAndTheListIsCurrent() {
        List<Reference> references = references(RepoFiles.root());
        assertTrue(references.size() >= 10, "the scan found too little to be right: " + references);
        List<String> listed = allowList(RepoFiles.root());
        List<String> errors = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        listed.stream().filter(e -> !seen.add(e)).forEach(e -> errors.add(ALLOW_LIST + ": " + e + " is listed twice"));
        Set<String> unpinned = new LinkedHashSet<>();
        for (Reference r : references) {
            if (!r.pinned()) {
                unpinned.add(r.tagged());
                if (!listed.contains(r.tagged())) {
                    errors.add(r.file() + ": " + r.reference() + " is not pinned: run deploy/pin-images.sh where the"
                            + " registries can be reached (docs/release.md), or list it in " + ALLOW_LIST);
                }
            }
        }
        listed.stream().filter(e -> !unpinned.contains(e)).forEach(e -> errors.add(ALLOW_LIST + ": " + e
                + " is no longer an unpinned reference of any deployment file: remove the line"));
        assertTrue(errors.isEmpty(), String.join("\n", errors));
    }

    @Test
    void pinImagesListsTheSameReferences() {
        Run list = pinImages(RepoFiles.root(), null, "--list");
        assertEquals(0, list.exit(), list.output());
        Map<String, Integer> byScript = new TreeMap<>();
        for (String line : list.output().strip().split("\n")) {
            Matcher m = Pattern.compile("^(\\S+):\\d+: (\\S+)$").matcher(line);
            assertTrue(m.matches(), "unexpected --list line: " + line);
            byScript.merge(m.group(1) + " " + m.group(2), 1, Integer::sum);
        }
        Map<String, Integer> byTest = new TreeMap<>();
        references(RepoFiles.root()).forEach(r -> byTest.merge(r.file() + " " + r.reference(), 1, Integer::sum));
        assertEquals(byTest, byScript);
    }

    @Test
    void pinImagesPinsEveryReferenceAndEmptiesTheList(@TempDir Path dir) throws IOException {
        Path root = copyOfTheDeploymentFiles(dir);
        Path bin = fakeCrane(dir, "");

        Run run = pinImages(root, bin);

        assertEquals(0, run.exit(), run.output());
        List<String> errors = new ArrayList<>();
        for (Reference r : references(root)) {
            if (!r.pinned() || !r.reference().equals(r.tagged() + "@" + fakeDigest(r.tagged()))) {
                errors.add(r.file() + ": " + r.reference());
            }
        }
        assertTrue(errors.isEmpty(), "not pinned to the resolved digest:\n" + String.join("\n", errors));
        assertEquals(List.of(), allowList(root), "the allow-list is emptied");
        assertTrue(Files.readString(root.resolve(ALLOW_LIST)).startsWith("#"), "its comments stay");
        String calls = Files.readString(dir.resolve("calls"));
        assertTrue(calls.lines().allMatch(l -> l.matches("digest [^ ]+:[^ @]+")), "crane digest name:tag, no --platform: " + calls);

        Run again = pinImages(root, bin, "--dry-run");
        assertEquals(0, again.exit(), again.output());
        assertTrue(again.output().contains(" 0 change(s) would be written"), "pinning again changes nothing: " + again.output());
    }

    @Test
    void pinImagesChangesNothingWhenAReferenceCannotBeResolved(@TempDir Path dir) throws IOException {
        Path root = copyOfTheDeploymentFiles(dir);
        Map<Path, String> before = contents(root);
        Path bin = fakeCrane(dir, "busybox:1.37");

        Run run = pinImages(root, bin);

        assertNotEquals(0, run.exit(), run.output());
        assertTrue(run.output().contains("[pin] error: cannot resolve busybox:1.37 with crane"), run.output());
        assertTrue(run.output().contains("MANIFEST_UNKNOWN"), "the tool's own answer is shown: " + run.output());
        assertEquals(before, contents(root), "no file changed");
    }

    // ---- finding references, independently of the script --------------------------------------------------------

    static List<Reference> references(Path root) {
        List<Reference> found = new ArrayList<>();
        // docker-compose.yml line by line (its anchors and merge keys are beyond a plain YAML reader): image: values
        // and the defaults of ${..._IMAGE:-...} variables (build arguments such as JAVA_BASE).
        Path compose = root.resolve("docker-compose.yml");
        for (String line : RepoFiles.read(compose).split("\n")) {
            if (line.strip().startsWith("#")) {
                continue;
            }
            Matcher variable = VARIABLE_DEFAULT.matcher(line);
            Matcher image = COMPOSE_IMAGE.matcher(line);
            if (variable.find()) {
                add(found, root, compose, variable.group(1));
            } else if (image.find()) {
                add(found, root, compose, image.group(1));
            }
        }
        Path env = root.resolve(".env.example");
        for (String line : RepoFiles.read(env).split("\n")) {
            Matcher m = ENV_LINE.matcher(line);
            if (m.find()) {
                add(found, root, env, m.group(1));
            }
        }
        dockerfile(found, root, root.resolve("deploy/docker/Dockerfile.service"));
        try (Stream<Path> files = Files.walk(root.resolve("deploy/k8s"))) {
            for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                String name = file.getFileName().toString();
                if (name.equals("kustomization.yaml")) {
                    kustomizeImages(found, root, file);
                }
                if (name.endsWith(".yaml") || name.endsWith(".yml")) {
                    imageValues(file).forEach(v -> add(found, root, file, v));
                } else if (name.endsWith("Dockerfile")) {
                    dockerfile(found, root, file);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return found;
    }

    /** Adds {@code reference} when it names a third-party image. */
    private static void add(List<Reference> found, Path root, Path file, String reference) {
        if (reference.contains("$") || reference.startsWith("freshen/") || reference.equals("scratch")) {
            return;
        }
        found.add(new Reference(root.relativize(file).toString(), reference, PINNED.matcher(reference).matches()));
    }

    /** The string values of every {@code image} key in every YAML document of a manifest. */
    private static List<String> imageValues(Path file) {
        List<String> values = new ArrayList<>();
        try (YAMLParser parser = new YAMLFactory().createParser(file.toFile())) {
            for (JsonNode doc : YAML.readValues(parser, JsonNode.class).readAll()) {
                collect(doc, values);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": " + e.getMessage(), e);
        }
        return values;
    }

    private static void collect(JsonNode node, List<String> values) {
        if (node.isObject()) {
            node.fields().forEachRemaining(e -> {
                if (e.getKey().equals("image") && e.getValue().isTextual()) {
                    values.add(e.getValue().asText());
                } else {
                    collect(e.getValue(), values);
                }
            });
        } else if (node.isArray()) {
            node.forEach(n -> collect(n, values));
        }
    }

    /** kustomization images: entries that set a tag for a third-party image; pinned when they give its digest. */
    private static void kustomizeImages(List<Reference> found, Path root, Path file) throws IOException {
        JsonNode images = YAML.readTree(file.toFile()).path("images");
        for (JsonNode entry : images) {
            String name = entry.path("newName").asText(entry.path("name").asText());
            String tag = entry.path("newTag").asText("");
            if (tag.isEmpty() || name.startsWith("freshen/") || name.contains("/freshen/")) {
                continue;
            }
            String digest = entry.path("digest").asText("");
            boolean pinned = DIGEST.matcher(digest).matches();
            found.add(new Reference(root.relativize(file).toString(), name + ":" + tag + (pinned ? "@" + digest : ""), pinned));
        }
    }

    /** ARG defaults of arguments that FROM lines use, and literal FROM references that are not earlier stages. */
    private static void dockerfile(List<Reference> found, Path root, Path file) {
        List<String> lines = List.of(RepoFiles.read(file).split("\n"));
        Set<String> stages = new HashSet<>();
        Set<String> fromArguments = new HashSet<>();
        for (String line : lines) {
            Matcher from = FROM_LINE.matcher(line);
            if (from.find()) {
                Matcher argument = Pattern.compile("^\\$\\{?(\\w+)").matcher(from.group(1));
                if (argument.find()) {
                    fromArguments.add(argument.group(1));
                }
            }
        }
        for (String line : lines) {
            Matcher arg = ARG_LINE.matcher(line);
            Matcher from = FROM_LINE.matcher(line);
            if (arg.find() && fromArguments.contains(arg.group(1))) {
                add(found, root, file, arg.group(2));
            } else if (from.find()) {
                if (!stages.contains(from.group(1))) {
                    add(found, root, file, from.group(1));
                }
                if (from.group(2) != null) {
                    stages.add(from.group(2));
                }
            }
        }
    }

    static List<String> allowList(Path root) {
        return RepoFiles.read(root.resolve(ALLOW_LIST)).lines().map(String::strip)
                .filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
    }

    // ---- running the script -------------------------------------------------------------------------------------

    record Run(int exit, String output) {
    }

    private static Run pinImages(Path root, Path fakeBin, String... options) {
        List<String> command = new ArrayList<>(List.of("bash", RepoFiles.root().resolve("deploy/pin-images.sh").toString(),
                "--root", root.toString()));
        command.addAll(List.of(options));
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
            if (fakeBin != null) {
                builder.environment().put("PATH", fakeBin + ":" + System.getenv("PATH"));
                builder.environment().put("FRESHEN_PIN_RESOLVER", "crane");
            }
            Process process = builder.start();
            process.getOutputStream().close();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("pin-images.sh took longer than 60s:\n" + output);
            }
            return new Run(process.exitValue(), output);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** The digest the stand-in for crane gives name:tag: the sha256 of the name, so each one differs. */
    private static String fakeDigest(String tagged) {
        try {
            var sha = java.security.MessageDigest.getInstance("SHA-256").digest(tagged.getBytes(StandardCharsets.UTF_8));
            return "sha256:" + java.util.HexFormat.of().formatHex(sha);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A `crane` that records its calls and answers `crane digest name:tag`; {@code unknown} gets crane's 404. */
    private static Path fakeCrane(Path dir, String unknown) throws IOException {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path crane = bin.resolve("crane");
        Files.writeString(crane, """
                #!/bin/bash
                echo "$*" >> '%s'
                [ "$1" = digest ] && [ $# = 2 ] || { echo "Error: unexpected call: $*" >&2; exit 9; }
                if [ "$2" = '%s' ]; then
                  echo "Error: fetching manifest $2: GET https://index.docker.io/v2/library/busybox/manifests/1.37:" \
                    "MANIFEST_UNKNOWN: manifest unknown" >&2
                  exit 1
                fi
                printf 'sha256:%%s\\n' "$(printf '%%s' "$2" | sha256sum | cut -d' ' -f1)"
                """.formatted(dir.resolve("calls"), unknown));
        crane.toFile().setExecutable(true);
        return bin;
    }

    /** The files the script works on, copied below {@code dir}. */
    private static Path copyOfTheDeploymentFiles(Path dir) throws IOException {
        Path root = dir.resolve("repo");
        for (String file : List.of("docker-compose.yml", ".env.example", "deploy/docker/Dockerfile.service", ALLOW_LIST)) {
            Files.createDirectories(root.resolve(file).getParent());
            Files.copy(RepoFiles.root().resolve(file), root.resolve(file));
        }
        Path k8s = RepoFiles.k8s();
        try (Stream<Path> files = Files.walk(k8s)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                Path target = root.resolve("deploy/k8s").resolve(k8s.relativize(file).toString());
                Files.createDirectories(target.getParent());
                Files.copy(file, target);
            }
        }
        return root;
    }

    private static Map<Path, String> contents(Path root) throws IOException {
        Map<Path, String> contents = new HashMap<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                contents.put(root.relativize(file), Files.readString(file));
            }
        }
        return contents;
    }
}
