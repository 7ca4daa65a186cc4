package dev.freshen.tester;

import dev.freshen.descriptor.PlatformImageCatalog;
import dev.freshen.events.CheckResult;
import dev.freshen.events.FailureKind;
import dev.freshen.events.ImageLabels;
import dev.freshen.events.ImageBuilt;
import dev.freshen.events.ImageVerified;
import dev.freshen.events.PipelineFailed;
import dev.freshen.events.Stage;
import dev.freshen.events.StageTiming;
import dev.freshen.events.Trigger;
import dev.freshen.events.image.ImageReference;
import dev.freshen.events.image.Platform;
import dev.freshen.events.image.PlatformDigest;
import dev.freshen.registry.ImageIndexes;
import dev.freshen.registry.Manifest;
import dev.freshen.registry.RegistryClient;
import dev.freshen.registry.RegistrySettings;
import dev.freshen.retry.RetryPolicy;
import dev.freshen.tester.docker.DockerCandidateRuntime;
import dev.freshen.tester.http.AppProbe;
import dev.freshen.testing.DockerEngine;
import dev.freshen.testing.Emulation;
import dev.freshen.testing.LocalRegistry;
import dev.freshen.testing.MultiArchBase;
import dev.freshen.testing.SampleEvents;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A two-platform candidate (an OCI image index of a {@code linux/amd64} and a {@code linux/arm64} busybox image, each
 * built with {@code docker build --platform} and pushed to a CNCF registry) tested in process against the real Docker
 * engine: each child pulled by its digest, its files read, a check command and a busybox httpd app (with a CGI script
 * and a {@code RUN} step) run on both platforms, arm64 under QEMU user emulation. Each child holds
 * {@code /etc/expected-arch} (its {@code uname -m}), so the command and the app prove which architecture they ran as.
 * Variants: an arm64 child without a required file, and one whose check program the kernel cannot run (what a missing
 * emulator looks like). Needs QEMU's arm64 handler registered with the F flag ({@code deploy/local/stack.sh up emulation}).
 */
class MultiPlatformVerifyIT {

    private static final Platform AMD64 = Platform.LINUX_AMD64;
    private static final Platform ARM64 = Platform.parse("linux/arm64");
    private static final String PLATFORM_FROM = "mycompany/platform:1.0";
    private static final String INSTANCE = "multi-platform-verify-it";

    private static LocalRegistry registry;
    private static RegistryClient client;
    private static com.github.dockerjava.api.DockerClient docker;
    private static VerificationStage stage;
    private static Candidate good;
    private static Candidate armLacksFile;
    private static Candidate armCannotRun;

    /** An index in the registry and its children in index order. */
    private record Candidate(ImageReference index, List<PlatformDigest> manifests) {
    }

