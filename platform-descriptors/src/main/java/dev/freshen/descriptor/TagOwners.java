package dev.freshen.descriptor;

import java.util.Optional;

/**
 * Which platform image a tag of the target registry belongs to today: the image id its
 * {@code dev.freshen.image-id} label names. When two descriptors claim the same moving tag (or the same version
 * prefix) in one repository, the catalog keeps the image the registry names, so that copying a folder never takes a
 * tag away from the image that has it; only when the registry cannot say (tag not there yet, no label, registry not
 * reachable) does the first image in id order keep it. Both rules give the same answer at every scan and after a
 * restart.
 */
public interface TagOwners {

    /** No registry: the first image in id order keeps a tag. */
    TagOwners NONE = new TagOwners() {
        @Override
        public Optional<String> ofTag(String repository, String tag) {
            return Optional.empty();
        }

        @Override
        public Optional<String> ofPrefix(String repository, String tagPrefix) {
            return Optional.empty();
        }
    };

    /** The image id the label of {@code repository:tag} names; empty when the tag, its label or the answer is missing. */
    Optional<String> ofTag(String repository, String tag);

    /** The image id the label of the highest version tag {@code <tagPrefix>-x.y.z} of {@code repository} names. */
    Optional<String> ofPrefix(String repository, String tagPrefix);
}
