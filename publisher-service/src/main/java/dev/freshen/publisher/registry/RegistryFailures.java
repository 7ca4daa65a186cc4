package dev.freshen.publisher.registry;

import dev.freshen.publisher.PublishFailure;
import dev.freshen.registry.RegistryException;

/** Turns registry client failures into publish failures: transient stays transient, the rest is permanent. */
public final class RegistryFailures {

    private RegistryFailures() {
    }

    /**
     * @param what what was being done, naming registry, repository and tag ({@code "cannot list the tags of ..."})
     */
    public static PublishFailure of(String what, RegistryException e) {
        String reason = what + ": " + e.getMessage();
        return e.isTransient() ? PublishFailure.transientFailure(PublishFailure.REGISTRY_ERROR, reason, e)
                : PublishFailure.permanent(PublishFailure.REGISTRY_ERROR, reason, e);
    }
}
