package dev.freshen.publisher;

import dev.freshen.events.image.Digest;
import dev.freshen.events.image.ImageReference;
import dev.freshen.registry.Manifest;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One repository of the target registry, as the publisher needs it: read its tags, bring a verified image in by
 * digest, and put tags on it. Every failure is a {@link PublishFailure} (transient or permanent) whose message names
 * the registry, repository and tag.
 */
public interface TargetRepository {

    /** {@code <registry>/<repository>}, for messages. */
    String describe();

    /** Every tag of the repository, all pages; empty when the repository holds none (or does not exist yet). */
    List<String> tags();

    /** The digest {@code tag} points at now; empty when there is no such tag. */
    Optional<Digest> digestOf(String tag);

    /** Every tag of the repository with the digest it names now (a tag removed meanwhile is left out). */
    default Map<String, Digest> taggedDigests() {
        Map<String, Digest> tagged = new LinkedHashMap<>();
        for (String tag : tags()) {
            digestOf(tag).ifPresent(digest -> tagged.put(tag, digest));
        }
        return tagged;
    }

    /** The first of {@code tags}, in order, that points at {@code digest}. */
    default Optional<String> firstTagOf(Digest digest, List<String> tags) {
        for (String tag : tags) {
            if (digestOf(tag).filter(digest::equals).isPresent()) {
                return Optional.of(tag);
            }
        }
        return Optional.empty();
    }

    /**
     * The manifest {@code digest} names in this repository, bytes exactly as stored; empty when the repository does
     * not hold it (a redelivered publish finds its image here even after its candidate left staging).
     */
    Optional<Manifest> manifest(Digest digest);

    /**
     * Makes the verified image available in this repository without rebuilding it: nothing to move when it is
     * already there (the candidate was staged in this repository), a blob mount from another repository of the same
     * registry, or a copy of its blobs through the registry API otherwise.
     *
     * @param verified the image the tester verified, pinned by digest
     * @return its manifest, bytes exactly as stored (so its digest is the verified digest)
     */
    Manifest importImage(ImageReference verified);

    /**
     * Puts {@code manifest} (already imported) under {@code tag}; putting a tag that already names this manifest
     * succeeds and changes nothing.
     *
     * @throws TagConflictException when the tag is immutable and names another image
     */
    void putTag(Manifest manifest, String tag);

    /**
     * Deletes old versions ({@link VersionRetention}): OCI registries delete each digest's manifest (which removes
     * every tag on it in this repository), ECR deletes the tags ({@code BatchDeleteImage} by tag and digest; an image
     * whose last tag goes is deleted with it). The caller makes sure that no other tag names these digests. An image
     * index goes before the platform images it lists (ECR refuses to delete an image an index lists); those go after
     * it, each unless a version left in the repository names or lists it.
     *
     * @param versions every tag on the images to delete (old versions and their per-run tags), each with its digest
     * @return the tags gone now (also those that were gone already); a tag the registry refused to delete is logged
     *         and left out
     * @throws PublishFailure when the registry refuses or fails the request as a whole
     */
    List<String> deleteVersions(Map<String, Digest> versions);
}
