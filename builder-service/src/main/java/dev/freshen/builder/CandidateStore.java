package dev.freshen.builder;

import dev.freshen.events.image.Digest;
import dev.freshen.events.image.ImageReference;

import java.util.Map;
import java.util.Optional;

/** Where candidates and bases are looked up, and candidates pushed to. */
public interface CandidateStore {

    /** The current digest of a tag (a base upstream, or an existing candidate); empty when it does not exist. */
    Optional<Digest> digest(ImageReference ref);

    /** Pushes the local image {@code localTag} as {@code repository:tag} and removes it locally; returns the digest. */
    Digest pushAndRemove(String localTag, String repository, String tag);

    /** Removes a local image that is not pushed (after a failed build). */
    void removeLocal(String localTag);

    /**
     * What the newest published version of a platform image was built from: the base digests its labels name, by the
     * base's tag reference; empty when nothing is published yet or the version carries no such labels. The newest
     * version is the highest version tag of {@code tagPrefix} in {@code registry}/{@code repository}.
     */
    Map<ImageReference, Digest> publishedBases(String registry, String repository, String tagPrefix);
}
