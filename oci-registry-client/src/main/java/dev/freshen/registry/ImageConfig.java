package dev.freshen.registry;

import dev.freshen.events.image.Digest;
import dev.freshen.events.image.Platform;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What {@link RegistryClient#imageConfig} reads from an image's config blob.
 *
 * @param labels       {@code config.Labels}, empty when the image has none
 * @param user         {@code config.User}, empty when unset (root)
 * @param env          {@code config.Env} entries ({@code NAME=value}), in order
 * @param configDigest the digest of the config blob (the image id)
 * @param os           the config's {@code os}, as written ({@code linux}); {@code null} when absent
 * @param architecture the config's {@code architecture}, as written ({@code amd64}, {@code arm64}); {@code null} when absent
 * @param variant      the config's {@code variant} ({@code v7}, {@code v8}); {@code null} when absent
 */
public record ImageConfig(Map<String, String> labels, String user, List<String> env, Digest configDigest, String os,
                          String architecture, String variant) {

    public ImageConfig {
        labels = Map.copyOf(Objects.requireNonNull(labels, "labels"));
        user = Objects.requireNonNull(user, "user");
        env = List.copyOf(Objects.requireNonNull(env, "env"));
        Objects.requireNonNull(configDigest, "configDigest");
        os = blankToNull(os);
        architecture = blankToNull(architecture);
        variant = blankToNull(variant);
    }

    /** A config that names no platform. */
    public ImageConfig(Map<String, String> labels, String user, List<String> env, Digest configDigest) {
        this(labels, user, env, configDigest, null, null, null);
    }

    /**
     * The platform the config names, normalised ({@code aarch64} is {@code linux/arm64}); {@code null} when it names
     * no {@code os} or {@code architecture}, or one that is not a platform ({@code unknown}).
     */
    public Platform platform() {
        if (os == null || architecture == null || os.equals("unknown") || architecture.equals("unknown")) {
            return null;
        }
        try {
            return new Platform(os, architecture, variant);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
