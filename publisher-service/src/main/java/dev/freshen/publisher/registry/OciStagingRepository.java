package dev.freshen.publisher.registry;

import dev.freshen.events.image.Digest;
import dev.freshen.events.image.ImageReference;
import dev.freshen.publisher.StagingRepository;
import dev.freshen.registry.Manifest;
import dev.freshen.registry.RegistryClient;
import dev.freshen.registry.RegistryException;

import java.util.List;
import java.util.Optional;

/**
 * A staging repository spoken to with the OCI distribution API. A candidate is deleted by digest
 * ({@link RegistryClient#deleteManifest}): the registry removes every tag of the repository on that digest.
 */
public final class OciStagingRepository implements StagingRepository {

    /** What to turn on where a registry answers a delete with 405. */
    static final String DELETE_SETTING = "deletes in the registry's storage settings (the CNCF distribution registry: "
            + "storage.delete.enabled: true, or REGISTRY_STORAGE_DELETE_ENABLED=true)";

    private final RegistryClient client;
    private final String registry;
    private final String repository;

    public OciStagingRepository(RegistryClient client, String registry, String repository) {
        this.client = client;
        this.registry = registry;
        this.repository = repository;
    }

    @Override
    public String describe() {
        return registry + "/" + repository;
    }

    @Override
    public boolean deletesTagOnly() {
        return false;
    }

    @Override
    public List<String> tags() {
        try {
            return client.tags(registry, repository);
        } catch (RegistryException e) {
            throw RegistryFailures.of("cannot list the tags of " + describe(), e);
        }
    }

    @Override
    public Optional<Digest> digestOf(String tag) {
        try {
            return client.manifestDigest(new ImageReference(registry, repository, tag, null));
        } catch (RegistryException e) {
            throw RegistryFailures.of("cannot read " + describe() + ":" + tag, e);
        }
    }

    @Override
    public Optional<Manifest> manifest(Digest digest) {
        try {
            return client.manifest(new ImageReference(registry, repository, null, digest));
        } catch (RegistryException e) {
            throw RegistryFailures.of("cannot read " + describe() + "@" + digest, e);
        }
    }

    @Override
    public boolean delete(String tag, Digest digest) {
        try {
            return client.deleteManifest(registry, repository, digest);
        } catch (RegistryException e) {
            if (e.status() == 405) {
                throw new DeletesRefused(registry + " answered HTTP 405", DELETE_SETTING, e);
            }
            throw RegistryFailures.of("cannot delete " + describe() + "@" + digest, e);
        }
    }
}
