package dev.freshen.events.image;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A container image reference, {@code registry/repository[:tag][@digest]}, normalised the way the
 * Docker engine normalises it: {@code debian} is {@code docker.io/library/debian}, {@code index.docker.io}
 * is {@code docker.io}. The tag is {@code null} when the reference names none (use {@link #tagOrLatest()}).
 */
public record ImageReference(String registry, String repository, String tag, Digest digest) {

    public static final String DOCKER_HUB = "docker.io";

    private static final Pattern HOST = Pattern.compile(
            "(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*|\\[[0-9a-fA-F:]+])"
                    + "(?::([0-9]{1,5}))?");
    private static final Pattern PATH_COMPONENT = Pattern.compile("[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*");
    private static final Pattern TAG = Pattern.compile("\\w[\\w.-]{0,127}");
    private static final int MAX_NAME_LENGTH = 255;

    public ImageReference {
        Objects.requireNonNull(registry, "registry");
        Objects.requireNonNull(repository, "repository");
        validateRegistry(registry);
        validateRepository(repository);
        if (tag != null && !TAG.matcher(tag).matches()) {
            throw new IllegalArgumentException("invalid tag '" + tag
                    + "': up to 128 letters, digits, '_', '.' or '-', not starting with '.' or '-'");
        }
    }

    /** Parses and normalises a reference as written in a Dockerfile or on the docker command line. */
    @JsonCreator
    public static ImageReference parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("image reference is empty");
        }
        String rest = text.strip();
        Digest digest = null;
        int at = rest.indexOf('@');
        if (at >= 0) {
            try {
                digest = Digest.parse(rest.substring(at + 1));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("image reference '" + text + "': " + e.getMessage(), e);
            }
            rest = rest.substring(0, at);
        }
        String tag = null;
        int colon = rest.lastIndexOf(':');
        if (colon > rest.lastIndexOf('/')) {
            tag = rest.substring(colon + 1);
            rest = rest.substring(0, colon);
        }
        String registry = DOCKER_HUB;
        String repository = rest;
        int slash = rest.indexOf('/');
        if (slash > 0) {
            String first = rest.substring(0, slash);
            if (first.contains(".") || first.contains(":") || first.equals("localhost") || !first.equals(first.toLowerCase())) {
                registry = first.equals("index.docker.io") ? DOCKER_HUB : first;
                repository = rest.substring(slash + 1);
            }
        }
        if (registry.equals(DOCKER_HUB) && !repository.contains("/")) {
            repository = "library/" + repository;
        }
        try {
            return new ImageReference(registry, repository, tag, digest);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("image reference '" + text + "': " + e.getMessage(), e);
        }
    }

    /** {@code registry/repository}, without tag or digest. */
    public String name() {
        return registry + "/" + repository;
    }

    public String tagOrLatest() {
        return tag == null ? "latest" : tag;
    }

    /** The host to talk the distribution API to ({@code docker.io} is served by {@code registry-1.docker.io}). */
    public String apiHost() {
        return registry.equals(DOCKER_HUB) ? "registry-1.docker.io" : registry;
    }

    public boolean isPinned() {
        return digest != null;
    }

    public ImageReference withDigest(Digest newDigest) {
        return new ImageReference(registry, repository, tag, newDigest);
    }

    public ImageReference withTag(String newTag) {
        return new ImageReference(registry, repository, newTag, digest);
    }

    /** {@code registry/repository@digest}: the form that can never move. */
    public ImageReference byDigestOnly() {
        if (digest == null) {
            throw new IllegalStateException(this + " has no digest");
        }
        return new ImageReference(registry, repository, null, digest);
    }

    @JsonValue
    @Override
    public String toString() {
        StringBuilder s = new StringBuilder(name());
        if (tag != null) {
            s.append(':').append(tag);
        }
        if (digest != null) {
            s.append('@').append(digest);
        }
        return s.toString();
    }

    private static void validateRegistry(String registry) {
        var matcher = HOST.matcher(registry);
        if (!matcher.matches()) {
            throw new IllegalArgumentException("invalid registry host '" + registry + "'");
        }
        String port = matcher.group(1);
        if (port != null && (Integer.parseInt(port) < 1 || Integer.parseInt(port) > 65535)) {
            throw new IllegalArgumentException("invalid port in registry host '" + registry + "'");
        }
    }

    private static void validateRepository(String repository) {
        if (repository.isEmpty()) {
            throw new IllegalArgumentException("repository name is empty");
        }
        if (!repository.equals(repository.toLowerCase())) {
            throw new IllegalArgumentException("repository name must be lowercase: '" + repository + "'");
        }
        for (String component : repository.split("/", -1)) {
            if (!PATH_COMPONENT.matcher(component).matches()) {
                throw new IllegalArgumentException("invalid repository path component '" + component + "' in '" + repository
                        + "': lowercase letters and digits, separated by '.', '_', '__' or '-'");
            }
        }
        if (repository.length() > MAX_NAME_LENGTH) {
            throw new IllegalArgumentException("repository name is longer than " + MAX_NAME_LENGTH + " characters");
        }
    }
}
