package dev.freshen.descriptor;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.freshen.descriptor.context.ContextException;
import dev.freshen.descriptor.context.ContextFiles;
import dev.freshen.descriptor.context.DockerIgnore;
import dev.freshen.descriptor.definition.Definition;
import dev.freshen.descriptor.definition.Definitions;
import dev.freshen.events.Durations;
import dev.freshen.events.ImageIds;
import dev.freshen.events.image.Digest;
import dev.freshen.events.image.ImageReference;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Loads one platform image folder, checking everything that can be checked without a registry, and reporting every
 * problem at once ({@link DescriptorException#problems()}): the descriptor is first walked key by key
 * ({@code DescriptorReader}, which knows where each value is written), then the files it names are checked, and only a
 * descriptor without problems is read into its records.
 */
public final class DescriptorLoader {

    private static final ObjectMapper YAML = YAMLMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .addModule(new SimpleModule().addDeserializer(Duration.class, new JsonDeserializer<>() {
                @Override
                public Duration deserialize(JsonParser p, com.fasterxml.jackson.databind.DeserializationContext ctx)
                        throws IOException {
                    try {
                        return Durations.parse(p.getValueAsString());
                    } catch (IllegalArgumentException e) {
                        throw JsonMappingException.from(p, e.getMessage(), e);
                    }
                }
            }))
            .build();

    private final Path root;

    /** @param root the platform-images root; image ids are folder paths relative to it */
    public DescriptorLoader(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    public Path root() {
        return root;
    }

    /**
     * Loads the image whose {@code platform-image.yaml} is {@code descriptorFile}.
     *
     * @throws DescriptorException with every problem of the descriptor (not only the first): unknown keys, missing
     *                             and invalid values, a bad cron expression, paths outside the root, a missing
     *                             Dockerfile or application, a {@code replaceFrom} the application does not use
     */
    public PlatformImage load(Path descriptorFile) {
        return read(descriptorFile).image();
    }

    /** A loaded image with where each of its descriptor's fields is written (for checks across images). */
    record Loaded(PlatformImage image, DescriptorReader.Result reading) {
    }

    Loaded read(Path descriptorFile) {
        Path file = descriptorFile.toAbsolutePath().normalize();
        Path shown = root.relativize(file);
        String shownText = shown.toString().replace('\\', '/');
        Path directory = file.getParent();
        String id = root.relativize(directory).toString().replace('\\', '/');
        List<DescriptorProblem> problems = new ArrayList<>();
        String imageId = id;
        try {
            ImageIds.validate(id);
        } catch (IllegalArgumentException e) {
            imageId = null;
            problems.add(new DescriptorProblem(DescriptorProblem.INVALID_IMAGE_ID, shownText, null, 0, 0,
                    "the folder is not a valid image id: " + e.getMessage(), "Rename the folder: an image id is a path "
                    + "below the platform-images root whose parts are letters, digits, '.', '_' or '-', starting with "
                    + "a letter or digit, e.g. net10/runtime."));
        }
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (java.nio.charset.CharacterCodingException e) {
            problems.add(new DescriptorProblem(DescriptorProblem.UNREADABLE, shownText, null, 0, 0,
                    "the file is not UTF-8 text", "Save it as UTF-8."));
            throw new DescriptorException(shown, imageId, problems, null, null);
        } catch (IOException e) {
            problems.add(new DescriptorProblem(DescriptorProblem.UNREADABLE, shownText, null, 0, 0,
                    "cannot read the file (" + describe(e) + ")", "Make it a readable file."));
            throw new DescriptorException(shown, imageId, problems, null, null);
        }
        DescriptorReader.Result reading = DescriptorReader.read(shownText, text);
        problems.addAll(reading.problems());
        FileChecks files = new FileChecks(shownText, reading, problems);

        String dockerfileName = reading.<String>value("build.dockerfile")
                .orElse(reading.clean("build.dockerfile") ? "Dockerfile" : null);
        Path dockerfilePath = dockerfileName == null ? null : files.inside(directory.resolve(dockerfileName),
                "build.dockerfile", DescriptorProblem.DOCKERFILE_MISSING, "Create it, or set build.dockerfile to the "
                        + "name of the Dockerfile in " + id + "/.");
        Dockerfile dockerfile = dockerfilePath == null ? null : files.dockerfile(dockerfilePath, "build.dockerfile",
                reading.<Map<String, String>>value("build.args").orElse(Map.of()));

        try {
            ContextFiles.dockerIgnore(directory);
        } catch (ContextException e) {
            problems.add(contextProblem(id, shownText, e));
        }

        Path appDirectory = null;
        Path appDockerfilePath = null;
        Optional<String> app = reading.value("integrationTest.app");
        if (app.isPresent()) {
            appDirectory = files.inside(root.resolve(app.get()), "integrationTest.app", DescriptorProblem.APP_MISSING,
                    "Create the application's folder with its Dockerfile, or correct integrationTest.app (a folder "
                            + "relative to the platform-images root)" + files.nearFolder(root.resolve(app.get())));
            if (appDirectory != null && !Files.isDirectory(appDirectory)) {
                files.problem(DescriptorProblem.APP_MISSING, "integrationTest.app", "field 'integrationTest.app': "
                        + app.get() + " is not a folder", "Set it to the application's folder, not a file in it.");
                appDirectory = null;
            }
        }
        if (appDirectory != null) {
            String appDockerfileName = reading.<String>value("integrationTest.dockerfile")
                    .orElse(reading.clean("integrationTest.dockerfile") ? "Dockerfile" : null);
            appDockerfilePath = appDockerfileName == null ? null : files.inside(appDirectory.resolve(appDockerfileName),
                    "integrationTest.dockerfile", DescriptorProblem.APP_MISSING, "Add the application's Dockerfile to "
                            + root.relativize(appDirectory) + "/, or set integrationTest.dockerfile to its name there.");
            Dockerfile appDockerfile = appDockerfilePath == null ? null
                    : files.dockerfile(appDockerfilePath, "integrationTest.dockerfile", Map.of());
            Optional<String> replaceFrom = reading.value("integrationTest.replaceFrom");
            if (appDockerfile != null && replaceFrom.isPresent()) {
                ImageReference replaced = ImageReference.parse(replaceFrom.get());
                if (appDockerfile.images().stream().noneMatch(i -> replaced.equals(i.reference()) || replaced.equals(i.watched()))) {
                    String froms = appDockerfile.froms().stream().map(Dockerfile.From::written).collect(Collectors.joining(", "));
                    files.problem(DescriptorProblem.REPLACE_FROM_NOT_IN_APP, "integrationTest.replaceFrom",
                            "field 'integrationTest.replaceFrom': " + replaceFrom.get() + " does not appear in a FROM line of "
                                    + root.relativize(appDockerfilePath).toString().replace('\\', '/') + " (its FROM lines: " + froms + ")",
                            "Write the image exactly as the FROM line of the application's Dockerfile that the candidate "
                                    + "replaces names it (" + froms + "), or change that FROM line.");
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new DescriptorException(shown, imageId, problems, partialTarget(reading),
                    reading.<List<String>>value("notify").orElse(null));
        }
        Descriptor descriptor;
        try {
            descriptor = YAML.readValue(text, Descriptor.class);
        } catch (IOException | RuntimeException e) {
            // the walk above checks every rule the records have; reaching this is a defect, shown without internals
            throw new DescriptorException(shown, imageId, List.of(new DescriptorProblem(DescriptorProblem.INVALID_VALUE,
                    shownText, null, 0, 0, "the descriptor cannot be read into its fields",
                    "Compare it with the example in docs/descriptors.md; the watcher's log has the details.")),
                    partialTarget(reading), null);
        }
        Definition definition;
        try {
            definition = Definitions.of(root, directory, descriptor, dockerfilePath);
        } catch (ContextException e) {
            throw new DescriptorException(shown, imageId, List.of(contextProblem(id, shownText, e)), descriptor.target(),
                    descriptor.channels());
        }
        PlatformImage image = new PlatformImage(id, directory, descriptor, dockerfilePath, dockerfile, appDirectory,
                appDockerfilePath, contentHash(directory), definition);
        return new Loaded(image, reading);
    }

    /**
     * A build context that cannot be read as Docker sends it, as the problem of the image: a malformed
     * {@code .dockerignore} pattern at its line, or a file of the context that cannot be read.
     */
    private static DescriptorProblem contextProblem(String id, String shownText, ContextException e) {
        String prefix = id.isEmpty() ? "" : id + "/";
        if (e.ignoreFileInvalid()) {
            String lead = DockerIgnore.FILE_NAME + " line " + e.line() + ": ";
            String message = e.getMessage().startsWith(lead) ? e.getMessage().substring(lead.length()) : e.getMessage();
            return new DescriptorProblem(DescriptorProblem.DOCKERIGNORE_INVALID, prefix + DockerIgnore.FILE_NAME, null,
                    e.line(), 0, message, "Fix or remove that line of " + prefix + DockerIgnore.FILE_NAME + ": Docker "
                    + "refuses the file too ('docker build' fails with \"invalid excludepatterns\"); a [ needs its ], and "
                    + "a trailing \\ escapes nothing.");
        }
        return new DescriptorProblem(DescriptorProblem.UNREADABLE, e.file().isEmpty() ? shownText : prefix + e.file(),
                null, 0, 0, e.getMessage(), "Make it readable, or exclude it in " + prefix + DockerIgnore.FILE_NAME
                + ": a build sends every file of the folder that .dockerignore leaves in.");
    }

    /** The target as far as it is valid: its repository and tag prefix, with the extra tags when those are valid. */
    private static Target partialTarget(DescriptorReader.Result reading) {
        Optional<String> repository = reading.value("target.repository");
        Optional<String> prefix = reading.value("target.tagPrefix");
        if (repository.isEmpty() || prefix.isEmpty()) {
            return null;
        }
        try {
            return new Target(repository.get(), prefix.get(), reading.<List<String>>value("target.extraTags").orElse(null),
                    reading.<Integer>value("target.retention.keepVersions").map(Retention::new).orElse(null));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** The checks of files a descriptor names, adding their problems to the descriptor's. */
    private final class FileChecks {

        private final String shownText;
        private final DescriptorReader.Result reading;
        private final List<DescriptorProblem> problems;

        FileChecks(String shownText, DescriptorReader.Result reading, List<DescriptorProblem> problems) {
            this.shownText = shownText;
            this.reading = reading;
            this.problems = problems;
        }

        void problem(String code, String field, String message, String hint) {
            DescriptorReader.Mark at = reading.at(field);
            problems.add(new DescriptorProblem(code, shownText, field, at.line(), at.column(), message, hint));
        }

        /** {@code path} when it stays inside the root (also through links) and exists; else null and a problem. */
        Path inside(Path path, String field, String missingCode, String missingHint) {
            Path normalized = path.toAbsolutePath().normalize();
            String shown = root.relativize(normalized).toString().replace('\\', '/');
            if (!normalized.startsWith(root)) {
                problem(DescriptorProblem.PATH_OUTSIDE_ROOT, field, "field '" + field + "': " + shown
                        + " is outside the platform-images root", "Use a path inside the platform-images root: "
                        + DescriptorKeys.help(field) + ".");
                return null;
            }
            if (!Files.exists(normalized)) {
                problem(missingCode, field, "field '" + field + "': " + shown + " does not exist", missingHint);
                return null;
            }
            try {
                if (!normalized.toRealPath().startsWith(root.toRealPath())) {
                    problem(DescriptorProblem.PATH_OUTSIDE_ROOT, field, "field '" + field + "': " + shown
                            + " links outside the platform-images root", "Copy the file into the platform-images root "
                            + "instead of linking to it: builds read only the root.");
                    return null;
                }
            } catch (IOException e) {
                problem(DescriptorProblem.UNREADABLE, field, "field '" + field + "': cannot resolve " + shown + " ("
                        + describe(e) + ")", "Make it a readable file or folder inside the platform-images root.");
                return null;
            }
            return normalized;
        }

        Dockerfile dockerfile(Path path, String field, Map<String, String> buildArgs) {
            String shown = root.relativize(path).toString().replace('\\', '/');
            if (!Files.isRegularFile(path)) {
                problem(DescriptorProblem.DOCKERFILE_MISSING, field, "field '" + field + "': " + shown + " is not a file",
                        "Point " + field + " at the Dockerfile itself.");
                return null;
            }
            try {
                return Dockerfile.parse(Files.readString(path, StandardCharsets.UTF_8), buildArgs);
            } catch (Dockerfile.InvalidDockerfileException e) {
                // the problem is in the Dockerfile: name it, and its line ("line 3: FROM requires either one or three ...")
                String message = e.line() == 0 ? e.getMessage() : e.getMessage().substring(("line " + e.line() + ": ").length());
                problems.add(new DescriptorProblem(DescriptorProblem.DOCKERFILE_INVALID, shown, field, e.line(), 0, message,
                        message.contains(" uses ARG ") ? "Give the ARG a default before the first FROM, or a value in "
                                + "build.args of the descriptor."
                                : "Fix the Dockerfile (named by " + field + ") so that docker build reads it: every stage "
                                + "starts with FROM <image> [AS <name>]."));
            } catch (IOException e) {
                problem(DescriptorProblem.UNREADABLE, field, "field '" + field + "': cannot read " + shown + " ("
                        + describe(e) + ")", "Make it a readable UTF-8 file.");
            } catch (RuntimeException e) {
                // a defect of the reader must not stop the scan of the other images; the log has the details
                System.getLogger(DescriptorLoader.class.getName()).log(System.Logger.Level.WARNING, "Cannot read " + shown, e);
                problems.add(new DescriptorProblem(DescriptorProblem.DOCKERFILE_INVALID, shown, field, 0, 0,
                        "Freshen cannot read this Dockerfile", "Check that 'docker build' reads it; if it does, report "
                        + "the file to the Freshen maintainers (the watcher's log has the details)."));
            }
            return null;
        }

        /** "; did you mean apps/echo?" when a folder beside a missing one has a near name, else ".". */
        String nearFolder(Path missing) {
            Path normalized = missing.toAbsolutePath().normalize();
            Path parent = normalized.getParent();
            if (parent == null || !normalized.startsWith(root) || !Files.isDirectory(parent)) {
                return ".";
            }
            String name = normalized.getFileName().toString();
            try (Stream<Path> siblings = Files.list(parent)) {
                return siblings.filter(Files::isDirectory)
                        .filter(p -> DescriptorKeys.distance(name.toLowerCase(java.util.Locale.ROOT),
                                p.getFileName().toString().toLowerCase(java.util.Locale.ROOT)) <= Math.min(2, name.length() / 2))
                        .map(p -> "; did you mean " + root.relativize(p).toString().replace('\\', '/') + "?")
                        .findFirst().orElse(".");
            } catch (IOException e) {
                return ".";
            }
        }
    }

    /** An I/O failure in plain words. */
    private static String describe(IOException e) {
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof java.nio.file.NoSuchFileException) {
            return "no such file";
        }
        return e.getMessage() == null ? "I/O error" : e.getMessage();
    }

    /** sha256 over every regular file of the folder (relative path and content), in a stable order. */
    static String contentHash(Path directory) {
        try (Stream<Path> files = Files.walk(directory)) {
            List<Path> sorted = files.filter(Files::isRegularFile).sorted().toList();
            ByteArrayOutputStream material = new ByteArrayOutputStream();
            for (Path file : sorted) {
                material.write(directory.relativize(file).toString().replace('\\', '/').getBytes(StandardCharsets.UTF_8));
                material.write(0);
                material.write(Digest.sha256Of(Files.readAllBytes(file)).hex().getBytes(StandardCharsets.UTF_8));
                material.write('\n');
            }
            return Digest.sha256Of(material.toByteArray()).toString();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot hash " + directory, e);
        }
    }
}
