package dev.freshen.docker;

import dev.freshen.registry.Credentials;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * One build: the context folder, the Dockerfile text to build (already pinned), labels, build args, the tag to give
 * the result, how long it may take, the platform to build for ({@code os/architecture[/variant]}, the engine's
 * {@code --platform}; {@code null}: the engine's own), and the credentials of the registries its images are pulled
 * from (by registry host as in image references, e.g. {@code registry.example.com}, {@code docker.io}; only those the
 * build needs: they are handed to the engine). {@link #toString()} never shows a password.
 */
public record BuildSpec(Path context, String dockerfile, Map<String, String> labels, Map<String, String> buildArgs,
                        String tag, Duration timeout, String platform, Map<String, Credentials> registryCredentials) {

    public BuildSpec {
        labels = Map.copyOf(labels);
        buildArgs = Map.copyOf(buildArgs);
        registryCredentials = Map.copyOf(registryCredentials);
    }

    /** A build for the engine's own platform that pulls without credentials. */
    public BuildSpec(Path context, String dockerfile, Map<String, String> labels, Map<String, String> buildArgs,
                     String tag, Duration timeout) {
        this(context, dockerfile, labels, buildArgs, tag, timeout, null, Map.of());
    }

    /** This build with {@code credentials} (registry host to credentials) for its pulls. */
    public BuildSpec withRegistryCredentials(Map<String, Credentials> credentials) {
        return new BuildSpec(context, dockerfile, labels, buildArgs, tag, timeout, platform, credentials);
    }
}
