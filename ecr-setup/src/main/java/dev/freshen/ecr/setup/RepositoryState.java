package dev.freshen.ecr.setup;

import java.util.List;

/**
 * A repository of the layout compared with the registry.
 *
 * @param spec   what it must be
 * @param status missing, as wanted, or drifted
 * @param drifts the settings that differ (empty unless {@link Status#DRIFT})
 */
public record RepositoryState(RepositorySpec spec, Status status, List<Drift> drifts) {

    /** How the repository compares. */
    public enum Status { MISSING, UP_TO_DATE, DRIFT }

    public RepositoryState {
        drifts = List.copyOf(drifts);
    }
}
