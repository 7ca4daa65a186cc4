package dev.freshen.publisher;

/**
 * What to do about a failed publish: one hint per problem code, so that a kind of publish failure reads the same in
 * every run and every channel (card, CLI, API show {@code PipelineFailed.reason}, then the hint). The codes are those
 * of {@link PublishFailure}, plus {@code descriptor-invalid} and {@code unknown-image} when the publisher cannot use
 * the image's folder.
 */
public final class PublishProblems {

    /** The publisher finds the image's folder but not a usable descriptor in it. */
    public static final String DESCRIPTOR_INVALID = "descriptor-invalid";
    /** The publisher finds no folder of the image. */
    public static final String UNKNOWN_IMAGE = "unknown-image";

    private PublishProblems() {
    }

    /** One sentence saying what to do about {@code code} for image {@code imageId}; null for a code without advice. */
    public static String hint(String code, String imageId) {
        String descriptor = imageId + "/platform-image.yaml";
        String rerun = "'freshen force-update " + imageId + "'";
        return switch (code) {
            case PublishFailure.REGISTRY_ERROR -> "Check that the registry named in the reason is reachable from the "
                    + "publisher and that its credentials (freshen.registries.credentials.*) may push; then " + rerun + ".";
            case PublishFailure.ECR_ERROR -> "Check the publisher's AWS credentials and IAM policy (docs/iam/) against "
                    + "the ECR error code in the reason, and the region and registry id; then " + rerun + ".";
            case PublishFailure.ECR_LIMIT_EXCEEDED -> "An ECR quota named in the reason was reached: for images per "
                    + "repository (100,000 unless raised) set target.retention.keepVersions in " + descriptor
                    + " or ask AWS for a higher quota; for tags per image (1,000, fixed) put fewer tags on one image; "
                    + "then " + rerun + ".";
            case PublishFailure.ECR_REPOSITORY_MISSING -> "The ECR repository was deleted while the run published: find "
                    + "out who deletes it; the next publish creates it again, so " + rerun + ".";
            case PublishFailure.CANDIDATE_MISSING -> "The tested candidate left the staging registry before it was "
                    + "published (a lifecycle policy or a clean-up?): keep candidates longer, then " + rerun + ".";
            case PublishFailure.CANDIDATE_INVALID -> "The candidate's manifests cannot be copied as they are: rebuild "
                    + "with " + rerun + " and, if it fails again, report the reason to the Freshen maintainers.";
            case PublishFailure.EXTRA_TAG_INVALID -> "Fix target.extraTags in " + descriptor + " (templates {runId}, {date}, "
                    + "{version}); no version was published.";
            case PublishFailure.EXTRA_TAG_CONFLICT -> "The extra tag is immutable in the target repository and names "
                    + "another image: remove it from target.extraTags in " + descriptor + ", or make the tag mutable "
                    + "(ECR: freshen.publisher.ecr.exclusion-filters).";
            case PublishFailure.ECR_FILTERS_EXCEEDED -> "Change target.tagPrefix, target.extraTags or target.repository in "
                    + descriptor + " as the reason says (or freshen.publisher.ecr.tag-mutability / exclusion-filters); "
                    + "'freshen setup --dry-run' shows the repositories and their filters.";
            case PublishFailure.VERSION_RACE_LOST -> "Other publishers kept taking the next version: check that only "
                    + "Freshen publishes versions of this prefix, then " + rerun + ".";
            case DESCRIPTOR_INVALID -> "Fix " + descriptor + " ('freshen status " + imageId + "' lists every problem); "
                    + "the watcher checks it again once it is fixed.";
            case UNKNOWN_IMAGE -> "The folder " + imageId + " is not in the publisher's platform-images folder: mount "
                    + "the same folder into every service (freshen.platform-images-dir).";
            default -> null;
        };
    }
}
