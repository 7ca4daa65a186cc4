package dev.freshen.ecr.setup;

/**
 * How a repository encrypts its images at rest ({@code encryptionConfiguration}): {@code AES256} (S3-managed keys,
 * ECR's default) or {@code KMS} with a key (ARN, key id or alias; none: the AWS-managed key {@code aws/ecr}). It
 * cannot be changed once the repository exists, and ECR mounts blobs only between repositories with the same
 * encryption, so staging and target repositories get the same one.
 *
 * @param kmsKey the KMS key with {@link Type#KMS}, or null (with AES256 always null)
 */
public record Encryption(Type type, String kmsKey) {

    /** ECR's {@code encryptionType} values Freshen sets. */
    public enum Type { AES256, KMS }

    /** ECR's default: AES256. */
    public static final Encryption AES256 = new Encryption(Type.AES256, null);

    public Encryption {
        if (type == null) {
            throw new IllegalArgumentException("an encryption type is required");
        }
        kmsKey = kmsKey == null || kmsKey.isBlank() ? null : kmsKey.strip();
        if (type == Type.AES256 && kmsKey != null) {
            throw new IllegalArgumentException("a KMS key is only used with encryption kms");
        }
    }

    /**
     * Whether a repository's encryption as {@code DescribeRepositories} reports it ({@code kmsKey} as a key ARN) is
     * this one: same type, and with a configured key, the same key (its ARN, or an ARN ending in {@code /<key id>}).
     * A configured alias cannot be resolved without KMS, so with an alias only the type is compared.
     */
    public boolean isSatisfiedBy(String foundType, String foundKey) {
        if (!type.name().equals(foundType)) {
            return false;
        }
        if (kmsKey == null || kmsKey.startsWith("alias/") || kmsKey.contains(":alias/")) {
            return true;
        }
        return kmsKey.equals(foundKey) || foundKey != null && foundKey.endsWith("/" + kmsKey);
    }

    @Override
    public String toString() {
        return type == Type.AES256 ? "AES256" : "KMS" + (kmsKey == null ? " (aws/ecr)" : " " + kmsKey);
    }
}
