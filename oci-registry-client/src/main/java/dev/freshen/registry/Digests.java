package dev.freshen.registry;

import dev.freshen.events.image.Digest;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Digests of content with the algorithm of an expected digest (sha256 or sha512). */
final class Digests {

    private Digests() {
    }

    static Digest of(String algorithm, byte[] content) {
        String jdkName = switch (algorithm) {
            case "sha256" -> "SHA-256";
            case "sha512" -> "SHA-512";
            default -> throw new IllegalArgumentException("unsupported digest algorithm " + algorithm);
        };
        try {
            return new Digest(algorithm, HexFormat.of().formatHex(MessageDigest.getInstance(jdkName).digest(content)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(jdkName + " is not available in this JVM", e);
        }
    }
}
