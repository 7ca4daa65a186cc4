package dev.freshen.publisher.ecr;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.freshen.events.image.Digest;
import dev.freshen.events.image.ImageReference;
import dev.freshen.publisher.PublishFailure;
import dev.freshen.publisher.TagConflictException;
import dev.freshen.publisher.TargetRepository;
import dev.freshen.publisher.registry.ImageCopier;
import dev.freshen.registry.ImageIndexes;
import dev.freshen.registry.Manifest;
import dev.freshen.registry.MediaTypes;
import org.jboss.logging.Logger;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.ecr.model.BatchDeleteImageResponse;
import software.amazon.awssdk.services.ecr.model.BatchGetImageResponse;
import software.amazon.awssdk.services.ecr.model.Image;
import software.amazon.awssdk.services.ecr.model.ImageAlreadyExistsException;
import software.amazon.awssdk.services.ecr.model.ImageFailure;
import software.amazon.awssdk.services.ecr.model.ImageIdentifier;
import software.amazon.awssdk.services.ecr.model.ImageTagAlreadyExistsException;
import software.amazon.awssdk.services.ecr.model.TagStatus;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * One ECR repository through the ECR API: tags from {@code ListImages} (every page), a tag's digest and a manifest from
 * {@code BatchGetImage}, tags put with {@code PutImage} (manifest bytes and media type as they are, so the digest
 * stays the verified one), old versions deleted with {@code BatchDeleteImage} by tag. Putting a tag that already names
 * the image is success, whichever way ECR says so: {@code ImageAlreadyExistsException} (what ECR answers for a
 * mutable tag, and as documented for any tag) or {@code ImageTagAlreadyExistsException} (what ECR has been reported
 * to answer for an immutable tag on the same image, e.g. when a redelivered publish puts its tags again); the tag is
 * read back to tell that from an immutable tag that names another image, which is a {@link TagConflictException}.
 * A verified image in another repository or registry is brought in with the distribution API, logged in with an ECR
 * token.
 */
final class EcrTargetRepository implements TargetRepository {

    private static final Logger LOG = Logger.getLogger(EcrTargetRepository.class);
    /** {@code BatchDeleteImage} takes 1 to 100 image ids (ECR API reference). */
    static final int DELETE_BATCH = 100;

    private static final List<String> MEDIA_TYPES = List.of(MediaTypes.OCI_INDEX, MediaTypes.DOCKER_MANIFEST_LIST,
            MediaTypes.OCI_MANIFEST, MediaTypes.DOCKER_MANIFEST);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final EcrClient ecr;
    private final String host;
    private final EcrSettings settings;
    private final String name;
    private final EcrLogin login;

    EcrTargetRepository(EcrClient ecr, String host, EcrSettings settings, String name, EcrLogin login) {
        this.ecr = ecr;
        this.host = host;
        this.settings = settings;
        this.name = name;
        this.login = login;
    }

    @Override
    public String describe() {
        return host + "/" + name;
    }

    @Override
    public List<String> tags() {
        return new ArrayList<>(taggedImages().keySet());
    }

    @Override
    public Optional<Digest> digestOf(String tag) {
        return image(ImageIdentifier.builder().imageTag(tag).build(), describe() + ":" + tag)
                .map(i -> Digest.parse(i.imageId().imageDigest()));
    }

    @Override
    public Map<String, Digest> taggedDigests() {
        return taggedImages();
    }

    @Override
    public Optional<String> firstTagOf(Digest digest, List<String> tags) {
        Map<String, Digest> images = taggedImages();
        return tags.stream().filter(t -> digest.equals(images.get(t))).findFirst();
    }

    @Override
    public Manifest importImage(ImageReference verified) {
        if (!verified.registry().equals(host) || !verified.repository().equals(name)) {
            return new ImageCopier(login.client()).copy(verified, host, name);
        }
        return manifest(verified.digest()).orElseThrow(() -> PublishFailure.permanent(PublishFailure.CANDIDATE_MISSING,
                "the verified image " + verified.byDigestOnly() + " no longer exists"));
    }

