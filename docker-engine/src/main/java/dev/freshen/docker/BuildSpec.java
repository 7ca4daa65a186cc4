package dev.freshen.docker;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * One build: the context folder, the Dockerfile text to build (already pinned), labels, build args, the tag to give
 * the result, and how long it may take.
 */
public record BuildSpec(Path context, String dockerfile, Map<String, String> labels, Map<String, String> buildArgs,
                        String tag, Duration timeout) {

    public BuildSpec {
        labels = Map.copyOf(labels);
        buildArgs = Map.copyOf(buildArgs);
    }
}
