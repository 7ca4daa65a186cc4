package dev.freshen.descriptor;

import dev.freshen.events.image.ImageReference;
import dev.freshen.events.image.VersionTag;
import dev.freshen.events.image.Platform;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The company's real platform images (the repository's {@code platform-images/}), checked with the production loader
 * and parser: nothing from MCR can be pulled here, so this is what proves every descriptor and Dockerfile would be
 * accepted by the services, and that the folder is consistent with itself (apps build FROM images the folder
 * publishes, no two images publish the same tags). A broken descriptor fails the build, naming the file and field.
 */
class PlatformImagesTest {

    private static final String VENDOR_REGISTRY = "mcr.microsoft.com";

    private static Path root;
    private static PlatformImageCatalog.Scan scan;
    private static Map<String, PlatformImage> images;

    @BeforeAll
    static void scan() {
        root = platformImagesRoot();
        scan = new PlatformImageCatalog(root).scan();
        images = scan.images();
    }

    @Test
    void everyDescriptorUnderTheRootLoads() {
        assertEquals(List.of(), scan.errors().stream().map(DescriptorException::getMessage).toList(),
                "every descriptor under " + root + " loads");
    }

    /** The shipped images are there: .NET 10 and 11, so an accidental deletion or a moved folder is noticed. */
    @Test
    void theShippedImagesAreThere() {
        assertTrue(images.keySet().containsAll(Set.of("net10/runtime", "net10/aspnet", "net10/sdk",
                "net10/runtime-chiseled", "net11/runtime", "net11/aspnet", "net11/sdk")), () -> "found " + images.keySet());
    }

    /** Every folder holding a descriptor is an image the loader serves: none is silently skipped. */
    @Test
    void everyFolderWithADescriptorIsAnImage() {
        assertEquals(new TreeSet<>(ids().toList()), new TreeSet<>(images.keySet()));
    }

