package dev.freshen.builder;

import dev.freshen.events.image.Digest;
import dev.freshen.events.image.ImageReference;
import dev.freshen.events.image.Platform;
import dev.freshen.registry.ImageConfig;
import dev.freshen.registry.ImageIndexes;
import dev.freshen.registry.Manifest;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Where bases are looked up, and candidates pushed to. */
public interface CandidateStore {

    /**
     * The image manifest a base tag names upstream now for {@code platform} (for an image index, its entry for the
     * platform); empty when the tag does not exist.
     *
     * @throws dev.freshen.docker.BuildFailure {@code registry-error} when the registry fails or the tag has no image
     *                                         for {@code platform}
     */
    Optional<Digest> platformDigest(ImageReference ref, Platform platform);

    /** Pushes the local image {@code localTag} as {@code repository:tag} and removes it locally; returns the digest. */
    Digest pushAndRemove(String localTag, String repository, String tag);

    /**
     * Pushes the local image {@code localTag}, one platform's image of a multi-platform candidate, as
     * {@code repository:tag} and removes it locally; returns its manifest as the registry holds it (media type, bytes
     * and digest: what the index lists).
     */
    Manifest pushPlatform(String localTag, String repository, String tag);

    /** The config of the pushed image {@code child} ({@code repository@digest}): its platform, labels. */
    ImageConfig childConfig(ImageReference child);

    /**
     * Puts the OCI image index of {@code entries} (in this order) with index-level {@code annotations} as
     * {@code repository:tag} ({@code repository} includes the registry host); returns its digest.
     */
    Digest putIndex(String repository, String tag, List<ImageIndexes.Entry> entries, Map<String, String> annotations);

    /**
     * Deletes the pushed image {@code digest} from {@code repository} again, best effort (a multi-platform build that
     * failed after pushing some of its platforms leaves no child behind); a failure to delete is only logged.
     */
    void deleteStaged(String repository, Digest digest);

    /** Removes a local image that is not pushed (after a failed build). */
    void removeLocal(String localTag);

    /**
     * What the newest published version of a platform image was built from: the base digests its labels name, by the
     * base's tag reference; empty when nothing is published yet or the version carries no such labels. The newest
     * version is the highest version tag of {@code tagPrefix} in {@code registry}/{@code repository}; its labels are
     * read from its image for {@code platform} (empty when it has none for that platform).
     */
    Map<ImageReference, Digest> publishedBases(String registry, String repository, String tagPrefix, Platform platform);
}
