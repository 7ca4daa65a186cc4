package dev.freshen.publisher.ecr;

/**
 * Which ECR registry (account) the publisher works in. The settings of its repositories are the repository layout's
 * ({@code dev.freshen.ecr.setup.RepositoryLayout}), computed over every descriptor at start-up.
 *
 * @param registryId the AWS account id of the registry, or null for the default registry of the credentials
 */
public record EcrSettings(String registryId) {

    /** The registry for messages: its id, or "the default registry". */
    public String describeRegistry() {
        return registryId == null ? "the default registry" : "registry " + registryId;
    }
}
