package dev.freshen.descriptor;

import dev.freshen.events.image.ImageReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which images are parents of which, over real descriptors loaded from a temporary platform-images folder. */
class ImageGraphTest {

    private static final String REGISTRY = "registry.test:5000";

    @TempDir
    Path root;

    @Test
    void aTargetRegistryThatIsNoHostIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ImageGraph.of(java.util.Map.of(), "https://registry.example.com/"));
        assertTrue(e.getMessage().contains("is not a registry host"), e.getMessage());
        assertEquals(java.util.List.of(), ImageGraph.of(java.util.Map.of(), "127.0.0.1:5000").order());
    }

    @Test
    void aVersionTagAndAnExtraTagOfASharedRepositoryNameTheirOwnPublisher() throws IOException {
        image("base/runtime", "platform/dotnet", "runtime-10.0", List.of("runtime-10.0"), "FROM mcr.test/dotnet/runtime:10.0\n");
        image("base/aspnet", "platform/dotnet", "aspnet-10.0", List.of("aspnet-10.0"),
                "FROM " + REGISTRY + "/platform/dotnet:runtime-10.0\n");
        image("team/app", "team/app", "1", List.of(), "FROM " + REGISTRY + "/platform/dotnet:aspnet-10.0-1.4.2\n");
        image("team/other", "team/other", "1", List.of(), "FROM other.test/platform/dotnet:aspnet-10.0\n");
        ImageGraph graph = graph();

        assertEquals(List.of(new ImageGraph.Edge("base/runtime",
                ImageReference.parse(REGISTRY + "/platform/dotnet:runtime-10.0"))), graph.parents("base/aspnet"));
        assertEquals(List.of("base/aspnet"), graph.parents("team/app").stream().map(ImageGraph.Edge::parentId).toList(),
                "a version tag of the aspnet prefix names aspnet, not runtime, in the shared repository");
        assertEquals(List.of(), graph.parents("team/other"), "another registry is upstream");
        assertEquals(List.of(), graph.parents("base/runtime"));
        assertEquals(List.of("base/aspnet"), graph.children("base/runtime"));
        assertEquals(List.of("base/aspnet", "base/runtime"), graph.ancestors("team/app"), "nearest first");
        assertEquals(List.of("base/aspnet", "team/app"), graph.descendants("base/runtime"));
        assertEquals(List.of("base/runtime", "base/aspnet", "team/app", "team/other"), graph.order());
        assertEquals(List.of(), graph.cycles());
        assertEquals(Optional.of("base/runtime"), graph.publisherOf(ImageReference.parse(REGISTRY + "/platform/dotnet:runtime-10.0-2.0.0")));
        assertEquals(Optional.empty(), graph.publisherOf(ImageReference.parse(REGISTRY + "/platform/dotnet:sdk-10.0")));
        assertEquals(Optional.empty(), graph.publisherOf(ImageReference.parse(REGISTRY + "/platform/dotnet")), "no tag");
    }

    @Test
    void aChildOfTwoParentsComesAfterBothAndAnArgBaseCounts() throws IOException {
        image("a/one", "a/one", "1", List.of("latest"), "FROM mcr.test/x:1\n");
        image("a/two", "a/two", "2", List.of(), "FROM mcr.test/y:1\n");
        image("b/child", "b/child", "1", List.of(), """
                ARG REG=%s
                FROM ${REG}/a/two:2-1.0.0 AS build
                FROM ${REG}/a/one:latest
                COPY --from=build /x /x
                """.formatted(REGISTRY));
        image("0/grandchild", "0/gc", "1", List.of(), "FROM " + REGISTRY + "/b/child:1-3.0.0\n");
        ImageGraph graph = graph();

        assertEquals(List.of("a/two", "a/one"), graph.parents("b/child").stream().map(ImageGraph.Edge::parentId).toList());
        assertEquals(List.of("b/child", "a/two", "a/one"), graph.ancestors("0/grandchild"), "nearest first, in FROM order");
        assertEquals(List.of("a/one", "a/two", "b/child", "0/grandchild"), graph.order(),
                "parents first, even when a child's id sorts before them");
        assertEquals(List.of("b/child", "0/grandchild"), graph.descendants("a/two"));
    }

    @Test
    void theTargetRegistryIsNormalisedAsReferencesAre() throws IOException {
        image("a/one", "one", "1", List.of("latest"), "FROM mcr.test/x:1\n");
        image("a/two", "two", "1", List.of(), "FROM one:latest\n");
        ImageGraph graph = ImageGraph.of(new PlatformImageCatalog(root).scan().images(), "index.docker.io");
        assertEquals(List.of("a/one"), graph.parents("a/two").stream().map(ImageGraph.Edge::parentId).toList());
        assertEquals(List.of(), ImageGraph.of(new PlatformImageCatalog(root).scan().images(), null).parents("a/two"));
    }

    @Test
    void cyclesOfOneAndOfThreeAreFound() throws IOException {
        image("c/self", "c/self", "1", List.of("latest"), "FROM " + REGISTRY + "/c/self:latest\n");
        image("d/a", "d/a", "1", List.of(), "FROM " + REGISTRY + "/d/c:1-1.0.0\n");
        image("d/b", "d/b", "1", List.of(), "FROM " + REGISTRY + "/d/a:1-1.0.0\n");
        image("d/c", "d/c", "1", List.of(), "FROM " + REGISTRY + "/d/b:1-1.0.0\n");
        image("e/below", "e/below", "1", List.of(), "FROM " + REGISTRY + "/d/c:1-1.0.0\n");
        image("f/free", "f/free", "1", List.of(), "FROM mcr.test/x:1\n");
        ImageGraph graph = ImageGraph.of(new PlatformImageCatalog(root).scan().images(), REGISTRY);

        assertEquals(List.of(List.of("c/self"), List.of("d/a", "d/b", "d/c")), graph.cycles());
        assertEquals(List.of("d/b", "d/c", "d/a"), graph.cycleThrough("d/b"));
        assertEquals(List.of(), graph.cycleThrough("e/below"));
        assertEquals("f/free", graph.order().get(0), "what a cycle blocks comes last");
    }

    @Test
    void theCatalogServesTheImagesOutsideACycleAndNamesTheCircleAtTheFromLine() throws IOException {
        image("base/a", "base/a", "1", List.of("latest"), "# base a\nFROM " + REGISTRY + "/base/b:latest\n");
        image("base/b", "base/b", "1", List.of("latest"), "FROM " + REGISTRY + "/base/a:latest\n");
        image("team/app", "team/app", "1", List.of(), "FROM " + REGISTRY + "/base/a:latest\n");
        image("base/root", "base/root", "1", List.of("latest"), "FROM mcr.test/x:1\n");
        image("base/leaf", "base/leaf", "1", List.of(), "FROM " + REGISTRY + "/base/root:latest\n");
        PlatformImageCatalog.Scan scan = new PlatformImageCatalog(root, TagOwners.NONE, REGISTRY).scan();

        assertEquals(List.of("base/leaf", "base/root", "team/app"), List.copyOf(new java.util.TreeSet<>(scan.images().keySet())));
        DescriptorProblem a = scan.error("base/a").orElseThrow().problems().get(0);
        assertEquals(DescriptorProblem.DEPENDENCY_CYCLE, a.code());
        assertEquals("base/a/Dockerfile", a.file());
        assertEquals(2, a.line(), "the FROM line");
        assertEquals("base/a \u2192 base/b \u2192 base/a: these images are built FROM each other's tags (base/a FROM "
                + REGISTRY + "/base/b:latest)", a.message());
        assertTrue(a.hint().startsWith("Build one of them FROM an upstream image"), a.hint());
        assertTrue(scan.error("base/b").orElseThrow().problems().get(0).message()
                .startsWith("base/b \u2192 base/a \u2192 base/b: "));
        assertEquals(List.of(), scan.graph().cycles(), "the graph served has no cycle");
        assertEquals(List.of("base/leaf"), scan.graph().children("base/root"));
        assertEquals(List.of(), scan.graph().parents("team/app"), "its parent is not served");

        assertEquals(ImageGraph.NONE, new PlatformImageCatalog(root).scan().graph(), "no target registry, no graph");
        assertEquals(5, new PlatformImageCatalog(root).scan().images().size(), "without a graph, no cycle is seen");
    }

    @Test
    void anImageBuiltFromItsOwnTagIsAnError() throws IOException {
        image("c/self", "c/self", "1", List.of("latest"), "FROM " + REGISTRY + "/c/self:latest\n");
        PlatformImageCatalog.Scan scan = new PlatformImageCatalog(root, TagOwners.NONE, REGISTRY).scan();
        assertEquals(Map.of(), scan.images());
        assertEquals("c/self \u2192 c/self: this image is built FROM its own tag " + REGISTRY + "/c/self:latest",
                scan.error("c/self").orElseThrow().problems().get(0).message());
    }

    private ImageGraph graph() {
        PlatformImageCatalog.Scan scan = new PlatformImageCatalog(root, TagOwners.NONE, REGISTRY).scan();
        assertEquals(List.of(), scan.errors());
        return scan.graph();
    }

    private void image(String id, String repository, String prefix, List<String> extraTags, String dockerfile)
            throws IOException {
        Path folder = Files.createDirectories(root.resolve(id));
        Files.writeString(folder.resolve("platform-image.yaml"), "target: {repository: " + repository
                + ", tagPrefix: '" + prefix + "', extraTags: [" + String.join(", ", extraTags) + "]}\n");
        Files.writeString(folder.resolve("Dockerfile"), dockerfile);
    }
}
