package dev.freshen.ecr.setup;

import java.util.List;

/**
 * One repository of the layout and the settings it must have.
 *
 * @param name             the repository name in the registry
 * @param role             a target (versions are published there) or a staging repository (candidates)
 * @param imageIds         the platform images that publish to it (or, for staging, whose candidates go there), in
 *                         id order
 * @param tagMutability    ECR's {@code imageTagMutability}
 * @param exclusionFilters the {@code WILDCARD} exclusion filters (empty unless the mutability takes them)
 * @param scanOnPush       {@code imageScanningConfiguration.scanOnPush}
 * @param encryption       {@code encryptionConfiguration}
 * @param lifecyclePolicy  the lifecycle policy text (staging), or null (target: none is put or compared)
 */
public record RepositorySpec(String name, Role role, List<String> imageIds, TagMutability tagMutability,
                             List<String> exclusionFilters, boolean scanOnPush, Encryption encryption,
                             String lifecyclePolicy) {

    /** What a repository is for. */
    public enum Role { TARGET, STAGING }

    public RepositorySpec {
        imageIds = List.copyOf(imageIds);
        exclusionFilters = List.copyOf(exclusionFilters);
    }

    /** The tag mutability for people: {@code MUTABLE_WITH_EXCLUSION (immutable: 10.0-noble-*.*.*)}. */
    public String describeMutability() {
        if (exclusionFilters.isEmpty()) {
            return tagMutability.name();
        }
        String kind = tagMutability == TagMutability.MUTABLE_WITH_EXCLUSION ? "immutable" : "mutable";
        return tagMutability.name() + " (" + kind + ": " + String.join(", ", exclusionFilters) + ")";
    }
}
