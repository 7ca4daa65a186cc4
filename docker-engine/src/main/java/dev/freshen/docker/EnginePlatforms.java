package dev.freshen.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import dev.freshen.events.FailureKind;
import dev.freshen.events.image.Platform;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Which platforms the Docker engine can build (and run): its own natively, a foreign one only when a probe build
 * with {@code RUN} for that platform passes, i.e. when the host hands the platform's binaries to an emulator (QEMU
 * user emulation registered in {@code binfmt_misc}) that BuildKit sees.
 *
 * <p>The probe, run as {@link BuildKitCliBuilder} runs builds ({@code DOCKER_BUILDKIT=1 docker build --platform <p>
 * --no-cache}): {@code FROM scratch}, {@code COPY} of the platform's {@link ProbeBinaries probe program}, {@code RUN}
 * it, a unique label; nothing is pulled. The image must then say the platform it was asked for, and is removed. A
 * platform that passed is remembered for the life of this object (one engine); one that failed is probed again at the
 * next check, so an emulator registered meanwhile is found without a restart of the service. A probe takes about half a
 * second on an idle engine.
 *
 * <p>Problem code {@value #PLATFORM_UNSUPPORTED} (permanent): the engine cannot build the platform (no emulator for
 * it, an emulator registered after the Docker daemon started, or no probe program for its architecture).
 */
public class EnginePlatforms {

    /** The problem code of a platform the engine cannot build: the same in the builder and the tester. */
    public static final String PLATFORM_UNSUPPORTED = "platform-unsupported";

    /** BuildKit's and the kernel's words for a binary that nothing can execute. */
    private static final Pattern CANNOT_EXECUTE = Pattern.compile("(?i)exec format error|no emulator available"
            + "|no match for platform|cannot execute binary");
    private static final Pattern ENGINE_UNREACHABLE = Pattern.compile("(?i)cannot connect to the docker daemon"
            + "|error during connect|failed to dial grpc|is the docker daemon running");

    private final Supplier<Platform> nativePlatform;
    private final Probe probe;
    private final Set<Platform> passed = ConcurrentHashMap.newKeySet();
    private volatile Platform own;

    /** One probe build: empty when the engine built and ran the platform's program, else why not (one line). */
    @FunctionalInterface
    public interface Probe {

        /**
         * @throws BuildFailure transient {@link BuildFailure#ENGINE_ERROR} when the engine could not be asked
         */
        java.util.Optional<String> run(Platform platform, byte[] program);
    }

    /**
     * @param nativePlatform the engine's own platform (asked once, when first needed)
     * @param probe          how a probe build is run
     */
    public EnginePlatforms(Supplier<Platform> nativePlatform, Probe probe) {
        this.nativePlatform = nativePlatform;
        this.probe = probe;
    }

    /**
     * The platforms of the engine behind {@code docker}, probed with {@code dockerCli} (the CLI the service builds
     * with); each probe may take {@code timeout}.
     */
    public static EnginePlatforms of(DockerClient docker, String dockerCli, Duration timeout) {
        return new EnginePlatforms(() -> DockerEngine.nativePlatform(docker), new CliProbe(docker, dockerCli, timeout));
    }

    /**
     * The engine's own platform ({@code /info}: OSType and Architecture).
     *
     * @throws BuildFailure transient {@link BuildFailure#ENGINE_ERROR} when the engine does not answer
     */
    public Platform nativePlatform() {
        Platform known = own;
        if (known == null) {
            try {
                known = nativePlatform.get();
            } catch (BuildFailure e) {
                throw e;
            } catch (RuntimeException e) {
                throw BuildFailure.transientFailure(BuildFailure.ENGINE_ERROR, "the Docker engine does not say its "
                        + "platform: " + EngineErrors.plainWords(e), e);
            }
            own = known;
        }
        return known;
    }

    /** Whether {@code platform} is the engine's own (built and run without emulation). */
    public boolean isNative(Platform platform) {
        return nativePlatform().equals(platform);
    }

    /**
     * Checks that the engine can build every platform of {@code platforms}, in order; the native platform needs no
     * probe.
     *
     * @throws BuildFailure permanent {@value #PLATFORM_UNSUPPORTED} naming the first platform it cannot build, why,
     *                      and the fix; transient {@link BuildFailure#ENGINE_ERROR} when the engine could not be asked
     */
    public void check(List<Platform> platforms) {
        for (Platform platform : platforms) {
            if (passed.contains(platform) || isNative(platform)) {
                continue;
            }
            byte[] program = ProbeBinaries.of(platform).orElseThrow(() -> unsupported(platform, "Freshen has no probe "
                    + "program for " + platform.architecture() + " (it can check linux/amd64, linux/386, linux/arm64, "
                    + "linux/arm/v6, linux/arm/v7, linux/riscv64 and linux/ppc64le)", false));
            java.util.Optional<String> failed = probe.run(platform, program);
            if (failed.isPresent()) {
                throw unsupported(platform, failed.get(), true);
            }
            passed.add(platform);
        }
    }

