package dev.freshen.publisher;

import dev.freshen.events.image.Digest;
import dev.freshen.registry.Manifest;

import java.util.List;
import java.util.Optional;

/**
 * The repository a candidate is staged in, as the {@link CandidateCleanup} needs it. Failures are runtime exceptions
 * (registry or ECR errors) whose message names the repository; the clean-up logs them and goes on.
 */
public interface StagingRepository {

    /** {@code <registry>/<repository>}, for messages. */
    String describe();

    /**
     * Whether {@link #delete} removes only the tag it is given (ECR {@code BatchDeleteImage} by tag: the image stays
     * while other tags name it), rather than the manifest with every tag on it (OCI distribution, delete by digest).
     */
    boolean deletesTagOnly();

    /** Every tag of the repository; empty when it holds none. */
    List<String> tags();

    /** The digest {@code tag} names now; empty when there is no such tag. */
    Optional<Digest> digestOf(String tag);

    /** The manifest {@code digest} names in this repository, bytes as stored; empty when it holds none. */
    Optional<Manifest> manifest(Digest digest);

    /**
     * Deletes the candidate: the tag {@code tag} (when {@link #deletesTagOnly()}), or else the manifest {@code digest}
     * with every tag of this repository on it.
     *
     * @return false when it was gone already
     * @throws DeletesRefused when the registry does not allow deletes
     */
    boolean delete(String tag, Digest digest);

    /** The registry refuses deletes (HTTP 405 {@code UNSUPPORTED}); {@code setting} says what to turn on. */
    final class DeletesRefused extends RuntimeException {
        private final String setting;

        public DeletesRefused(String message, String setting, Throwable cause) {
            super(message, cause);
            this.setting = setting;
        }

        /** The registry setting that allows deletes, in words, for the operator. */
        public String setting() {
            return setting;
        }
    }
}
