package dev.freshen.registry;

import java.net.URI;

/**
 * One end of a blob copy: a registry (as in image references), a repository, the blob's URI there
 * ({@code /v2/<repository>/blobs/<digest>}) and the repository's upload URI ({@code /v2/<repository>/blobs/uploads/}).
 */
record BlobEndpoint(String registry, String repository, URI blob, URI uploads) {
    String pullScope() {
        return "repository:" + repository + ":pull";
    }

    String pushScope() {
        return "repository:" + repository + ":pull,push";
    }

    @Override
    public String toString() {
        return registry + "/" + repository;
    }
}
