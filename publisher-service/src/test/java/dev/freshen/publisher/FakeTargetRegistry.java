package dev.freshen.publisher;

import dev.freshen.descriptor.Target;
import dev.freshen.events.image.Digest;
import dev.freshen.events.image.ImageReference;
import dev.freshen.registry.Manifest;
import dev.freshen.registry.MediaTypes;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;

/**
 * An in-memory target registry for the stage's logic: tags per repository, images by digest, a log of the tags put,
 * and hooks that play other publishers and failing registries.
 */
final class FakeTargetRegistry implements TargetRegistry {

    static final String HOST = "registry.example.com";

    final Map<String, Map<String, Digest>> repositories = new LinkedHashMap<>();
    final Map<Digest, Manifest> images = new LinkedHashMap<>();
    final List<String> puts = new CopyOnWriteArrayList<>();
    /** The tags deleted, in order (a delete by digest takes every tag on it, as the CNCF registry does). */
    final List<String> deletes = new CopyOnWriteArrayList<>();
    /** The verified images imported, in order. */
    final List<ImageReference> imports = new CopyOnWriteArrayList<>();
    /** Called before each put with (tag, digest): another publisher may take the tag here. */
    BiConsumer<String, Digest> beforePut = (tag, digest) -> { };
    /** Called after each put with (tag, digest): another publisher may overwrite the tag here. */
    BiConsumer<String, Digest> afterPut = (tag, digest) -> { };
    /** Failures to throw from the next operations, one per call. */
    final List<RuntimeException> failures = Collections.synchronizedList(new ArrayList<>());
    /** Thrown by every delete when set (a registry that does not allow deletes). */
    volatile RuntimeException deleteFailure;
    /** Every candidate was deleted from staging: importing one fails as it would in a registry. */
    boolean stagingEmpty;
    /** Tags whose puts are refused as immutable once they exist. */
    boolean immutable;

    /** A new image (a manifest naming {@code name}) known to the registry, not yet tagged anywhere. */
    synchronized Manifest image(String name) {
        Manifest manifest = Manifest.of(MediaTypes.OCI_MANIFEST, ("{\"schemaVersion\":2,\"mediaType\":\""
                + MediaTypes.OCI_MANIFEST + "\",\"name\":\"" + name + "\"}").getBytes(StandardCharsets.UTF_8));
        images.put(manifest.digest(), manifest);
        return manifest;
    }

    synchronized void tag(String repository, String tag, Digest digest) {
        repositories.computeIfAbsent(repository, r -> new LinkedHashMap<>()).put(tag, digest);
    }

    synchronized Optional<Digest> tagged(String repository, String tag) {
        return Optional.ofNullable(repositories.getOrDefault(repository, Map.of()).get(tag));
    }

    static ImageReference candidate(Digest digest) {
        return ImageReference.parse(HOST + "/staging/x@" + digest);
    }

    @Override
    public String host() {
        return HOST;
    }

    @Override
    public TargetRepository open(Target target) {
        failIfAsked();
        return new Repo(target.repository());
    }

    @Override
    public StagingRepository staging(ImageReference candidate) {
        throw new UnsupportedOperationException("the stage does not clean up: CandidateCleanupTest has its own fake");
    }

    private void failIfAsked() {
        RuntimeException failure = failures.isEmpty() ? null : failures.remove(0);
        if (failure != null) {
            throw failure;
        }
    }

    private final class Repo implements TargetRepository {
        private final String name;

        Repo(String name) {
            this.name = name;
        }

        @Override
        public String describe() {
            return HOST + "/" + name;
        }

        @Override
        public List<String> tags() {
            failIfAsked();
            synchronized (FakeTargetRegistry.this) {
                return new ArrayList<>(repositories.getOrDefault(name, Map.of()).keySet());
            }
        }

        @Override
        public Optional<Digest> digestOf(String tag) {
            return tagged(name, tag);
        }

        /** The image when a tag of this repository names it (the fake keeps no untagged manifests). */
        @Override
        public Optional<Manifest> manifest(Digest digest) {
            synchronized (FakeTargetRegistry.this) {
                boolean held = repositories.getOrDefault(name, Map.of()).containsValue(digest);
                return held ? Optional.ofNullable(images.get(digest)) : Optional.empty();
            }
        }

        @Override
        public Manifest importImage(ImageReference verified) {
            imports.add(verified);
            synchronized (FakeTargetRegistry.this) {
                Manifest manifest = stagingEmpty ? null : images.get(verified.digest());
                if (manifest == null) {
                    throw PublishFailure.permanent(PublishFailure.CANDIDATE_MISSING, "the verified image " + verified + " no longer exists");
                }
                return manifest;
            }
        }

        @Override
        public void putTag(Manifest manifest, String tag) {
            beforePut.accept(tag, manifest.digest());
            synchronized (FakeTargetRegistry.this) {
                Optional<Digest> current = tagged(name, tag);
                if (immutable && current.isPresent() && !current.get().equals(manifest.digest())) {
                    throw new TagConflictException(tag, describe() + ":" + tag + " is immutable", null);
                }
                tag(name, tag, manifest.digest());
                puts.add(tag);
            }
            afterPut.accept(tag, manifest.digest());
        }

        @Override
        public List<String> deleteVersions(Map<String, Digest> versions) {
            failIfAsked();
            if (deleteFailure != null) {
                throw deleteFailure;
            }
            synchronized (FakeTargetRegistry.this) {
                Map<String, Digest> tags = repositories.getOrDefault(name, new LinkedHashMap<>());
                List<String> gone = new ArrayList<>();
                tags.entrySet().removeIf(t -> {
                    boolean remove = versions.containsValue(t.getValue());
                    if (remove) {
                        gone.add(t.getKey());
                        deletes.add(t.getKey());
                    }
                    return remove;
                });
                return gone;
            }
        }
    }
}
