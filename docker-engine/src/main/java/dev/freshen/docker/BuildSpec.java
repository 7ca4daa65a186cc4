package dev.freshen.docker;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * One build: the context folder, the Dockerfile text to build (already pinned), labels, build args, the tag to give
 * the result, how long it may take, and the platform to build for ({@code os/architecture[/variant]}, the engine's
 * {@code --platform}; {@code null}: the engine's own).
 */
public record BuildSpec(Path context, String dockerfile, Map<String, String> labels, Map<String, String> buildArgs,
                        String tag, Duration timeout, String platform) {

    public BuildSpec {
        labels = Map.copyOf(labels);
        buildArgs = Map.copyOf(buildArgs);
    }

    /** A build for the engine's own platform. */
    public BuildSpec(Path context, String dockerfile, Map<String, String> labels, Map<String, String> buildArgs,
                     String tag, Duration timeout) {
        this(context, dockerfile, labels, buildArgs, tag, timeout, null);
    }
}
