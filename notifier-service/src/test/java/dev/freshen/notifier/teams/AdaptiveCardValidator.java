package dev.freshen.notifier.teams;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Validates Adaptive Cards with the official parser, the npm package {@code adaptivecards} run by node: the script
 * {@code src/test/node/validate-card.js} parses each card (or each card attachment of a Teams message) with a
 * {@code SerializationContext} for version 1.4 and reports every parse error or warning and every
 * {@code validateProperties()} failure. The package is installed once per checkout into
 * {@code target/adaptivecards} ({@code npm install --no-save}, pinned {@value #VERSION}); node and npm must be on
 * the PATH and the npm registry reachable.
 */
public final class AdaptiveCardValidator {

    /** The pinned version of the npm package {@code adaptivecards} (the current one when this was written). */
    public static final String VERSION = "3.0.6";

    private static final Path MODULE = Path.of(System.getProperty("basedir", "")).toAbsolutePath();
    private static final Path PREFIX = MODULE.resolve("target/adaptivecards");
    private static final Path SCRIPT = MODULE.resolve("src/test/node/validate-card.js");

    private AdaptiveCardValidator() {
    }

    /** The problems the parser reports for {@code json} (a card or a Teams message); empty when it is valid. */
    public static List<String> problems(String json) {
        ensureInstalled();
        Result result = run(List.of("node", SCRIPT.toString()), json, 60);
        if (result.exit == 0) {
            return List.of();
        }
        if (result.exit == 1) {
            return result.output.lines().filter(l -> !l.isBlank()).toList();
        }
        throw new IllegalStateException("validate-card.js failed (exit " + result.exit + "): " + result.output);
    }

    /** Fails with the parser's messages unless {@code json} is a valid card or Teams message. */
    public static void assertValid(String json) {
        List<String> problems = problems(json);
        if (!problems.isEmpty()) {
            throw new AssertionError("the Adaptive Card parser (adaptivecards " + VERSION + ") rejects the card:\n  "
                    + String.join("\n  ", problems) + "\n" + json);
        }
    }

    private static synchronized void ensureInstalled() {
        Path installed = PREFIX.resolve("node_modules/adaptivecards/package.json");
        try {
            if (Files.isRegularFile(installed) && Files.readString(installed).contains("\"version\": \"" + VERSION + "\"")) {
                return;
            }
            Files.createDirectories(PREFIX);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Result result = run(List.of("npm", "install", "--no-save", "--no-audit", "--no-fund", "--loglevel=error",
                "--prefix", PREFIX.toString(), "adaptivecards@" + VERSION), "", 300);
        if (result.exit != 0 || !Files.isRegularFile(installed)) {
            throw new IllegalStateException("npm could not install adaptivecards@" + VERSION + " into " + PREFIX
                    + " (exit " + result.exit + "): " + result.output);
        }
    }

    private record Result(int exit, String output) {
    }

    private static Result run(List<String> command, String stdin, int timeoutSeconds) {
        try {
            ProcessBuilder builder = new ProcessBuilder(command).directory(MODULE.toFile()).redirectErrorStream(true);
            builder.environment().put("NODE_PATH", PREFIX.resolve("node_modules").toString());
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
