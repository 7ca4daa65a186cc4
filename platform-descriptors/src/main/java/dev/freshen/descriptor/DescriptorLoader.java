package dev.freshen.descriptor;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
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
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** Loads one platform image folder, checking everything that can be checked without a registry. */
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

    /** Loads the image whose {@code platform-image.yaml} is {@code descriptorFile}. */
    public PlatformImage load(Path descriptorFile) {
        Path file = descriptorFile.toAbsolutePath().normalize();
        Path shown = root.relativize(file);
        Path directory = file.getParent();
        String id = root.relativize(directory).toString().replace('\\', '/');
        try {
            ImageIds.validate(id);
        } catch (IllegalArgumentException e) {
            throw new DescriptorException(shown, "folder name is not a valid image id: " + e.getMessage());
        }
        Descriptor descriptor = read(file, shown);
        Path dockerfilePath = inside(directory.resolve(descriptor.build().dockerfile()), shown, "build.dockerfile");
        Dockerfile dockerfile = parseDockerfile(dockerfilePath, shown, "build.dockerfile");

        Path appDirectory = null;
        Path appDockerfilePath = null;
        IntegrationTest test = descriptor.integrationTest();
        if (test != null) {
            appDirectory = inside(root.resolve(test.app()), shown, "integrationTest.app");
            if (!Files.isDirectory(appDirectory)) {
                throw new DescriptorException(shown, "field 'integrationTest.app': " + test.app() + " is not a folder");
            }
            appDockerfilePath = inside(appDirectory.resolve(test.dockerfile()), shown, "integrationTest.dockerfile");
            Dockerfile appDockerfile = parseDockerfile(appDockerfilePath, shown, "integrationTest.dockerfile");
            ImageReference replaced = ImageReference.parse(test.replaceFrom());
            if (appDockerfile.froms().stream().noneMatch(f -> replaced.equals(f.external()))) {
                throw new DescriptorException(shown, "field 'integrationTest.replaceFrom': " + test.replaceFrom()
                        + " does not appear in a FROM line of " + root.relativize(appDockerfilePath) + " (its FROM lines: "
                        + appDockerfile.froms().stream().map(Dockerfile.From::written).collect(Collectors.joining(", ")) + ")");
            }
        }
        return new PlatformImage(id, directory, descriptor, dockerfilePath, dockerfile, appDirectory, appDockerfilePath,
                contentHash(directory));
    }

    private static Descriptor read(Path file, Path shown) {
        try {
            // the whole document is parsed first, so a syntax error is reported as such, with its line
            JsonNode tree = YAML.readTree(file.toFile());
            if (tree == null || tree.isMissingNode() || tree.isNull()) {
                throw new DescriptorException(shown, "the file is empty");
            }
            if (!tree.isObject()) {
                throw new DescriptorException(shown, "expected a mapping of keys (target, schedule, ...) at the top level");
            }
            return YAML.treeToValue(tree, Descriptor.class);
        } catch (UnrecognizedPropertyException e) {
            String where = path(e);
            String known = e.getKnownPropertyIds().stream().map(Object::toString).sorted().collect(Collectors.joining(", "));
            throw new DescriptorException(shown, "unknown key '" + (where.isEmpty() ? e.getPropertyName() : where)
                    + "' (known keys here: " + known + ")", e);
        } catch (JsonMappingException e) {
            Throwable cause = e.getCause();
            String where = path(e);
            if (cause instanceof InvalidField invalid) {
                String field = where.isEmpty() ? invalid.field() : where + "." + invalid.field();
                if (where.endsWith("." + invalid.field()) || where.equals(invalid.field())) {
                    field = where;
                }
                throw new DescriptorException(shown, "field '" + field + "': " + invalid.problem(), e);
            }
            String problem = cause != null && cause.getMessage() != null ? cause.getMessage() : e.getOriginalMessage();
            throw new DescriptorException(shown, (where.isEmpty() ? "" : "field '" + where + "': ") + firstLine(problem), e);
        } catch (JsonProcessingException e) {
            throw new DescriptorException(shown, "not valid YAML: " + firstLine(e.getOriginalMessage())
                    + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ")"), e);
        } catch (IOException e) {
            throw new DescriptorException(shown, "cannot read: " + e.getMessage(), e);
        }
    }

    /** Resolves a path that must stay inside the platform-images root, following symbolic links. */
    private Path inside(Path path, Path shown, String field) {
        Path normalized = path.toAbsolutePath().normalize();
        if (!normalized.startsWith(root)) {
            throw new DescriptorException(shown, "field '" + field + "': " + root.relativize(normalized)
                    + " is outside the platform-images root");
        }
        if (!Files.exists(normalized)) {
            throw new DescriptorException(shown, "field '" + field + "': " + root.relativize(normalized) + " does not exist");
        }
        try {
            if (!normalized.toRealPath().startsWith(root.toRealPath())) {
                throw new DescriptorException(shown, "field '" + field + "': " + root.relativize(normalized)
                        + " links outside the platform-images root");
            }
        } catch (IOException e) {
            throw new DescriptorException(shown, "field '" + field + "': cannot resolve " + normalized + ": " + e.getMessage(), e);
        }
        return normalized;
    }

    private Dockerfile parseDockerfile(Path dockerfile, Path shown, String field) {
        try {
            return Dockerfile.parse(Files.readString(dockerfile, StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            throw new DescriptorException(shown, "field '" + field + "': " + root.relativize(dockerfile) + " " + e.getMessage(), e);
        } catch (IOException e) {
            throw new DescriptorException(shown, "field '" + field + "': cannot read " + root.relativize(dockerfile), e);
        }
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

    private static String path(JsonMappingException e) {
        return e.getPath().stream()
                .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining(".")).replace(".[", "[");
    }

    private static String firstLine(String text) {
        if (text == null) {
            return "invalid value";
        }
        int newline = text.indexOf('\n');
        return newline < 0 ? text : text.substring(0, newline);
    }
}