    private BuildFailure unsupported(Platform platform, String why, boolean emulation) {
        String fix = emulation ? ": register QEMU user emulation for " + platform + " with the fix-binary flag on the"
                + " Docker engine's host (deploy/local/stack.sh up emulation; on Kubernetes the binfmt-qemu addon) and"
                + " restart the Docker daemon if it started before that, or build on a " + platform + " engine"
                : "; build it on a " + platform + " engine";
        return new BuildFailure(FailureKind.PERMANENT, PLATFORM_UNSUPPORTED, "the Docker engine (" + nativePlatform()
                + ") cannot build " + platform + " (" + why + ")" + fix, null);
    }

    /** The probe build through the docker CLI, on the engine behind {@code docker}. */
    static final class CliProbe implements Probe {
        private final DockerClient docker;
        private final String dockerCli;
        private final Duration timeout;

        CliProbe(DockerClient docker, String dockerCli, Duration timeout) {
            this.docker = docker;
            this.dockerCli = dockerCli;
            this.timeout = timeout;
        }

        @Override
        public java.util.Optional<String> run(Platform platform, byte[] program) {
            Path context = null;
            Process process = null;
            try {
                context = Files.createTempDirectory("freshen-platform-probe-");
                Path binary = context.resolve("probe");
                Files.write(binary, program);
                binary.toFile().setExecutable(true, false);
                Path idFile = context.resolve("iid");
                String dockerfile = "FROM scratch\nCOPY probe /freshen-probe\nRUN [\"/freshen-probe\"]\n"
                        + "LABEL dev.freshen.platform-probe=\"" + UUID.randomUUID() + "\"\n";
                Path output = context.resolve("log");
                ProcessBuilder builder = new ProcessBuilder(new ArrayList<>(List.of(dockerCli, "build", "--progress=plain",
                        "--no-cache", "--platform", platform.toString(), "-f", "-", "--iidfile", idFile.toString(),
                        context.toString()))).redirectErrorStream(true).redirectOutput(output.toFile());
                builder.environment().put("DOCKER_BUILDKIT", "1");
                process = builder.start();
                try (OutputStream in = process.getOutputStream()) {
                    in.write(dockerfile.getBytes(StandardCharsets.UTF_8));
                }
                if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    process.destroyForcibly();
                    return java.util.Optional.of("the probe build did not finish within " + timeout.toSeconds() + "s");
                }
                String log = Files.readString(output, StandardCharsets.UTF_8);
                if (process.exitValue() != 0) {
                    String line = reason(log);
                    if (ENGINE_UNREACHABLE.matcher(line).find()) {
                        throw BuildFailure.transientFailure(BuildFailure.ENGINE_ERROR, "the Docker engine is not "
                                + "reachable: " + line, null);
                    }
                    return java.util.Optional.of("a probe build with RUN for it failed: " + line);
                }
                String id = Files.readString(idFile).strip();
                try {
                    var image = docker.inspectImageCmd(id).exec();
                    Platform built = new Platform(image.getOs(), image.getArch(), null);
                    if (!built.architecture().equals(platform.architecture())) {
                        return java.util.Optional.of("a probe build for it gave a " + built + " image");
                    }
                } finally {
                    try {
                        DockerEngine.remove(docker, id);
                    } catch (NotFoundException | IllegalStateException ignored) {
                        // gone already
                    }
                }
                return java.util.Optional.empty();
            } catch (IOException e) {
                throw BuildFailure.transientFailure(BuildFailure.ENGINE_ERROR, "cannot run " + dockerCli + " for a "
                        + "platform probe: " + e.getMessage(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                if (process != null) {
                    process.destroyForcibly();
                }
                throw BuildFailure.transientFailure(BuildFailure.ENGINE_ERROR, "interrupted during a platform probe", e);
            } finally {
                delete(context);
            }
        }

        /** The line that says why: the executor's words for an unrunnable binary, else the last error line. */
        static String reason(String log) {
            List<String> lines = log.strip().lines().map(String::strip).filter(l -> !l.isEmpty())
                    .map(l -> l.replaceFirst("^#\\d+ [0-9.]+ ", "")).toList();
            for (String line : lines) {
                if (CANNOT_EXECUTE.matcher(line).find()) {
                    return line;
                }
            }
            for (int i = lines.size() - 1; i >= 0; i--) {
                if (lines.get(i).toLowerCase(Locale.ROOT).contains("error")) {
                    return lines.get(i);
                }
            }
            return lines.isEmpty() ? "(no output)" : lines.get(lines.size() - 1);
        }

        private static void delete(Path dir) {
            if (dir == null) {
                return;
            }
            try (Stream<Path> paths = Files.walk(dir)) {
                paths.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
            } catch (IOException ignored) {
                // a temporary folder left behind
            }
        }
    }
}
