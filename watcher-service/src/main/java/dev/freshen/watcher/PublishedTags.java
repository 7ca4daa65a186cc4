package dev.freshen.watcher;

import dev.freshen.descriptor.Target;
import dev.freshen.events.image.Digest;

import java.util.List;
import java.util.Optional;

/** What a rollback request needs to read of a target repository (read only: the publisher moves the tags). */
public interface PublishedTags {

    /**
     * Every tag of the target's repository (all pages); empty when there is none.
     *
     * @throws RuntimeException with a message for people when the registry fails
     */
    List<String> tags(Target target);

    /**
     * The digest {@code tag} of the target's repository names now; empty when there is no such tag.
     *
     * @throws RuntimeException with a message for people when the registry fails
     */
    Optional<Digest> digestOf(Target target, String tag);
}
