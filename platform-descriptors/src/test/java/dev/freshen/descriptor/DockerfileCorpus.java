package dev.freshen.descriptor;

import dev.freshen.events.image.ImageReference;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The Dockerfile corpus under {@code platform-descriptors/src/test/resources/dockerfiles/<nn-name>/}: each case is a
 * {@code Dockerfile} and an {@code expected.txt} of lines {@code key: value} ({@code #} lines are comments):
 * <ul>
 *   <li>{@code arg: NAME=value} a build argument (as {@code build.args}), any number;</li>
 *   <li>{@code base: <reference>} a base Freshen watches, normalised, in order;</li>
 *   <li>{@code pinned: <reference>} a base pinned by digest alone (pinned, not watched);</li>
 *   <li>{@code error: <line>: <part of the message>} the file is invalid (then no base lines);</li>
 *   <li>{@code buildkit: yes|no} whether it needs BuildKit (optional);</li>
 *   <li>{@code differential: yes} or {@code differential: no: <why>}: whether the BuildKit IT builds it.</li>
 * </ul>
 * Shared by the corpus test here and the differential IT in {@code freshen-test-support}.
 */
public record DockerfileCorpus(String name, Path directory, String dockerfile, Map<String, String> args,
                               List<ImageReference> bases, List<ImageReference> pinned, Integer errorLine,
                               String error, Boolean buildKit, boolean differential, String notDifferentialWhy) {

    /** The corpus folder, found from the working directory of a module of the repository. */
    public static Path root() {
        Path dir = Paths.get("").toAbsolutePath();
        while (dir != null) {
            Path candidate = dir.resolve("platform-descriptors/src/test/resources/dockerfiles");
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
            dir = dir.getParent();
        }
        throw new IllegalStateException("no platform-descriptors/src/test/resources/dockerfiles above " + Paths.get("").toAbsolutePath());
    }

    /** Every case, by folder name. */
    public static List<DockerfileCorpus> all() {
        try (Stream<Path> dirs = Files.list(root())) {
            return dirs.filter(Files::isDirectory).sorted().map(DockerfileCorpus::read).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static DockerfileCorpus read(Path dir) {
        try {
            String dockerfile = Files.readString(dir.resolve("Dockerfile"), StandardCharsets.UTF_8);
            Map<String, String> args = new LinkedHashMap<>();
            List<ImageReference> bases = new ArrayList<>();
            List<ImageReference> pinned = new ArrayList<>();
            Integer errorLine = null;
            String error = null;
            Boolean buildKit = null;
            Boolean differential = null;
            String why = null;
            for (String line : Files.readAllLines(dir.resolve("expected.txt"), StandardCharsets.UTF_8)) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                int colon = line.indexOf(": ");
                if (colon < 0) {
                    throw new IllegalArgumentException(dir + ": cannot read '" + line + "'");
                }
                String key = line.substring(0, colon);
                String value = line.substring(colon + 2).strip();
                switch (key) {
                    case "arg" -> {
                        int eq = value.indexOf('=');
                        args.put(value.substring(0, eq), value.substring(eq + 1));
                    }
                    case "base" -> bases.add(ImageReference.parse(value));
                    case "pinned" -> pinned.add(ImageReference.parse(value));
                    case "error" -> {
                        int c = value.indexOf(": ");
                        errorLine = Integer.parseInt(value.substring(0, c));
                        error = value.substring(c + 2);
                    }
                    case "buildkit" -> buildKit = value.equals("yes");
                    case "differential" -> {
                        differential = value.equals("yes");
                        if (!differential) {
                            if (!value.startsWith("no: ")) {
                                throw new IllegalArgumentException(dir + ": differential is 'yes' or 'no: <why>'");
                            }
                            why = value.substring(4);
                        }
                    }
                    default -> throw new IllegalArgumentException(dir + ": unknown key " + key);
                }
            }
            if (differential == null) {
                throw new IllegalArgumentException(dir + ": says nothing of 'differential'");
            }
            return new DockerfileCorpus(dir.getFileName().toString(), dir, dockerfile, Map.copyOf(args), List.copyOf(bases),
                    List.copyOf(pinned), errorLine, error, buildKit, differential, why);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String toString() {
        return name;
    }
}
