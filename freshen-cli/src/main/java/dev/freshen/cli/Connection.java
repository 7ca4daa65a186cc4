package dev.freshen.cli;

import picocli.CommandLine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Where the CLI finds Kafka and the watcher's API; options, else environment variables, else local defaults. */
public class Connection {

    @CommandLine.Option(names = "--bootstrap-servers", description = "Kafka brokers (env FRESHEN_KAFKA, default 127.0.0.1:9092)")
    String bootstrapServers;

    @CommandLine.Option(names = "--api", description = "the watcher's URL, e.g. http://127.0.0.1:8081 (env FRESHEN_API)")
    String api;

    @CommandLine.Option(names = "--api-key-file", description = "file holding the watcher's API key (env FRESHEN_API_KEY or FRESHEN_API_KEY_FILE)")
    Path apiKeyFile;

    String bootstrapServers() {
        return first(bootstrapServers, System.getenv("FRESHEN_KAFKA")).orElse("127.0.0.1:9092");
    }

    Optional<String> api() {
        return first(api, System.getenv("FRESHEN_API")).map(u -> u.endsWith("/") ? u.substring(0, u.length() - 1) : u);
    }

    String apiKey() {
        Optional<String> env = first(System.getenv("FRESHEN_API_KEY"), null);
        if (env.isPresent()) {
            return env.get();
        }
        Path file = apiKeyFile != null ? apiKeyFile
                : first(System.getenv("FRESHEN_API_KEY_FILE"), null).map(Path::of).orElse(null);
        if (file == null) {
            throw new CliException("the watcher's API needs a key: set FRESHEN_API_KEY or --api-key-file");
        }
        try {
            return Files.readString(file).strip();
        } catch (IOException e) {
            throw new CliException("cannot read the API key file " + file + ": " + e.getMessage());
        }
    }

    private static Optional<String> first(String a, String b) {
        if (a != null && !a.isBlank()) {
            return Optional.of(a);
        }
        return b != null && !b.isBlank() ? Optional.of(b) : Optional.empty();
    }
}
