package dev.freshen.events.image;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A content digest as used by OCI registries, e.g. {@code sha256:2c26b46b...}.
 * Only the algorithms registries actually use are accepted, with their exact hex length.
 */
public record Digest(String algorithm, String hex) {

    private static final Map<String, Integer> HEX_LENGTHS = Map.of("sha256", 64, "sha512", 128);
    private static final Pattern LOWER_HEX = Pattern.compile("[a-f0-9]+");

    public Digest {
        if (algorithm == null || !HEX_LENGTHS.containsKey(algorithm)) {
            throw new IllegalArgumentException("unsupported digest algorithm '" + algorithm + "' (expected sha256 or sha512)");
        }
        int expected = HEX_LENGTHS.get(algorithm);
        if (hex == null || hex.length() != expected) {
            throw new IllegalArgumentException(algorithm + " digest must have " + expected + " hex characters, got "
                    + (hex == null ? 0 : hex.length()));
        }
        if (!LOWER_HEX.matcher(hex).matches()) {
            throw new IllegalArgumentException("digest must be lowercase hex: '" + hex + "'");
        }
    }

    /** Parses {@code <algorithm>:<hex>}. */
    @JsonCreator
    public static Digest parse(String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("digest is empty");
        }
        int colon = value.indexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("digest '" + value + "' must look like sha256:<64 hex characters>");
        }
        return new Digest(value.substring(0, colon), value.substring(colon + 1));
    }

    /** The sha256 digest of some content, as a registry computes it for a manifest or blob. */
    public static Digest sha256Of(byte[] content) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(content);
            return new Digest("sha256", HexFormat.of().formatHex(hash));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available in this JVM", e);
        }
    }

    /** The first 12 hex characters, for logs and cards. */
    public String shortHex() {
        return hex.substring(0, 12);
    }

    @JsonValue
    @Override
    public String toString() {
        return algorithm + ":" + hex;
    }
}
