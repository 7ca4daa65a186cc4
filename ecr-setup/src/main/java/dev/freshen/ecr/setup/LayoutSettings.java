package dev.freshen.ecr.setup;

import dev.freshen.descriptor.Staging;
import dev.freshen.descriptor.Target;

import java.util.List;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The configured part of the repository layout (the publisher's {@code freshen.publisher.ecr.*} keys, the same
 * options of {@code freshen setup}).
 *
 * @param tagMutability       the tag mutability of target repositories
 * @param exclusionFilters    wildcard filters added to the computed ones (only with the {@code _WITH_EXCLUSION} modes)
 * @param scanOnPush          whether target and staging repositories scan each image on push
 * @param encryption          the encryption of target and staging repositories
 * @param stagingRepository   the staging repository of a target (candidates are pushed there)
 * @param candidateExpiryDays after how many days since their push the lifecycle policy of a staging repository
 *                            expires candidate images, and untagged ones (at least 1)
 */
public record LayoutSettings(TagMutability tagMutability, List<String> exclusionFilters, boolean scanOnPush,
                             Encryption encryption, Function<Target, String> stagingRepository,
                             int candidateExpiryDays) {

    /** ECR accepts at most this many exclusion filters per repository. */
    public static final int MAX_FILTERS = 5;
    /** Candidate tags start with this ({@code candidate-<runId>}). */
    public static final String CANDIDATE_PREFIX = "candidate-";
    /**
     * The staging repository of a target by default: {@code <target repository>-staging}, the builder's default
     * ({@link Staging#defaults()}).
     */
    public static final Function<Target, String> DEFAULT_STAGING = Staging.defaults()::repositoryFor;

    private static final Pattern FILTER = Pattern.compile("[0-9a-zA-Z._*-]{1,128}");

    public LayoutSettings {
        exclusionFilters = List.copyOf(exclusionFilters);
        for (String filter : exclusionFilters) {
            if (!FILTER.matcher(filter).matches()) {
                throw new IllegalArgumentException("ECR exclusion filter '" + filter
                        + "' is invalid: 1 to 128 letters, digits, '.', '_', '-' or '*'");
            }
        }
        if (!exclusionFilters.isEmpty() && !tagMutability.withExclusion()) {
            throw new IllegalArgumentException("exclusion filters are only used with tag mutability "
                    + "mutable-with-exclusion or immutable-with-exclusion, not " + tagMutability.key());
        }
        if (candidateExpiryDays < 1) {
            throw new IllegalArgumentException("the candidate expiry must be at least 1 day, was " + candidateExpiryDays);
        }
    }

    /** The defaults: mutable with version-shaped exclusions, scan on push, AES256, {@code -staging}, 7 days. */
    public static LayoutSettings defaults() {
        return new LayoutSettings(TagMutability.MUTABLE_WITH_EXCLUSION, List.of(), true, Encryption.AES256,
                DEFAULT_STAGING, 7);
    }
}
