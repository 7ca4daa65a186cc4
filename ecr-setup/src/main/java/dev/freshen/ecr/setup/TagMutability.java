package dev.freshen.ecr.setup;

/**
 * ECR's {@code imageTagMutability} values (AWS SDK 2.57.8 knows all four). With the two {@code _WITH_EXCLUSION}
 * values, tags that one of 1 to 5 wildcard filters matches have the opposite mutability.
 */
public enum TagMutability {
    MUTABLE, IMMUTABLE, IMMUTABLE_WITH_EXCLUSION, MUTABLE_WITH_EXCLUSION;

    /** Whether this mode takes exclusion filters. */
    public boolean withExclusion() {
        return this == IMMUTABLE_WITH_EXCLUSION || this == MUTABLE_WITH_EXCLUSION;
    }

    /** The configuration spelling, e.g. {@code mutable-with-exclusion}. */
    public String key() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
}
