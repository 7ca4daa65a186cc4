package dev.freshen.publisher.ecr;

import dev.freshen.descriptor.Target;
import dev.freshen.publisher.ExtraTags;
import dev.freshen.publisher.PublishFailure;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * How the publisher uses ECR: which registry (account), and the settings of the repositories it creates.
 *
 * @param registryId       the AWS account id of the registry, or null for the default registry of the credentials
 * @param tagMutability    the tag mutability of created repositories
 * @param exclusionFilters wildcard filters added to the ones derived from each image (see {@link #filtersFor})
 * @param scanOnPush       whether created repositories scan images on push
 */
public record EcrSettings(String registryId, TagMutability tagMutability, List<String> exclusionFilters,
                          boolean scanOnPush) {

    /** ECR's {@code imageTagMutability} values (SDK 2.57.8 knows all four). */
    public enum TagMutability {
        MUTABLE, IMMUTABLE, IMMUTABLE_WITH_EXCLUSION, MUTABLE_WITH_EXCLUSION;

        public boolean withExclusion() {
            return this == IMMUTABLE_WITH_EXCLUSION || this == MUTABLE_WITH_EXCLUSION;
        }
    }

    /** ECR accepts at most this many exclusion filters per repository. */
    public static final int MAX_FILTERS = 5;
    private static final Pattern FILTER = Pattern.compile("[0-9a-zA-Z._*-]{1,128}");

    public EcrSettings {
        exclusionFilters = List.copyOf(exclusionFilters);
        for (String filter : exclusionFilters) {
            if (!FILTER.matcher(filter).matches()) {
                throw new IllegalArgumentException("ECR exclusion filter '" + filter
                        + "' is invalid: 1 to 128 letters, digits, '.', '_', '-' or '*'");
            }
        }
    }

    /**
     * The exclusion filters of a new repository for {@code target}: with {@code IMMUTABLE_WITH_EXCLUSION} the moving
     * extra tags ({@code latest}, {@code 10.0}, {@code nightly-{date}} as {@code nightly-*}), so that version tags
     * are immutable while those move; with {@code MUTABLE_WITH_EXCLUSION} the version tags ({@code <tagPrefix>-*}),
     * so that they are immutable; plus the configured ones. Empty for the other modes.
     *
     * @throws PublishFailure (permanent) when that makes more than {@value #MAX_FILTERS} filters
     */
    public List<String> filtersFor(Target target) {
        if (!tagMutability.withExclusion()) {
            return List.of();
        }
        Set<String> filters = new LinkedHashSet<>();
        if (tagMutability == TagMutability.IMMUTABLE_WITH_EXCLUSION) {
            target.extraTags().stream().filter(ExtraTags::isMoving).map(ExtraTags::wildcard).forEach(filters::add);
        } else {
            filters.add(target.tagPrefix() + "-*");
        }
        filters.addAll(exclusionFilters);
        if (filters.size() > MAX_FILTERS) {
            throw PublishFailure.permanent(PublishFailure.ECR_FILTERS_EXCEEDED, "repository " + target.repository() + " would need " + filters.size()
                    + " ECR tag mutability exclusion filters " + filters + ", ECR allows " + MAX_FILTERS
                    + ": use fewer moving extra tags or fewer freshen.publisher.ecr.exclusion-filters");
        }
        return List.copyOf(filters);
    }

    /**
     * The mutability a new repository for {@code target} gets: {@code IMMUTABLE_WITH_EXCLUSION} without anything to
     * exclude is plain {@code IMMUTABLE} (ECR wants at least one filter with the exclusion modes).
     */
    public TagMutability mutabilityFor(Target target) {
        return tagMutability == TagMutability.IMMUTABLE_WITH_EXCLUSION && filtersFor(target).isEmpty()
                ? TagMutability.IMMUTABLE : tagMutability;
    }

    /** The registry for messages: its id, or "the default registry". */
    public String describeRegistry() {
        return registryId == null ? "the default registry" : "registry " + registryId;
    }
}
