package dev.freshen.builder;

import dev.freshen.events.image.Digest;
import dev.freshen.events.image.ImageReference;

import java.util.Optional;

/** Where candidates and bases are looked up, and candidates pushed to. */
public interface CandidateStore {

    /** The current digest of a tag (a base upstream, or an existing candidate); empty when it does not exist. */
    Optional<Digest> digest(ImageReference ref);

    /** Pushes the local image {@code localTag} as {@code repository:tag} and removes it locally; returns the digest. */
    Digest pushAndRemove(String localTag, String repository, String tag);

    /** Removes a local image that is not pushed (after a failed build). */
    void removeLocal(String localTag);
}
