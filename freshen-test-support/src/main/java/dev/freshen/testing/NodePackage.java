package dev.freshen.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * An npm package that tests run with node as the independent, official reading of something Freshen produces (the
 * Adaptive Cards parser, the Standard Webhooks verifier). It is installed once per checkout into a prefix folder
 * ({@code npm install --no-save}, at the pinned version) and scripts run with {@code NODE_PATH} pointing there. node
 * and npm must be on the PATH and the npm registry reachable on the first run.
 */
public final class NodePackage {

    /** What a script printed (stdout and stderr together) and its exit status. */
    public record Result(int exit, String output) {
    }

    private final String name;
    private final String version;
    private final Path prefix;
    private final Path scripts;

    /**
     * @param prefix  where the package is installed ({@code <prefix>/node_modules/<name>})
     * @param scripts the folder of the scripts {@link #run} runs
     */
    public NodePackage(String name, String version, Path prefix, Path scripts) {
        this.name = name;
        this.version = version;
        this.prefix = prefix;
        this.scripts = scripts;
    }

    /** The package for the tests of the module being built: installed into {@code target/<name>}, scripts in {@code src/test/node}. */
    public static NodePackage forThisModule(String name, String version) {
        Path module = Path.of(System.getProperty("basedir", "")).toAbsolutePath();
        return new NodePackage(name, version, module.resolve("target").resolve(name), module.resolve("src/test/node"));
    }

    public String version() {
        return version;
    }

    /** Runs {@code <scripts>/<script>} with {@code stdin}, after installing the package if needed. */
    public Result run(String script, String stdin, int timeoutSeconds) {
        ensureInstalled();
        return exec(List.of("node", scripts.resolve(script).toString()), stdin, timeoutSeconds);
    }

    private synchronized void ensureInstalled() {
        Path installed = prefix.resolve("node_modules").resolve(name).resolve("package.json");
        try {
            if (Files.isRegularFile(installed) && Files.readString(installed).contains("\"version\": \"" + version + "\"")) {
                return;
            }
            Files.createDirectories(prefix);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Result result = exec(List.of("npm", "install", "--no-save", "--no-audit", "--no-fund", "--loglevel=error",
                "--prefix", prefix.toString(), name + "@" + version), "", 300);
        if (result.exit() != 0 || !Files.isRegularFile(installed)) {
            throw new IllegalStateException("npm could not install " + name + "@" + version + " into " + prefix
                    + " (exit " + result.exit() + "): " + result.output());
        }
    }

    private Result exec(List<String> command, String stdin, int timeoutSeconds) {
        try {
            ProcessBuilder builder = new ProcessBuilder(command).directory(prefix.toFile()).redirectErrorStream(true);
            builder.environment().put("NODE_PATH", prefix.resolve("node_modules").toString());
            Process process = builder.start();
            try (OutputStream in = process.getOutputStream()) {
                in.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(command.get(0) + " did not finish within " + timeoutSeconds + " s");
            }
            return new Result(process.exitValue(), output);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command.get(0) + " (are node and npm installed?)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
