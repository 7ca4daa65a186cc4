package dev.freshen.descriptor;

import dev.freshen.events.image.ImageReference;
import dev.freshen.events.image.Platform;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DescriptorLoaderTest {

    static final String FULL = """
            schedule: "0 */15 * * * ?"
            target:
              repository: platform/net10-runtime
              tagPrefix: 10.0-noble
              extraTags: ["10.0", latest, "build-{runId}"]
            build:
              buildkit: auto
            integrationTest:
              app: apps/echo
              replaceFrom: mycompany/net10-runtime:10.0
              port: 8080
              request:
                method: post
                path: /MyService
                headers: {Content-Type: application/json}
                body: '{"name":"freshen"}'
              expect:
                status: 200
                bodyContains: freshen
              startupTimeout: 90s
            checks:
              user: non-root
              labels: [org.opencontainers.image.base.digest]
              env: [APP_UID]
              files: [/etc/passwd]
              commands: [[dotnet, --info]]
            notify: [platform-team]
            """;

    @TempDir
    Path root;

    @BeforeEach
    void app() throws IOException {
        write("apps/echo/Dockerfile", "FROM mycompany/net10-runtime:10.0\nCOPY . /app\n");
    }

    @Test
    void loadsAFullDescriptor() throws IOException {
        write("net10/runtime/platform-image.yaml", FULL);
        write("net10/runtime/Dockerfile", "FROM mcr.microsoft.com/dotnet/runtime:10.0\nUSER 1654\n");

        PlatformImage image = new DescriptorLoader(root).load(root.resolve("net10/runtime/platform-image.yaml"));
        assertEquals("net10/runtime", image.id());
        assertEquals(List.of(ImageReference.parse("mcr.microsoft.com/dotnet/runtime:10.0")), image.baseImages());
        Descriptor d = image.descriptor();
        assertEquals("10.0-noble", d.target().tagPrefix());
        assertEquals(List.of("10.0", "latest", "build-{runId}"), d.target().extraTags());
        assertEquals("POST", d.integrationTest().request().method());
        assertEquals(Map.of("Content-Type", "application/json"), d.integrationTest().request().headers());
        assertEquals(Duration.ofSeconds(90), d.integrationTest().startupTimeout());
        assertEquals("freshen", d.integrationTest().expect().bodyContains());
        assertEquals(Checks.User.NON_ROOT, d.checks().user());
        assertEquals(List.of(List.of("dotnet", "--info")), d.checks().commands());
        assertEquals(List.of("platform-team"), d.channels());
        assertEquals(root.resolve("apps/echo"), image.appDirectory());
        assertTrue(image.contentHash().startsWith("sha256:"));
    }

    @Test
    void minimalDescriptorGetsDefaults() throws IOException {
        PlatformImage image = minimal("a/b");
        assertEquals(null, image.descriptor().schedule());
        assertEquals(Build.BuildKit.AUTO, image.descriptor().build().buildkit());
        assertEquals(Checks.NONE, image.descriptor().checks());
        assertEquals(List.of(), image.descriptor().channels());
        assertEquals(false, image.hasIntegrationTest());
    }

    @Test
    void retentionIsReadAndAbsentMeansKeepEveryVersion() throws IOException {
        assertEquals(null, minimal("a/b").descriptor().target().retention());
        write("a/c/platform-image.yaml", "target: {repository: platform/x, tagPrefix: '1.0', retention: {keepVersions: 3}}\n");
        write("a/c/Dockerfile", "FROM 127.0.0.1:5000/dotnet/runtime:10.0\n");
        assertEquals(new Retention(3), new DescriptorLoader(root).load(root.resolve("a/c/platform-image.yaml"))
                .descriptor().target().retention());
    }

    @Test
    void contentHashFollowsAnyFileOfTheFolder() throws IOException {
        String before = minimal("a/b").contentHash();
        assertEquals(before, new DescriptorLoader(root).load(root.resolve("a/b/platform-image.yaml")).contentHash());
        write("a/b/hardening.sh", "chmod 700 /root\n");
        assertNotEquals(before, new DescriptorLoader(root).load(root.resolve("a/b/platform-image.yaml")).contentHash());
    }

    @Test
    void malformedYaml() throws IOException {
        assertError("target:\n  repository: r\n tagPrefix: p\n", "line 3, column 2: not valid YAML", "\" tagPrefix: p\"");
        assertError("target: 'unclosed\n", "line 1, column 9: not valid YAML: the quote opened here is not closed");
        assertError("target: {repository: r, tagPrefix: p}\ntarget: {repository: s, tagPrefix: p}\n",
                "line 2, column 1: key 'target' appears twice (lines 1 and 2)");
        assertError("- just\n- a list\n", "expected keys (target:, schedule:, ...) at the top level, found a list");
    }

    @Test
    void unknownKeyIsNamedWithItsPath() throws IOException {
        assertError("target: {repository: r, tagPrefix: p, tagprefix: q}", "unknown key 'target.tagprefix': did you mean target.tagPrefix?");
        assertError("target: {repository: r, tagPrefix: p}\nschedul: x", "line 2, column 1: unknown key 'schedul' at the top level: did you mean schedule?");
    }

    @Test
    void badCron() throws IOException {
        assertError("schedule: every hour\ntarget: {repository: r, tagPrefix: p}", "line 1, column 11: field 'schedule': 'every hour' is not a valid cron expression");
    }

    @Test
    void missingAndInvalidFields() throws IOException {
        assertError("schedule: \"0 0 * * * ?\"", "field 'target' is required");
        assertError("target: {repository: r}", "line 1, column 1: field 'target.tagPrefix' is required");
        assertError("target: {repository: Platform/X, tagPrefix: p}", "field 'target.repository': repository name must be lowercase");
        assertError("target: {repository: r, tagPrefix: p, extraTags: [p-1.2.0]}", "field 'target.extraTags[0]': 'p-1.2.0' looks like a version tag");
        assertError("target: {repository: r, tagPrefix: p}\nintegrationTest: {app: apps/echo, replaceFrom: mycompany/net10-runtime:10.0, port: 0}",
                "field 'integrationTest.port': must be the container port");
        assertError("target: {repository: r, tagPrefix: p}\nintegrationTest: {app: apps/echo, replaceFrom: x:1, port: 80, startupTimeout: soon}",
                "field 'integrationTest.startupTimeout': 'soon' is not a duration");
        assertError("target: {repository: r, tagPrefix: p}\nchecks: {user: nobody}", "field 'checks.user': 'nobody' is not one of non-root, any");
    }

    @Test
    void platformsAndSettleAreReadNormalisedAndDefaultToNone() throws IOException {
        write("p/one/platform-image.yaml", "target: {repository: r, tagPrefix: p}\nplatforms: [linux/aarch64]\nsettle: 10m\n");
        write("p/one/Dockerfile", "FROM debian\n");
        Descriptor d = new DescriptorLoader(root).load(root.resolve("p/one/platform-image.yaml")).descriptor();
        assertEquals(List.of(dev.freshen.events.image.Platform.parse("linux/arm64")), d.platforms());
        assertEquals(Duration.ofMinutes(10), d.settle());

        Descriptor defaults = minimal("p/two").descriptor();
        assertEquals(List.of(), defaults.platforms());
        assertEquals(List.of(dev.freshen.events.image.Platform.LINUX_AMD64),
                defaults.platformsOr(dev.freshen.events.image.Platform.LINUX_AMD64));
        assertEquals(null, defaults.settle());
    }

    @Test
    void scanFailOnIsReadInEcrSpellingAndDefaultsToNoGate() throws IOException {
        write("s/one/platform-image.yaml", "target: {repository: r, tagPrefix: p}\nscan: {failOn: high}\n");
        write("s/one/Dockerfile", "FROM debian\n");
        Descriptor d = new DescriptorLoader(root).load(root.resolve("s/one/platform-image.yaml")).descriptor();
        assertEquals("HIGH", d.scan().failOn());
        assertTrue(d.scan().gated());
        assertEquals(ScanPolicy.NONE, minimal("s/two").descriptor().scan());
        assertError("target: {repository: r, tagPrefix: p}\nscan: {failOn: UNDEFINED}",
                "field 'scan.failOn': 'UNDEFINED' is not a severity: one of CRITICAL, HIGH, MEDIUM, LOW, INFORMATIONAL");
        assertError("target: {repository: r, tagPrefix: p}\nscan: CRITICAL", "field 'scan' must be keys (a mapping)");
    }

    @Test
    void platformsAndSettleMistakesAreNamedWithTheForm() throws IOException {
        assertError("target: {repository: r, tagPrefix: p}\nplatforms: [linux-amd64]",
                "line 2, column 13: field 'platforms[0]': 'linux-amd64' is not a platform: write os/architecture, e.g. linux/amd64");
        assertError("target: {repository: r, tagPrefix: p}\nplatforms: linux/amd64", "field 'platforms'", "a list");
        write("apps/mp/Dockerfile", "FROM x:1\n");
        assertError("target: {repository: r, tagPrefix: p}\nplatforms: [linux/amd64, windows/amd64]",
                "field 'platforms': names windows/amd64: Freshen builds on Linux engines, so only linux platforms");
        assertError("target: {repository: r, tagPrefix: p}\nplatforms: [linux/amd64]\n"
                        + "integrationTest: {app: apps/mp, replaceFrom: 'x:1', port: 80, platforms: [linux/arm64]}",
                "field 'integrationTest.platforms': names linux/arm64, which the image is not built for "
                        + "(platforms: linux/amd64)");
        assertError("target: {repository: r, tagPrefix: p}\n"
                        + "integrationTest: {app: apps/mp, replaceFrom: 'x:1', port: 80, platforms: [linux/arm64]}",
                "field 'integrationTest.platforms': needs platforms: at the top level too");
        assertError("target: {repository: r, tagPrefix: p}\nplatforms: [linux/amd64]\n"
                        + "integrationTest: {app: apps/mp, replaceFrom: 'x:1', port: 80, platforms: [linux-arm64]}",
                "field 'integrationTest.platforms[0]': 'linux-arm64' is not a platform");
        assertError("target: {repository: r, tagPrefix: p}\nplatforms: [linux/arm64, linux/arm64/v8]",
                "field 'platforms': lists a platform twice");
        assertError("target: {repository: r, tagPrefix: p}\nsettle: soon", "field 'settle': 'soon' is not a duration");
        assertError("target: {repository: r, tagPrefix: p}\nsettle: 2d", "field 'settle': '2d' is not a duration");
        assertError("target: {repository: r, tagPrefix: p}\nsettle: 25h", "field 'settle': must be between 1s and 24h, was 25h 00m");
        assertError("target: {repository: r, tagPrefix: p}\nsetle: 10m", "unknown key 'setle' at the top level: did you mean settle?");
    }

    @Test
    void twoPlatformsAndTheApplicationsPlatformsAreRead() throws IOException {
        write("m/both/platform-image.yaml", "target: {repository: r, tagPrefix: p}\nplatforms: [linux/amd64, linux/aarch64]\n"
                + "integrationTest: {app: apps/mp, replaceFrom: 'x:1', port: 80, platforms: [linux/arm64/v8]}\n");
        write("m/both/Dockerfile", "FROM debian\n");
        write("apps/mp/Dockerfile", "FROM x:1\n");
        Descriptor d = new DescriptorLoader(root).load(root.resolve("m/both/platform-image.yaml")).descriptor();
        Platform arm64 = Platform.parse("linux/arm64");
        assertEquals(List.of(Platform.LINUX_AMD64, arm64), d.platforms());
        assertEquals(List.of(arm64), d.integrationTest().platformsOr(d.platforms()));
        assertEquals(List.of(Platform.LINUX_AMD64, arm64), new IntegrationTest("a", null, "x:1", 80, null, null, null, false)
                .platformsOr(d.platforms()), "no application platforms: all of the image's");
    }

    @Test
    void pathsMayNotEscapeTheRoot() throws IOException {
        assertError("target: {repository: r, tagPrefix: p}\nbuild: {dockerfile: ../../../etc/passwd}",
                "field 'build.dockerfile'", "is outside the platform-images root");
        assertError("target: {repository: r, tagPrefix: p}\nintegrationTest: {app: ../.., replaceFrom: x:1, port: 80}",
                "field 'integrationTest.app'", "is outside the platform-images root");
    }

    @Test
    void symlinkOutOfTheRootIsRefused(@TempDir Path outside) throws IOException {
        Files.writeString(outside.resolve("Dockerfile"), "FROM debian\n");
        write("x/y/platform-image.yaml", "target: {repository: r, tagPrefix: p}\nbuild: {dockerfile: link}");
        Files.createSymbolicLink(root.resolve("x/y/link"), outside.resolve("Dockerfile"));
        var e = assertThrows(DescriptorException.class, () -> new DescriptorLoader(root).load(root.resolve("x/y/platform-image.yaml")));
        assertTrue(e.getMessage().contains("links outside the platform-images root"), e.getMessage());
    }

    @Test
    void missingDockerfileAndReplaceFromNotInTheApp() throws IOException {
        write("x/y/platform-image.yaml", "target: {repository: r, tagPrefix: p}");
        var e = assertThrows(DescriptorException.class, () -> new DescriptorLoader(root).load(root.resolve("x/y/platform-image.yaml")));
        assertEquals("x/y/platform-image.yaml: field 'build.dockerfile': x/y/Dockerfile does not exist", e.getMessage());
        assertEquals(DescriptorProblem.DOCKERFILE_MISSING, e.problems().get(0).code());

        assertError("target: {repository: r, tagPrefix: p}\nintegrationTest: {app: apps/echo, replaceFrom: other/base:1, port: 80}",
                "field 'integrationTest.replaceFrom': other/base:1 does not appear in a FROM line of apps/echo/Dockerfile");
    }

    @Test
    void catalogServesTheGoodDescriptorsAndReportsTheBadOnes() throws IOException {
        minimal("good/one");
        write("bad/two/platform-image.yaml", "target: {repository: r}");
        write("bad/two/Dockerfile", "FROM debian\n");
        var scan = new PlatformImageCatalog(root).scan();
        assertEquals(List.of("good/one"), List.copyOf(scan.images().keySet()));
        assertEquals(1, scan.errors().size());
        assertEquals("bad/two/platform-image.yaml line 1, column 1: field 'target.tagPrefix' is required", scan.errors().get(0).getMessage());
        assertEquals("bad/two", scan.errors().get(0).imageId());
    }

    @Test
    void oneImageCanBeReadAlone() throws IOException {
        minimal("good/one");
        write("bad/two/platform-image.yaml", "target: {repository: r}");
        write("bad/two/Dockerfile", "FROM debian\n");
        var catalog = new PlatformImageCatalog(root);
        assertEquals(List.of("good/one"), List.copyOf(catalog.scan("good/one").images().keySet()));
        assertEquals("bad/two/platform-image.yaml line 1, column 1: field 'target.tagPrefix' is required",
                catalog.scan("bad/two").errors().get(0).getMessage());
        assertTrue(catalog.scan("no/such").images().isEmpty() && catalog.scan("no/such").errors().isEmpty());
        assertTrue(catalog.scan("../escape").images().isEmpty());
    }

    @Test
    void everyProblemOfAFileIsReportedAtOnceWithWhatCouldStillBeRead() throws IOException {
        write("e/img/platform-image.yaml", """
                target:
                  repository: platform/x
                  tagPrefix: "1.0"
                  extraTag: [latest]
                integrationTest: {app: apps/nope, replaceFrom: x:1, port: 70000}
                notify: [platform-team]
                notfy: [other]
                """);
        var e = assertThrows(DescriptorException.class, () -> new DescriptorLoader(root).load(root.resolve("e/img/platform-image.yaml")));
        assertEquals(List.of("descriptor-unknown-key", "descriptor-invalid-value", "descriptor-unknown-key",
                "descriptor-dockerfile-missing", "descriptor-app-missing"), e.problems().stream().map(DescriptorProblem::code).toList());
        assertEquals(List.of(4, 5, 7, 0, 5), e.problems().stream().map(DescriptorProblem::line).toList());
        assertTrue(e.getMessage().startsWith("e/img/platform-image.yaml: 5 problems: 1) line 4, column 3: unknown key "
                + "'target.extraTag': did you mean target.extraTags?; 2) line 5, column "), e.getMessage());
        assertEquals("e/img", e.imageId());
        assertEquals(new Target("platform/x", "1.0", null), e.target().orElseThrow(), "the valid target is kept");
        assertEquals(List.of("platform-team"), e.channels(), "the valid notify list is kept");
    }

    @Test
    void nearMissesAreSuggestedAndFarOnesAreNot() {
        assertEquals(1, DescriptorKeys.distance("notfy", "notify"));
        assertEquals(1, DescriptorKeys.distance("tagperfix", "tagprefix"), "a swap of neighbours is one edit");
        assertEquals(3, DescriptorKeys.distance("abc", ""));
        assertEquals("notify", DescriptorKeys.suggestion("", "notfy").orElseThrow());
        assertEquals("target.extraTags", DescriptorKeys.suggestion("target", "extratags").orElseThrow());
        assertEquals("target.extraTags", DescriptorKeys.suggestion("", "extraTags").orElseThrow(), "same key, wrong level");
        assertEquals("integrationTest.request.method", DescriptorKeys.suggestion("integrationTest.request", "methd").orElseThrow());
        assertTrue(DescriptorKeys.suggestion("checks", "sbom").isEmpty());
        assertTrue(DescriptorKeys.suggestion("", "xy").isEmpty(), "a short key needs a closer match");
    }

    /** The keys the walk accepts are exactly the properties the records are read from. */
    @Test
    void theKeysOfTheWalkAreTheRecordsProperties() {
        var mapper = new com.fasterxml.jackson.databind.ObjectMapper();
        Map<String, Class<?>> records = Map.of("", Descriptor.class, "target", Target.class,
                "target.retention", Retention.class, "build", Build.class,
                "integrationTest", IntegrationTest.class, "integrationTest.request", IntegrationTest.Request.class,
                "integrationTest.expect", IntegrationTest.Expect.class, "checks", Checks.class, "scan", ScanPolicy.class);
        assertEquals(records.keySet(), DescriptorKeys.MAPPINGS.keySet());
        records.forEach((path, type) -> {
            var description = mapper.getDeserializationConfig().introspect(mapper.constructType(type));
            var properties = new java.util.TreeSet<String>();
            description.findProperties().stream().filter(p -> p.hasConstructorParameter())
                    .forEach(p -> properties.add(p.getName()));
            assertEquals(properties, DescriptorKeys.MAPPINGS.get(path), "keys of " + (path.isEmpty() ? "the top level" : path));
        });
    }

    private PlatformImage minimal(String id) throws IOException {
        write(id + "/platform-image.yaml", "target: {repository: platform/x, tagPrefix: '1.0'}\n");
        write(id + "/Dockerfile", "FROM 127.0.0.1:5000/dotnet/runtime:10.0\n");
        return new DescriptorLoader(root).load(root.resolve(id + "/platform-image.yaml"));
    }

    private void assertError(String yaml, String... expected) throws IOException {
        write("e/img/platform-image.yaml", yaml);
        write("e/img/Dockerfile", "FROM debian\n");
        var e = assertThrows(DescriptorException.class, () -> new DescriptorLoader(root).load(root.resolve("e/img/platform-image.yaml")));
        assertTrue(e.getMessage().startsWith("e/img/platform-image.yaml"), e.getMessage());
        for (String part : expected) {
            assertTrue(e.getMessage().contains(part), () -> "'" + e.getMessage() + "' should contain '" + part + "'");
        }
    }

    private void write(String relative, String content) throws IOException {
        Path file = root.resolve(relative);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
    }
}