    @BeforeAll
    static void start(@TempDir Path platformImages) throws IOException {
        DockerEngine.requireRunning();
        Emulation.requireArm64();
        registry = LocalRegistry.shared();
        client = new RegistryClient(RegistrySettings.defaults());
        good = candidate("platform/multi-good", true, true);
        armLacksFile = candidate("platform/multi-arm-lacks-file", false, true);
        armCannotRun = candidate("platform/multi-arm-cannot-run", true, false);

        write(platformImages, "apps/arch/Dockerfile", "FROM " + PLATFORM_FROM + "\nCOPY www /www\n"
                + "RUN [\"/bin/busybox\", \"sh\", \"-c\", \"/bin/busybox uname -m > /www/built-on\"]\n"
                + "CMD [\"/bin/busybox\", \"httpd\", \"-f\", \"-p\", \"8080\", \"-h\", \"/www\"]\n");
        Path cgi = write(platformImages, "apps/arch/www/cgi-bin/arch", """
                #!/bin/busybox sh
                echo "Content-Type: text/plain"
                echo
                arch="$(/bin/busybox uname -m)"
                if [ "$arch" = "$(/bin/busybox cat /etc/expected-arch)" ] && [ "$arch" = "$(/bin/busybox cat /www/built-on)" ]; then
                  echo "freshen on $arch"
                else
                  echo "wrong architecture: $arch"
                fi
                """);
        Files.setPosixFilePermissions(cgi, PosixFilePermissions.fromString("rwxr-xr-x"));
        String descriptor = """
                target: {repository: platform/multi, tagPrefix: '1'}
                platforms: [linux/amd64, linux/arm64]
                checks:
                  files: [/etc/expected-arch]
                  commands: [[/bin/busybox, sh, -c, 'test "$(/bin/busybox uname -m)" = "$(/bin/busybox cat /etc/expected-arch)"']]
                integrationTest:
                  app: apps/arch
                  replaceFrom: %s
                  port: 8080
                  request: {method: GET, path: /cgi-bin/arch}
                  expect: {status: 200, bodyContains: freshen on}
                """.formatted(PLATFORM_FROM);
        write(platformImages, "multi/good/Dockerfile", "FROM scratch\n");
        write(platformImages, "multi/good/platform-image.yaml", descriptor);
        write(platformImages, "multi/arm-lacks-file/Dockerfile", "FROM scratch\n");
        write(platformImages, "multi/arm-lacks-file/platform-image.yaml", descriptor);
        write(platformImages, "multi/arm-cannot-run/Dockerfile", "FROM scratch\n");
        write(platformImages, "multi/arm-cannot-run/platform-image.yaml", """
                target: {repository: platform/multi, tagPrefix: '1'}
                platforms: [linux/amd64, linux/arm64]
                checks:
                  commands: [[/bin/check]]
                """);

        docker = dev.freshen.docker.DockerEngine.connect(Duration.ofMinutes(3));
        var runtime = new DockerCandidateRuntime(docker, host -> null, Duration.ofMinutes(2), DockerEngine.CLI, INSTANCE);
        stage = new VerificationStage(PlatformImageCatalog.of(platformImages)::scan, runtime,
                new AppProbe(HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build()),
                new TesterSettings(Duration.ofMinutes(2), Duration.ofSeconds(30), 20,
                        new RetryPolicy(1, Duration.ofSeconds(1), Duration.ofSeconds(1)), 5),
                new RunOutcomes(), Clock.systemUTC());
    }

    @AfterAll
    static void close() throws IOException {
        if (docker != null) {
            docker.close();
        }
    }