    /**
     * The ids, found by walking {@code platform-images/} for {@value PlatformImage#DESCRIPTOR_FILE} files, independently of
     * the loader: adding an image folder adds its checks here with no edit of this test.
     */
    static Stream<String> ids() {
        Path root = platformImagesRoot();
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(f -> f.getFileName().toString().equals(PlatformImage.DESCRIPTOR_FILE))
                    .map(f -> root.relativize(f.getParent()).toString().replace('\\', '/'))
                    .sorted().toList().stream();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Also reports each image on its own, with the loader's message (file, field, problem) when it does not load. */
    @ParameterizedTest
    @MethodSource("ids")
    void descriptorLoadsWithTheRealLoader(String id) {
        PlatformImage image = new DescriptorLoader(root).load(root.resolve(id).resolve(PlatformImage.DESCRIPTOR_FILE));
        assertEquals(id, image.id());
        assertTrue(image.hasIntegrationTest(), id + ": every platform image is proven with a real application");
    }

    /** Microsoft publishes every .NET image for amd64 and arm64: so do we, as one image index. */
    @ParameterizedTest
    @MethodSource("ids")
    void everyImageIsBuiltForAmd64AndArm64(String id) {
        assertEquals(List.of(Platform.LINUX_AMD64, Platform.parse("linux/arm64")), image(id).descriptor().platforms(), id);
    }

    @ParameterizedTest
    @MethodSource("ids")
    void basesAreFullyQualifiedVendorTagsOfTheSameDotnetVersion(String id) {
        PlatformImage image = image(id);
        String major = id.substring("net".length(), id.indexOf('/'));
        List<Dockerfile.From> external = image.dockerfile().froms().stream().filter(Dockerfile.From::isExternal).toList();
        assertFalse(external.isEmpty(), id + ": has a base image to watch");
        for (Dockerfile.From from : external) {
            ImageReference base = from.external();
            String where = id + "/Dockerfile line " + from.line() + " (" + from.written() + ")";
            assertTrue(from.resolved().startsWith(VENDOR_REGISTRY + "/"), where + ": names its registry explicitly");
            assertEquals(VENDOR_REGISTRY, base.registry(), where);
            assertTrue(base.repository().startsWith("dotnet/"), where + ": a Microsoft .NET image");
            assertNotNull(base.tag(), where + ": has a tag (the watcher watches tags)");
            assertNull(base.digest(), where + ": no digest (Freshen pins the digest of each run itself)");
            assertTrue(base.tag().startsWith(major + ".0"), where + ": a .NET " + major + " tag");
        }
        assertTrue(image.descriptor().target().tagPrefix().startsWith(major + ".0-"),
                id + ": tagPrefix names the .NET version and distro");
    }

    @ParameterizedTest
    @MethodSource("ids")
    void integrationTestReplacesAFromThatIsLiterallyInTheAppDockerfile(String id) throws IOException {
        PlatformImage image = image(id);
        IntegrationTest test = image.descriptor().integrationTest();
        assertTrue(Files.isRegularFile(image.appDockerfilePath()), id + ": " + image.appDockerfilePath() + " exists");
        Dockerfile app = Dockerfile.parse(read(image.appDockerfilePath()));
        assertTrue(app.froms().stream().anyMatch(f -> f.resolved().equals(test.replaceFrom())),
                id + ": FROM " + test.replaceFrom() + " is written in " + root.relativize(image.appDockerfilePath()));
        assertEquals(8080, test.port(), id + ": the apps listen on the images' port contract");
        assertEquals(200, test.expect().status());
    }

    /** An app's other FROMs are pulled as published: they must name what this folder publishes, by a moving tag. */
    @ParameterizedTest
    @MethodSource("ids")
    void everyFromOfTheAppIsAnImageThisFolderPublishes(String id) throws IOException {
        PlatformImage image = image(id);
        Set<String> published = new TreeSet<>();
        Set<String> registries = new TreeSet<>();
        for (PlatformImage other : images.values()) {
            Target target = other.descriptor().target();
            ImageReference replaced = ImageReference.parse(other.descriptor().integrationTest().replaceFrom());
            registries.add(replaced.registry());
            target.extraTags().forEach(tag -> published.add(replaced.registry() + "/" + target.repository() + ":" + tag));
        }
        assertEquals(1, registries.size(), "all apps name one company registry: " + registries);
        for (Dockerfile.From from : Dockerfile.parse(read(image.appDockerfilePath())).froms()) {
            if (from.isExternal()) {
                assertTrue(published.contains(from.resolved()), root.relativize(image.appDockerfilePath()) + " line "
                        + from.line() + ": FROM " + from.resolved() + " is not published by any image here " + published);
            }
        }
    }

    /** What the Dockerfiles copy from their build context is in the folder (the CA hook, the app's sources). */
    @ParameterizedTest
    @MethodSource("ids")
    void copiedFilesExistInTheBuildContexts(String id) throws IOException {
        PlatformImage image = image(id);
        assertCopiesExist(image.directory(), image.dockerfilePath());
        assertCopiesExist(image.appDirectory(), image.appDockerfilePath());
    }

    @ParameterizedTest
    @MethodSource("ids")
    void caHookFolderIsThereAndHoldsNoPrivateKey(String id) throws IOException {
        Path hook = root.resolve(id).resolve("ca-certificates");
        assertTrue(Files.isRegularFile(hook.resolve("README.md")), id + ": the CA hook folder documents itself");
        try (Stream<Path> files = Files.walk(hook)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                assertFalse(read(file).contains("PRIVATE KEY"), file + ": a private key must never be in an image");
            }
        }
    }

