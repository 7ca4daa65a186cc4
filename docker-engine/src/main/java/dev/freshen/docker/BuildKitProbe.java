package dev.freshen.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A service's start-up check that its docker CLI can run the BuildKit builds of {@link BuildKitCliBuilder}, so that a
 * CLI without BuildKit stops the service at once instead of failing every BuildKit run later.
 *
 * <p>The rule, as the docker CLI behaves (docker/cli {@code cmd/docker/builder.go}; seen here with Debian's 20.10.24
 * client and a 28.2.2 client without the plugin): a client older than 23.0 runs {@code DOCKER_BUILDKIT=1 docker build}
 * with BuildKit built in; from 23.0 on it hands the build to the buildx CLI plugin and, without it, fails with
 * "BuildKit is enabled but the buildx component is missing or broken". So a client of 23 or newer must answer
 * {@code docker buildx version}. A version the check cannot read (another CLI posing as docker, such as podman's) skips the rule.
 *
 * <p>Then one real build settles it, run exactly as {@link BuildKitCliBuilder} runs builds (same CLI, environment and
 * flags): {@code FROM scratch} with a {@code COPY --chmod} (BuildKit-only syntax, so the classic builder cannot pass)
 * of a one-line file and a unique label. Nothing is pulled. The image must then be in the Docker engine the service
 * works on (it pushes candidates from there: a buildx builder of another driver, or another docker context, would
 * build elsewhere), and is removed again; the unique label keeps two services that start together on one engine from
 * removing each other's image. It costs one process start for the version, one for buildx (23+), and a build of a
 * few hundred milliseconds on an idle engine.
 */
public final class BuildKitProbe {

    /** The first docker CLI release that builds with BuildKit only through the buildx plugin. */
    public static final int FIRST_VERSION_NEEDING_BUILDX = 23;

    private static final Pattern VERSION = Pattern.compile("^Docker version v?((\\d+)\\.\\d+[^\\s,]*)");

    private final String setting;
    private final String dockerCli;
    private final Images images;
    private final Duration timeout;

    /** The images of the Docker engine the service works on, as far as the check needs them. */
    public interface Images {

        /** Whether the engine has the image {@code id} ({@code sha256:...}). */
        boolean exists(String id);

        /** Removes the image {@code id}; an image that is gone already is no error. */
        void remove(String id);
    }

    /**
     * @param setting   the setting that names the CLI, e.g. {@code freshen.builder.docker-cli}, for the messages
     * @param dockerCli the CLI as configured: a path, or a name looked up on PATH
     * @param images    the engine the service builds on and pushes from ({@link #imagesOf(DockerClient)})
     * @param timeout   how long each command of the check may take
     */
    public BuildKitProbe(String setting, String dockerCli, Images images, Duration timeout) {
        this.setting = setting;
        this.dockerCli = dockerCli;
        this.images = images;
        this.timeout = timeout;
    }

    /** {@link Images} of the engine behind {@code docker}. */
    public static Images imagesOf(DockerClient docker) {
        return new Images() {
            @Override
            public boolean exists(String id) {
                try {
                    docker.inspectImageCmd(id).exec();
                    return true;
                } catch (NotFoundException e) {
                    return false;
                }
            }

            @Override
            public void remove(String id) {
                DockerEngine.remove(docker, id);
            }
        };
    }

    /**
     * Runs the check.
     *
     * @return a line for the start-up log: the CLI, its version, where its BuildKit comes from, the test build's time
     * @throws IllegalStateException when the CLI cannot run BuildKit builds; the message names the setting, the CLI
     *                               (path and version) and the fix, and holds no stack trace or class name
     */
    public String check() {
        long started = System.nanoTime();
        String cli = describeCli();
        Run versionRun = run(List.of(dockerCli, "--version"), null, "docker --version");
        if (versionRun.exit() != 0) {
            throw refuse(cli + ", which fails on `docker --version` (exit " + versionRun.exit() + "): "
                    + firstLine(versionRun.output()));
        }
        Optional<String> version = version(versionRun.output());
        String source;
        if (version.isEmpty()) {
            source = "version unknown (" + firstLine(versionRun.output()) + ")";
        } else if (major(version.get()) < FIRST_VERSION_NEEDING_BUILDX) {
            source = "BuildKit built in";
        } else {
            Run buildx = run(List.of(dockerCli, "buildx", "version"), null, "docker buildx version");
            if (buildx.exit() != 0) {
                throw refuse(cli + ", docker CLI " + version.get() + ", which builds with BuildKit only through the"
                        + " buildx plugin, and `docker buildx version` fails: " + firstLine(buildx.output()));
            }
            source = "buildx " + firstLine(buildx.output()).replaceFirst("^\\S*buildx\\s+", "");
        }
        String described = cli + (version.map(v -> ", docker CLI " + v).orElse(""));
        testBuild(described);
        return "BuildKit builds through " + described + " (" + source + "); test build passed in "
                + String.format(Locale.ROOT, "%.1fs", (System.nanoTime() - started) / 1e9);
    }

    /** The version in {@code docker --version} output ("Docker version 28.2.2, build e6534b4" gives 28.2.2). */
    static Optional<String> version(String output) {
        Matcher m = VERSION.matcher(output);
        return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }

    private static int major(String version) {
        return Integer.parseInt(version.substring(0, version.indexOf('.')));
    }

    private void testBuild(String cli) {
        Path context = null;
        try {
            context = Files.createTempDirectory("freshen-buildkit-check-");
            Files.writeString(context.resolve("probe"), "Freshen's BuildKit start-up check\n");
            Path idFile = context.resolve("iid");
            String nonce = UUID.randomUUID().toString();
            String dockerfile = "FROM scratch\n"
                    + "COPY --chmod=0644 probe /freshen-buildkit-check\n"
                    + "LABEL dev.freshen.buildkit-check=\"" + nonce + "\"\n";
            Run build = run(List.of(dockerCli, "build", "--progress=plain", "-f", "-", "--iidfile", idFile.toString(),
                    context.toString()), dockerfile, "the test build");
            if (build.exit() != 0) {
                throw refuse(cli + ", and a BuildKit test build (DOCKER_BUILDKIT=1 docker build of FROM scratch, nothing"
                        + " pulled) failed: " + errorLine(build.output()));
            }
            String id = Files.isRegularFile(idFile) ? Files.readString(idFile).strip() : "";
            if (id.isEmpty()) {
                throw refuse(cli + ", and its BuildKit test build wrote no image id (--iidfile): "
                        + errorLine(build.output()));
            }
            if (!images.exists(id)) {
                String engine = Optional.ofNullable(System.getenv("DOCKER_HOST")).orElse("unset: the local socket");
                throw new IllegalStateException("BuildKit builds do not reach the Docker engine this service uses: " + cli
                        + " built a test image, but the engine (DOCKER_HOST=" + engine + ") does not have it, so what it"
                        + " builds could be neither pushed nor run. The CLI builds elsewhere: make the engine's own builder"
                        + " the CLI's current one (docker buildx use default) and the same engine its context, or set "
                        + setting + " (" + environmentName() + ") to a CLI that builds on that engine.");
            }
            images.remove(id);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the BuildKit test build: " + e.getMessage(), e);
        } finally {
            delete(context);
        }
    }

    /** "freshen.builder.docker-cli is /usr/bin/docker", or "... is docker (/usr/local/bin/docker on PATH)". */
    private String describeCli() {
        if (dockerCli.contains("/")) {
            return setting + " is " + dockerCli;
        }
        String path = System.getenv("PATH");
        for (String dir : path == null ? new String[0] : path.split(File.pathSeparator)) {
            File candidate = new File(dir.isEmpty() ? "." : dir, dockerCli);
            if (candidate.isFile() && candidate.canExecute()) {
                return setting + " is " + dockerCli + " (" + candidate.getPath() + " on PATH)";
            }
        }
        return setting + " is " + dockerCli + " (not found on PATH)";
    }

    private IllegalStateException refuse(String what) {
        return new IllegalStateException("BuildKit builds cannot run: " + what + ". Install the buildx plugin"
                + " (/usr/local/libexec/docker/cli-plugins/docker-buildx, or ~/.docker/cli-plugins/docker-buildx of the"
                + " service's user) or use a client older than 23 with BuildKit built in (e.g. Debian's docker.io 20.10,"
                + " /usr/bin/docker), and set " + setting + " (" + environmentName() + ") to it.");
    }

    /** FRESHEN_BUILDER_DOCKER_CLI for freshen.builder.docker-cli (the SmallRye rule). */
    private String environmentName() {
        return setting.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
    }

    private record Run(int exit, String output) {
    }

    /** Runs {@code argv} as {@link BuildKitCliBuilder} does (DOCKER_BUILDKIT=1), output and errors together. */
    private Run run(List<String> argv, String stdin, String what) {
        Path output = null;
        Process process = null;
        try {
            output = Files.createTempFile("freshen-buildkit-check-", ".log");
            ProcessBuilder builder = new ProcessBuilder(new ArrayList<>(argv)).redirectErrorStream(true)
                    .redirectOutput(output.toFile());
            builder.environment().put("DOCKER_BUILDKIT", "1");
            if (stdin == null) {
                builder.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            }
            process = builder.start();
            if (stdin != null) {
                try (OutputStream in = process.getOutputStream()) {
                    in.write(stdin.getBytes(StandardCharsets.UTF_8));
                }
            }
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("the BuildKit start-up check timed out: " + setting + " is " + dockerCli
                        + ", and " + what + " did not finish within " + timeout.toSeconds() + "s (is the Docker engine"
                        + " overloaded?)");
            }
            return new Run(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
        } catch (IOException e) {
            String reason = e.getMessage().replaceFirst("^Cannot run program \"[^\"]*\": ", "");
            throw refuse(describeCli() + ", which cannot be run (" + reason + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new IllegalStateException("interrupted during the BuildKit start-up check", e);
        } finally {
            if (output != null) {
                output.toFile().delete();
            }
        }
    }

    private static String firstLine(String text) {
        return text.strip().lines().map(String::strip).filter(l -> !l.isEmpty()).findFirst().orElse("(no output)");
    }

    /** The last line that mentions an error (BuildKit ends with "error: failed to solve: ..."), else the last line. */
    private static String errorLine(String text) {
        List<String> lines = text.strip().lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
        if (lines.isEmpty()) {
            return "(no output)";
        }
        for (int i = lines.size() - 1; i >= 0; i--) {
            if (lines.get(i).toLowerCase(Locale.ROOT).contains("error")) {
                return lines.get(i);
            }
        }
        return lines.get(lines.size() - 1);
    }

    private static void delete(Path dir) {
        if (dir == null) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temporary folder left behind
        }
    }
}