    @AfterEach
    void nothingLeftBehind() {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertEquals("", DockerEngine.docker("ps", "-aq", "--filter", "label=dev.freshen.tester-instance=" + INSTANCE));
            assertEquals("", DockerEngine.docker("images", "-q", "--filter", "reference=freshen-test/multi-*"));
            assertEquals("", DockerEngine.docker("images", "-q", "--filter", "reference=" + registry.host()
                    + "/platform/multi-*"));
        });
    }

    @Test
    void bothPlatformsPassTheirChecksAndTheirAppArm64UnderEmulation() {
        ImageBuilt built = built("multi/good", good);

        ImageVerified verified = assertInstanceOf(ImageVerified.class, stage.verify(built));

        assertEquals(good.index(), verified.candidate(), "the index digest was tested");
        assertEquals(good.manifests(), verified.manifests());
        assertEquals(List.of(
                        "linux/amd64 file: /etc/expected-arch: exists",
                        "linux/amd64 command: /bin/busybox sh -c test \"$(/bin/busybox uname -m)\" = \"$(/bin/busybox cat "
                                + "/etc/expected-arch)\": exit 0",
                        "linux/amd64 integration-test: GET /cgi-bin/arch: answered 200",
                        "linux/arm64 file: /etc/expected-arch: exists",
                        "linux/arm64 command: /bin/busybox sh -c test \"$(/bin/busybox uname -m)\" = \"$(/bin/busybox cat "
                                + "/etc/expected-arch)\": exit 0 under emulation",
                        "linux/arm64 integration-test: GET /cgi-bin/arch: answered 200"),
                verified.checks().stream().map(c -> c.platform() + " " + c.name() + ": "
                        + c.detail().replaceFirst(" after .*", "")).toList());
        CheckResult armApp = verified.checks().get(5);
        assertTrue(armApp.detail().endsWith(" under emulation"), armApp.detail());
    }

    @Test
    void anArm64ChildWithoutARequiredFileFailsTheRunNamingLinuxArm64() {
        ImageBuilt built = built("multi/arm-lacks-file", armLacksFile);

        PipelineFailed failed = assertInstanceOf(PipelineFailed.class, stage.verify(built));

        assertEquals(ARM64, failed.platform());
        assertEquals(Stage.TEST, failed.stage());
        assertEquals("policy-check-failed", failed.code());
        assertTrue(failed.reason().startsWith("linux/arm64: policy check failed: file: /etc/expected-arch (missing)"),
                failed.reason());
    }

    /**
     * What an engine without an emulator for a platform does (the kernel refuses the binary: "exec format error"),
     * played by an arm64 child whose check program is no executable the kernel knows.
     */
    @Test
    void anArm64ChildTheKernelCannotRunIsPlatformUnsupported() {
        PipelineFailed failed = assertInstanceOf(PipelineFailed.class,
                stage.verify(built("multi/arm-cannot-run", armCannotRun)));

        assertEquals(ARM64, failed.platform());
        assertEquals("platform-unsupported", failed.code());
        assertEquals(FailureKind.PERMANENT, failed.kind());
        assertEquals("linux/arm64: the Docker engine cannot run linux/arm64 programs (the command /bin/check: exec "
                + "format error)", failed.reason());
        assertTrue(failed.logExcerpt().contains("exec /bin/check: exec format error"), failed.logExcerpt());
    }

    private static ImageBuilt built(String imageId, Candidate candidate) {
        Instant now = Instant.now();
        return new ImageBuilt(SampleEvents.runId(), imageId, 1, now, Trigger.baseImageUpdated(),
                List.of(SampleEvents.BASE), candidate.index(), List.of(),
                List.of(new StageTiming(Stage.BUILD, now.minusSeconds(30), now))).withManifests(candidate.manifests());
    }

    /**
     * Builds a busybox image per platform ({@code docker build --platform}), pushes it, and puts an index of both as
     * the builder does. Each child has {@code /bin/check}, a script that exits 0.
     *
     * @param armHasFile whether the arm64 child has {@code /etc/expected-arch}
     * @param armCanRun  false: the arm64 child's {@code /bin/check} is no program the kernel can run
     */
    private static Candidate candidate(String repository, boolean armHasFile, boolean armCanRun) throws IOException {
        List<ImageIndexes.Entry> entries = new ArrayList<>();
        List<PlatformDigest> manifests = new ArrayList<>();
        for (Platform platform : List.of(AMD64, ARM64)) {
            boolean arm = platform.equals(ARM64);
            Path context = Files.createTempDirectory("freshen-multi-candidate-");
            Files.copy(Path.of(arm ? MultiArchBase.ARM64_BUSYBOX : MultiArchBase.AMD64_BUSYBOX), context.resolve("busybox"));
            Files.writeString(context.resolve("expected-arch"), arm ? "aarch64\n" : "x86_64\n");
            Path check = write(context, "check", arm && !armCanRun ? "not a program\n" : "#!/bin/busybox sh\nexit 0\n");
            Files.setPosixFilePermissions(check, PosixFilePermissions.fromString("rwxr-xr-x"));
            write(context, "Dockerfile", "FROM scratch\nCOPY busybox /bin/busybox\nCOPY check /bin/check\n"
                    + (arm && !armHasFile ? "" : "COPY expected-arch /etc/expected-arch\n")
                    + "LABEL dev.freshen.fixture=" + repository.replace('/', '-') + "\n");
            String tag = registry.host() + "/" + repository + ":candidate-" + platform.toString().replace('/', '-');
            DockerEngine.docker("build", "-q", "--platform", platform.toString(), "-t", tag, context.toString());
            DockerEngine.docker("push", "-q", tag);
            DockerEngine.docker("rmi", tag);
            Manifest child = client.manifest(ImageReference.parse(tag)).orElseThrow();
            entries.add(ImageIndexes.entryOf(child, platform, Map.of()));
            manifests.add(new PlatformDigest(platform, child.digest()));
        }
        Manifest index = ImageIndexes.write(entries, Map.of(ImageLabels.RUN_ID, "multi-platform-verify-it"));
        var digest = client.putManifest(registry.host(), repository, "candidate", index);
        return new Candidate(ImageReference.parse(registry.host() + "/" + repository + "@" + digest), manifests);
    }

    private static Path write(Path root, String relative, String content) throws IOException {
        Path file = root.resolve(relative);
        Files.createDirectories(file.getParent());
        return Files.writeString(file, content);
    }
}
