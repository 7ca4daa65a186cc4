package dev.freshen.events;

import dev.freshen.events.image.Digest;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Collection;
import java.util.HexFormat;
import java.util.stream.Collectors;

/**
 * How run ids are made. A run triggered by a base update gets an id derived from what it builds
 * (image id, new base digests, descriptor+Dockerfile content hash), so the same change seen twice is the same
 * run. A forced run gets a fresh random id.
 */
public final class RunIds {

    private static final SecureRandom RANDOM = new SecureRandom();

    private RunIds() {
    }

    public static String forBaseUpdate(String imageId, Collection<Digest> baseDigests, String contentHash) {
        String material = imageId + "\n"
                + baseDigests.stream().map(Digest::toString).sorted().collect(Collectors.joining(",")) + "\n"
                + contentHash;
        return "b-" + Digest.sha256Of(material.getBytes(StandardCharsets.UTF_8)).hex().substring(0, 24);
    }

    public static String forced() {
        byte[] bytes = new byte[12];
        RANDOM.nextBytes(bytes);
        return "f-" + HexFormat.of().formatHex(bytes);
    }
}
