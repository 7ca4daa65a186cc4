package dev.freshen.publisher.ecr;

import dev.freshen.events.image.Digest;
import dev.freshen.publisher.PublishFailure;
import dev.freshen.publisher.StagingRepository;
import dev.freshen.registry.Manifest;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.ecr.model.BatchDeleteImageResponse;
import software.amazon.awssdk.services.ecr.model.RepositoryNotFoundException;

import java.util.List;
import java.util.Optional;

/**
 * A staging repository of the ECR target registry. A candidate is deleted by its tag with {@code BatchDeleteImage}
 * (ECR API reference, BatchDeleteImage: "You can remove a tag from an image by specifying the image's tag in your
 * request. When you remove the last tag from an image, the image is deleted from your repository."), so a digest
 * that another tag names stays.
 */
final class EcrStagingRepository implements StagingRepository {

    private final EcrClient ecr;
    private final EcrSettings settings;
    private final String name;
    private final EcrTargetRepository reads;

    EcrStagingRepository(EcrClient ecr, EcrSettings settings, String name, EcrTargetRepository reads) {
        this.ecr = ecr;
        this.settings = settings;
        this.name = name;
        this.reads = reads;
    }

    @Override
    public String describe() {
        return reads.describe();
    }

    @Override
    public boolean deletesTagOnly() {
        return true;
    }

    @Override
    public List<String> tags() {
        return reads.tags();
    }

    @Override
    public Optional<Digest> digestOf(String tag) {
        return reads.digestOf(tag);
    }

    /** Empty also when the repository does not exist (any more). */
    @Override
    public Optional<Manifest> manifest(Digest digest) {
        try {
            return reads.manifest(digest);
        } catch (PublishFailure e) {
            if (e.getCause() instanceof RepositoryNotFoundException) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** @return false when ECR reports the tag (or the repository) not found */
    @Override
    public boolean delete(String tag, Digest digest) {
        BatchDeleteImageResponse response;
        try {
            response = ecr.batchDeleteImage(r -> r.registryId(settings.registryId()).repositoryName(name)
                    .imageIds(id -> id.imageTag(tag)));
        } catch (RepositoryNotFoundException e) {
            return false;
        } catch (SdkException e) {
            throw EcrFailures.of("BatchDeleteImage", "of " + describe() + ":" + tag + " in " + settings.describeRegistry(), e);
        }
        if (!response.imageIds().isEmpty()) {
            return true;
        }
        var failure = response.failures().stream().findFirst();
        if (failure.isEmpty() || "ImageNotFound".equals(failure.get().failureCodeAsString())) {
            return false;
        }
        throw PublishFailure.permanent(PublishFailure.ECR_ERROR, "ECR BatchDeleteImage of " + describe() + ":" + tag
                + " in " + settings.describeRegistry() + " failed: " + failure.get().failureCodeAsString() + ": "
                + failure.get().failureReason());
    }
}
