package dev.freshen.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.freshen.descriptor.DescriptorLoader;
import dev.freshen.descriptor.FromRewriter;
import dev.freshen.descriptor.PlatformImage;
import dev.freshen.events.image.ImageReference;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Fixture copies of the company's real platform images ({@code platform-images/}), so that the pipeline can run end to
 * end on them where nothing can be pulled from the vendor: the image's folder as it is, with every external
 * {@code FROM} moved to a local registry that plays the vendor's (same repository and tag, e.g.
 * {@code mcr.microsoft.com/dotnet/runtime:10.0-noble-chiseled} becomes {@code 127.0.0.1:5123/dotnet/runtime:10.0-noble-chiseled},
 * published there with {@link FixtureImages#publishBase}), and its descriptor with what needs the vendor's content
 * swapped for the local fixture's ({@code deploy/local/platform-images}): the busybox echo application instead of the
 * .NET one (no dotnet SDK here), and the fixture's {@code files} and {@code commands} checks instead of those probing
 * for dotnet or the CA bundle. Everything else, the Dockerfile's steps, target, tags and the user, label and environment
 * checks, stays the real image's, so the run proves the real hardening on the fixture base. The copy is built for
 * linux/amd64 only, the one platform of the fixture base.
 * <p>
 * Only images whose Dockerfile has no {@code RUN} build on the fixture base (it has busybox, not Ubuntu's tools), like
 * {@code net10/runtime-chiseled}.
 */
public final class FixturePlatformImages {

    /** A copy: its platform-images root, the image id, and the bases it now builds {@code FROM} (by tag, to publish). */
    public record Copy(Path root, String imageId, List<ImageReference> bases) {
        public Copy {
            bases = List.copyOf(bases);
        }
    }

    private static final YAMLMapper YAML = new YAMLMapper();
    private static final String FIXTURE_APP = "apps/fixture-echo";
    private static final String FIXTURE_DESCRIPTOR = "fixture/runtime/" + PlatformImage.DESCRIPTOR_FILE;

    private FixturePlatformImages() {
    }

    /**
     * Copies the real image {@code id} of {@code platformImagesRoot} into {@code target} (a platform-images root of its
     * own, created if needed) as described above, and loads the copy with the production loader, so a copy that the
     * services would refuse fails here.
     *
     * @param fixtureRegistry {@code host:port} of the registry that plays the vendor's
     */
    public static Copy copyOf(Path platformImagesRoot, String id, String fixtureRegistry, Path target) {
        try {
            PlatformImage real = new DescriptorLoader(platformImagesRoot).load(
                    platformImagesRoot.resolve(id).resolve(PlatformImage.DESCRIPTOR_FILE));
            Path folder = target.resolve(id);
            copyTree(real.directory(), folder);
            Path fixtures = Commands.repositoryRoot().resolve("deploy/local/platform-images");
            copyTree(fixtures.resolve(FIXTURE_APP), target.resolve(FIXTURE_APP));

            String dockerfile = Files.readString(real.dockerfilePath(), StandardCharsets.UTF_8);
            List<ImageReference> bases = new ArrayList<>();
            for (ImageReference base : real.baseImages()) {
                ImageReference local = new ImageReference(fixtureRegistry, base.repository(), base.tag(), null);
                dockerfile = FromRewriter.replace(dockerfile, base, local);
                bases.add(local);
            }
            Files.writeString(folder.resolve(real.directory().relativize(real.dockerfilePath()).toString()), dockerfile,
                    StandardCharsets.UTF_8);

            JsonNode fixture = YAML.readTree(fixtures.resolve(FIXTURE_DESCRIPTOR).toFile());
            ObjectNode descriptor = (ObjectNode) YAML.readTree(real.directory().resolve(PlatformImage.DESCRIPTOR_FILE).toFile());
            descriptor.set("integrationTest", fixture.get("integrationTest").deepCopy());
            ObjectNode checks = descriptor.has("checks") ? (ObjectNode) descriptor.get("checks") : descriptor.putObject("checks");
            checks.set("files", fixture.at("/checks/files").deepCopy());
            checks.set("commands", fixture.at("/checks/commands").deepCopy());
            // the fixture base (FixtureImages.publishBase) is one linux/amd64 image; the real images' second platform
            // (linux/arm64) is proven on a two-platform fixture base by e2e MultiPlatformIT
            descriptor.putArray("platforms").add("linux/amd64");
            Path descriptorFile = folder.resolve(PlatformImage.DESCRIPTOR_FILE);
            Files.writeString(descriptorFile, "# Fixture copy of platform-images/" + id + " (FixturePlatformImages)\n"
                    + YAML.writeValueAsString(descriptor), StandardCharsets.UTF_8);

            new DescriptorLoader(target).load(descriptorFile);
            return new Copy(target, id, bases);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy platform image " + id + " to " + target, e);
        }
    }

    /** Copies a folder, keeping file modes (the fixture app's CGI script must stay executable). */
    private static void copyTree(Path source, Path target) throws IOException {
        try (Stream<Path> files = Files.walk(source)) {
            for (Path file : files.toList()) {
                Path to = target.resolve(source.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(file, to, StandardCopyOption.COPY_ATTRIBUTES, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }
}
