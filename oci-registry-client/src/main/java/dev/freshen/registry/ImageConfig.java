package dev.freshen.registry;

import dev.freshen.events.image.Digest;

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
 */
public record ImageConfig(Map<String, String> labels, String user, List<String> env, Digest configDigest) {

    public ImageConfig {
        labels = Map.copyOf(Objects.requireNonNull(labels, "labels"));
        user = Objects.requireNonNull(user, "user");
        env = List.copyOf(Objects.requireNonNull(env, "env"));
        Objects.requireNonNull(configDigest, "configDigest");
    }
}