    @Override
    public Optional<Manifest> manifest(Digest digest) {
        return image(ImageIdentifier.builder().imageDigest(digest.toString()).build(), describe() + "@" + digest)
                .map(image -> {
                    byte[] content = image.imageManifest().getBytes(StandardCharsets.UTF_8);
                    String mediaType = image.imageManifestMediaType() != null ? image.imageManifestMediaType()
                            : mediaTypeOf(content);
                    return Manifest.of(mediaType, content);
                });
    }

    @Override
    public void putTag(Manifest manifest, String tag) {
        String what = "of " + manifest.digest().shortHex() + " as " + describe() + ":" + tag + " in "
                + settings.describeRegistry();
        try {
            ecr.putImage(r -> r.registryId(settings.registryId()).repositoryName(name)
                    .imageManifest(new String(manifest.content(), StandardCharsets.UTF_8))
                    .imageManifestMediaType(manifest.mediaType())
                    .imageTag(tag)
                    .imageDigest(manifest.digest().toString()));
        } catch (ImageAlreadyExistsException e) {
            // the tag names this very image already: nothing to do
        } catch (ImageTagAlreadyExistsException e) {
            Optional<Digest> holder = digestOf(tag);
            if (holder.equals(Optional.of(manifest.digest()))) {
                return; // the immutable tag names this very image already (a redelivered publish): nothing to do
            }
            throw new TagConflictException(tag, "ECR refused to move the immutable tag " + describe() + ":" + tag
                    + (holder.map(d -> ", which names " + d.shortHex() + ",").orElse(""))
                    + " (ImageTagAlreadyExistsException: " + e.awsErrorDetails().errorMessage() + ")", e);
        } catch (SdkException e) {
            throw EcrFailures.of("PutImage", what, e);
        }
    }

    /**
     * {@code BatchDeleteImage} with each version's tag and digest (so a tag that names another image by now is not
     * deleted: {@code ImageTagDoesNotMatchDigest}), up to {@value #DELETE_BATCH} per request; {@code ImageNotFound}
     * means gone already. An image index goes before the images it lists: its tags first (ECR deletes an image with
     * its last tag), then its platform images by digest (untagged here: the publish put them by digest). ECR refuses
     * to delete an image an index still lists ({@code ImageReferencedByManifestList}): such a platform image, shared
     * with a version that stays, is kept.
     */
    @Override
    public List<String> deleteVersions(Map<String, Digest> versions) {
        Set<Digest> children = new LinkedHashSet<>();
        for (Digest digest : Set.copyOf(versions.values())) {
            manifest(digest).filter(Manifest::isIndex).ifPresent(index -> ImageIndexes.read(index)
                    .forEach(entry -> children.add(entry.digest())));
        }
        List<String> gone = deleteImages(versions.entrySet().stream().map(v -> ImageIdentifier.builder()
                .imageTag(v.getKey()).imageDigest(v.getValue().toString()).build()).toList(), "old versions");
        children.removeAll(versions.values());
        if (!children.isEmpty()) {
            try {
                deleteImages(children.stream().map(d -> ImageIdentifier.builder().imageDigest(d.toString()).build())
                        .toList(), "platform images of old versions");
            } catch (PublishFailure e) {
                LOG.warnf("The old versions of %s are deleted, but not their platform images, which stay untagged "
                        + "(a lifecycle rule for untagged images removes them): %s", describe(), e.getMessage());
            }
        }
        Set<String> asked = versions.keySet();
        return gone.stream().filter(asked::contains).distinct().toList();
    }

