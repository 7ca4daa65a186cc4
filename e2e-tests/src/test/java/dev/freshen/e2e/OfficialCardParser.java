package dev.freshen.e2e;

import dev.freshen.testing.Commands;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The Teams cards the corpus receives, read by the official Adaptive Cards parser as the notifier's own tests read
 * them: the notifier's script {@code notifier-service/src/test/node/validate-card.js} run by node with the npm package
 * {@code adaptivecards} (the version the notifier's {@code AdaptiveCardValidator} pins), installed once into
 * {@code e2e-tests/target/adaptivecards}. Needs node and npm, and the npm registry on the first run.
 */
final class OfficialCardParser {

    /** The same pin as the notifier's {@code AdaptiveCardValidator.VERSION}. */
    static final String VERSION = "3.0.6";

    private static final Path ROOT = Commands.repositoryRoot();
    private static final Path PREFIX = ROOT.resolve("e2e-tests/target/adaptivecards");
    private static final Path SCRIPT = ROOT.resolve("notifier-service/src/test/node/validate-card.js");

    private OfficialCardParser() {
    }

    /** Fails with the parser's messages unless {@code json} (a Teams message) holds only valid cards. */
    static void assertValid(String json, String where) {
        install();
        Result result = exec(List.of("node", SCRIPT.toString()), json, 60);
        if (result.exit() != 0) {
            throw new AssertionError(where + ": the Adaptive Card parser (adaptivecards " + VERSION
                    + ") rejects the card:\n  " + result.output().strip().replace("\n", "\n  ") + "\n" + json);
        }
    }

    private record Result(int exit, String output) {
    }

    private static synchronized void install() {
        Path installed = PREFIX.resolve("node_modules/adaptivecards/package.json");
        try {
            if (Files.isRegularFile(installed) && Files.readString(installed).contains("\"version\": \"" + VERSION + "\"")) {
                return;
            }
            Files.createDirectories(PREFIX);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Result result = exec(List.of("npm", "install", "--no-save", "--no-audit", "--no-fund", "--loglevel=error",
                "--prefix", PREFIX.toString(), "adaptivecards@" + VERSION), "", 300);
        if (result.exit() != 0 || !Files.isRegularFile(installed)) {
            throw new IllegalStateException("npm could not install adaptivecards@" + VERSION + " into " + PREFIX
                    + " (exit " + result.exit() + "): " + result.output());
        }
    }

    private static Result exec(List<String> command, String stdin, int timeoutSeconds) {
        try {
            ProcessBuilder builder = new ProcessBuilder(command).directory(PREFIX.toFile()).redirectErrorStream(true);
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