    /** The policy: non-root, {@code dotnet --info} succeeds, the environment the images promise is set. */
    @ParameterizedTest
    @MethodSource("ids")
    void policyChecksCoverUserDotnetAndEnvironment(String id) {
        Checks checks = image(id).descriptor().checks();
        assertEquals(Checks.User.NON_ROOT, checks.user(), id);
        assertTrue(checks.commands().contains(List.of("dotnet", "--info")), id + ": runs dotnet --info");
        assertTrue(checks.env().containsAll(List.of("APP_UID", "DOTNET_SYSTEM_GLOBALIZATION_INVARIANT")), id + ": " + checks.env());
        assertTrue(checks.labels().contains("org.opencontainers.image.base.digest"), id);
        assertFalse(image(id).descriptor().channels().isEmpty(), id + ": names who is told");
    }

    /** A chiseled base has no shell: a RUN in its Dockerfile could never build against the real base. */
    @Test
    void chiseledImagesHaveNoRunInstruction() throws IOException {
        List<String> chiseled = images.values().stream()
                .filter(i -> i.baseImages().stream().anyMatch(b -> b.tag().contains("chiseled"))).map(PlatformImage::id).toList();
        assertEquals(List.of("net10/runtime-chiseled"), chiseled);
        for (String id : chiseled) {
            assertEquals(List.of(), DockerfileCopies.parse(read(image(id).dockerfilePath())).runLines(), id + ": RUN lines");
            for (List<String> command : image(id).descriptor().checks().commands()) {
                assertFalse(command.get(0).endsWith("sh"), id + ": check " + command + " needs a shell");
            }
        }
    }

    /** Two images never publish the same version or move the same tag in one repository. */
    @Test
    void versionAndExtraTagsAreUniquePerRepository() {
        Map<String, String> owners = new HashMap<>();
        List<String> clashes = new ArrayList<>();
        for (PlatformImage image : images.values()) {
            Target target = image.descriptor().target();
            List<String> tags = new ArrayList<>(target.extraTags());
            tags.add(VersionTag.initial(target.tagPrefix()).tag());
            for (String tag : tags) {
                String previous = owners.putIfAbsent(target.repository() + ":" + tag, image.id());
                if (previous != null) {
                    clashes.add(target.repository() + ":" + tag + " by " + previous + " and " + image.id());
                }
            }
            for (PlatformImage other : images.values()) {
                Target theirs = other.descriptor().target();
                if (other != image && theirs.repository().equals(target.repository())) {
                    assertTrue(target.extraTags().stream().noneMatch(t -> VersionTag.parse(theirs.tagPrefix(), t).isPresent()),
                            image.id() + " moves a tag that looks like a version of " + other.id());
                }
            }
        }
        assertEquals(List.of(), clashes);
        assertEquals("10.0-noble-1.0.0", VersionTag.initial(image("net10/runtime").descriptor().target().tagPrefix()).tag());
    }

    private static void assertCopiesExist(Path context, Path dockerfile) throws IOException {
        for (DockerfileCopies.Copy copy : DockerfileCopies.parse(read(dockerfile)).copies()) {
            for (String source : copy.sources()) {
                Path path = context.resolve(source).normalize();
                String where = root.relativize(dockerfile) + " line " + copy.line() + ": " + source;
                assertFalse(source.contains("*") || source.contains("?"), where + ": a wildcard fails the build when nothing matches");
                assertTrue(path.startsWith(context), where + " is outside the build context");
                assertTrue(Files.exists(path), where + " does not exist in " + root.relativize(context));
            }
        }
    }

    private static PlatformImage image(String id) {
        PlatformImage image = images.get(id);
        if (image == null) {
            fail(id + " did not load (see the other failures)");
        }
        return image;
    }

    private static String read(Path file) throws IOException {
        return Files.readString(file, StandardCharsets.UTF_8);
    }

    /** The repository's {@code platform-images/}: the nearest folder above the module that has one. */
    static Path platformImagesRoot() {
        Path dir = Paths.get("").toAbsolutePath();
        while (dir != null && !Files.isDirectory(dir.resolve("platform-images"))) {
            dir = dir.getParent();
        }
        assertNotNull(dir, "no platform-images/ folder above " + Paths.get("").toAbsolutePath());
        return dir.resolve("platform-images");
    }
}