    /** {@code BatchDeleteImage} of {@code ids}, {@value #DELETE_BATCH} per request: the tags gone (or gone already). */
    private List<String> deleteImages(List<ImageIdentifier> ids, String what) {
        List<String> gone = new ArrayList<>();
        for (int from = 0; from < ids.size(); from += DELETE_BATCH) {
            List<ImageIdentifier> batch = ids.subList(from, Math.min(ids.size(), from + DELETE_BATCH));
            BatchDeleteImageResponse response;
            try {
                response = ecr.batchDeleteImage(r -> r.registryId(settings.registryId()).repositoryName(name)
                        .imageIds(batch));
            } catch (SdkException e) {
                throw EcrFailures.of("BatchDeleteImage", "of " + batch.size() + " " + what + " of " + describe() + " in "
                        + settings.describeRegistry(), e);
            }
            response.imageIds().stream().map(ImageIdentifier::imageTag).filter(Objects::nonNull).forEach(gone::add);
            for (ImageFailure failure : response.failures()) {
                String tag = failure.imageId() == null ? null : failure.imageId().imageTag();
                String shown = tag != null ? ":" + tag : failure.imageId() == null ? ""
                        : "@" + failure.imageId().imageDigest();
                if ("ImageNotFound".equals(failure.failureCodeAsString())) {
                    if (tag != null) {
                        gone.add(tag);
                    }
                } else if ("ImageReferencedByManifestList".equals(failure.failureCodeAsString())) {
                    LOG.debugf("Keeping %s%s: an image index that stays lists it (%s)", describe(), shown,
                            failure.failureReason());
                } else {
                    LOG.warnf("ECR did not delete %s%s: %s: %s", describe(), shown, failure.failureCodeAsString(),
                            failure.failureReason());
                }
            }
        }
        return gone;
    }

    /** Every tag of the repository with its digest: {@code ListImages}, tagged images, all pages. */
    private Map<String, Digest> taggedImages() {
        Map<String, Digest> images = new HashMap<>();
        try {
            ecr.listImagesPaginator(r -> r.registryId(settings.registryId()).repositoryName(name).maxResults(1000)
                            .filter(f -> f.tagStatus(TagStatus.TAGGED)))
                    .imageIds().stream()
                    .filter(id -> id.imageTag() != null && id.imageDigest() != null)
                    .forEach(id -> images.put(id.imageTag(), Digest.parse(id.imageDigest())));
        } catch (SdkException e) {
            throw EcrFailures.of("ListImages", "of " + describe() + " in " + settings.describeRegistry(), e);
        }
        return images;
    }

    /** One image by tag or digest: {@code BatchGetImage}; empty when ECR reports {@code ImageNotFound}. */
    private Optional<Image> image(ImageIdentifier id, String what) {
        BatchGetImageResponse response;
        try {
            response = ecr.batchGetImage(r -> r.registryId(settings.registryId()).repositoryName(name).imageIds(id)
                    .acceptedMediaTypes(MEDIA_TYPES));
        } catch (SdkException e) {
            throw EcrFailures.of("BatchGetImage", "of " + what + " in " + settings.describeRegistry(), e);
        }
        if (!response.images().isEmpty()) {
            return Optional.of(response.images().get(0));
        }
        var failure = response.failures().stream().findFirst();
        if (failure.isEmpty() || "ImageNotFound".equals(failure.get().failureCodeAsString())) {
            return Optional.empty();
        }
        throw PublishFailure.permanent(PublishFailure.ECR_ERROR, "ECR BatchGetImage of " + what + " in " + settings.describeRegistry()
                + " failed: " + failure.get().failureCodeAsString() + ": " + failure.get().failureReason());
    }

    private static String mediaTypeOf(byte[] content) {
        try {
            String declared = JSON.readTree(content).path("mediaType").asText("");
            return declared.isEmpty() ? MediaTypes.OCI_MANIFEST : declared;
        } catch (IOException e) {
            throw PublishFailure.permanent(PublishFailure.CANDIDATE_INVALID, "an ECR manifest is not valid JSON: " + e.getMessage(), e);
        }
    }
}
