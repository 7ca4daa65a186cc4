package dev.freshen.registry;

import java.util.Optional;

/**
 * Credentials that are not fixed in configuration, asked for each time they are needed (e.g. AWS ECR's 12-hour
 * tokens). Empty for a registry it does not know: the configured credentials apply then.
 */
@FunctionalInterface
public interface CredentialsProvider {

    CredentialsProvider NONE = registry -> Optional.empty();

    /** @param registry the registry host as in image references, e.g. 123456789012.dkr.ecr.eu-west-1.amazonaws.com */
    Optional<Credentials> credentialsFor(String registry);

    /** These credentials where there are any, else the fixed ones of {@code settings}. */
    default CredentialsProvider orElse(RegistrySettings settings) {
        return registry -> credentialsFor(registry).or(() -> settings.credentialsFor(registry));
    }

    /** These credentials where there are any, else those of {@code next}. */
    default CredentialsProvider orElse(CredentialsProvider next) {
        return registry -> credentialsFor(registry).or(() -> next.credentialsFor(registry));
    }
}
