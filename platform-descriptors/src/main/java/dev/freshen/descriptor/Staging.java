package dev.freshen.descriptor;

import dev.freshen.events.image.ImageReference;

import java.util.Optional;

/**
 * Where the candidates of a platform image are staged until the run has ended: one rule for the builder (which pushes
 * them), the publisher (which deletes them) and whatever creates the staging repositories ahead of the first build.
 *
 * <p>A candidate is {@code <registry>/<repository>:candidate-<runId>}: the registry is {@code registry} when set, else
 * the target registry; the repository is {@code repositoryTemplate} with {@value #PLACEHOLDER} replaced by the
 * image's target repository (default {@value #DEFAULT_TEMPLATE}: {@code platform/dotnet/runtime} stages in
 * {@code platform/dotnet/runtime-staging}). A template without the placeholder is one fixed staging repository for
 * every image. A template that is exactly {@value #PLACEHOLDER} stages in the target repository itself (candidates
 * then sit beside the released versions, and the publisher keeps a published candidate: deleting it by digest would
 * remove the version tag on the same digest).
 *
 * @param registry           the staging registry host[:port]; empty: the target registry
 * @param repositoryTemplate the staging repository, {@value #PLACEHOLDER} standing for the target repository
 */
public record Staging(Optional<String> registry, String repositoryTemplate) {

    /** Stands for the image's target repository in {@link #repositoryTemplate()}. */
    public static final String PLACEHOLDER = "{repository}";
    /** The default staging repository: the target repository's name with {@code -staging} appended. */
    public static final String DEFAULT_TEMPLATE = PLACEHOLDER + "-staging";
    /** Every candidate tag starts so; what follows is the run id. */
    public static final String CANDIDATE_TAG_PREFIX = "candidate-";

    /** @throws IllegalArgumentException when the template, filled in, is not a repository name */
    public Staging {
        registry = registry.map(String::strip).filter(r -> !r.isEmpty());
        if (repositoryTemplate == null || repositoryTemplate.isBlank()) {
            throw new IllegalArgumentException("the staging repository must not be empty (default " + DEFAULT_TEMPLATE + ")");
        }
        repositoryTemplate = repositoryTemplate.strip();
        String sample = repositoryTemplate.replace(PLACEHOLDER, "platform/example");
        if (sample.contains("{") || sample.contains("}")) {
            throw new IllegalArgumentException("the staging repository '" + repositoryTemplate + "' may only use "
                    + PLACEHOLDER + " as a placeholder");
        }
        try {
            ImageReference.parse("registry.invalid/" + sample);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the staging repository '" + repositoryTemplate
                    + "' does not make a valid repository name (lower-case letters, digits, '.', '_', '-' and '/')", e);
        }
    }

    /** The default: the target registry, {@value #DEFAULT_TEMPLATE}. */
    public static Staging defaults() {
        return new Staging(Optional.empty(), DEFAULT_TEMPLATE);
    }

    /** The staging repository of an image published to {@code target}. */
    public String repositoryFor(Target target) {
        return repositoryFor(target.repository());
    }

    /** The staging repository of an image published to {@code targetRepository}. */
    public String repositoryFor(String targetRepository) {
        return repositoryTemplate.replace(PLACEHOLDER, targetRepository);
    }

    /** The staging registry host, given the target registry host. */
    public String registryFor(String targetRegistry) {
        return registry.orElse(targetRegistry);
    }

    /**
     * The tag one platform's image of a multi-platform candidate is pushed under before the index is put:
     * {@code candidate-<runId>-<os>-<architecture>[-<variant>]}, e.g. {@code candidate-b-0123…-linux-arm64},
     * {@code candidate-b-0123…-linux-arm-v7}. The {@code candidate-} prefix keeps it in staging's lifecycle rule.
     */
    public static String platformCandidateTag(String runId, dev.freshen.events.image.Platform platform) {
        return candidateTag(runId) + "-" + platform.toString().replace('/', '-');
    }

    /** The tag of a run's candidate: {@code candidate-<runId>}. */
    public static String candidateTag(String runId) {
        return CANDIDATE_TAG_PREFIX + runId;
    }
}
