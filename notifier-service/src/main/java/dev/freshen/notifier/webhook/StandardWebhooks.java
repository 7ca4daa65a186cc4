package dev.freshen.notifier.webhook;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Signatures per the Standard Webhooks specification 1.0.0 (standard-webhooks/standard-webhooks,
 * {@code spec/standard-webhooks.md}, "Signature scheme" and "Webhook headers"). A post carries
 * <ul>
 *   <li>{@code webhook-id}: the event's id, the same for every retry and redelivery (the receiver's idempotency
 *       key);</li>
 *   <li>{@code webhook-timestamp}: when this attempt was made, in whole seconds since the Unix epoch;</li>
 *   <li>{@code webhook-signature}: {@code v1,<base64 HMAC-SHA256 of "<id>.<timestamp>.<body>">}, one per key,
 *       separated by spaces (several keys let a secret be rotated without downtime).</li>
 * </ul>
 *
 * <p>Keys ({@link #key}): a secret in the spec's form {@code whsec_<base64>} is base64-decoded, as every reference
 * library does; the spec asks for 24 to 64 random bytes. Any other secret is used as its UTF-8 bytes, as the reference
 * libraries' raw-key constructors do (JavaScript {@code new Webhook(bytes, {format: "raw"})}, Go
 * {@code NewWebhookRaw}, Python {@code Webhook(bytes)}, Java {@code new Webhook(byte[])}) and as the Elixir library
 * does by itself for a secret without the prefix. Freshen's secrets before Standard Webhooks were such plain
 * secrets, so they keep working.
 */
public final class StandardWebhooks {

    public static final String ID = "webhook-id";
    public static final String TIMESTAMP = "webhook-timestamp";
    public static final String SIGNATURE = "webhook-signature";
    /** The spec's prefix of a serialized symmetric secret. */
    public static final String SECRET_PREFIX = "whsec_";
    private static final String VERSION = "v1";
    private static final int MIN_KEY_BYTES = 24;
    private static final int MAX_KEY_BYTES = 64;

    /** One HMAC-SHA256 key (the bytes, never shown: {@link #toString()} hides them). */
    public record Key(byte[] bytes) {
        public Key {
            if (bytes.length == 0) {
                throw new IllegalArgumentException("is empty");
            }
            bytes = bytes.clone();
        }

        @Override
        public byte[] bytes() {
            return bytes.clone();
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Key key && Arrays.equals(bytes, key.bytes);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(bytes);
        }

        @Override
        public String toString() {
            return "Key[" + bytes.length + " bytes]";
        }
    }

    private StandardWebhooks() {
    }

    /**
     * The key a secret stands for (see the class comment).
     *
     * @throws IllegalArgumentException saying what is wrong, never quoting the secret: a {@code whsec_} secret that is
     *                                  not base64 or not 24 to 64 bytes long, or an empty secret
     */
    public static Key key(String secret) {
        if (!secret.startsWith(SECRET_PREFIX)) {
            return new Key(secret.getBytes(StandardCharsets.UTF_8));
        }
        byte[] decoded;
        try {
            decoded = Base64.getDecoder().decode(secret.substring(SECRET_PREFIX.length()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("starts with " + SECRET_PREFIX + " but the rest is not base64");
        }
        if (decoded.length < MIN_KEY_BYTES || decoded.length > MAX_KEY_BYTES) {
            throw new IllegalArgumentException("is a " + SECRET_PREFIX + " secret of " + decoded.length + " bytes; the "
                    + "Standard Webhooks specification asks for " + MIN_KEY_BYTES + " to " + MAX_KEY_BYTES
                    + " random bytes, e.g. whsec_$(openssl rand -base64 32)");
        }
        return new Key(decoded);
    }

    /**
     * The keys of a secret setting that holds one or more secrets separated by whitespace (the first is the current
     * one; the others are being rotated out).
     *
     * @throws IllegalArgumentException as {@link #key}, naming the secret's position when there are several
     */
    public static List<Key> keys(String secrets) {
        List<String> parts = Arrays.stream(secrets.strip().split("\\s+")).filter(s -> !s.isEmpty()).toList();
        if (parts.isEmpty()) {
            throw new IllegalArgumentException("is empty");
        }
        List<Key> keys = new ArrayList<>();
        for (int i = 0; i < parts.size(); i++) {
            try {
                keys.add(key(parts.get(i)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(parts.size() == 1 ? e.getMessage()
                        : "secret " + (i + 1) + " of " + parts.size() + " " + e.getMessage(), e);
            }
        }
        return List.copyOf(keys);
    }

    /** {@code v1,<base64 HMAC-SHA256(key, id + "." + timestamp + "." + body)>}; {@code body} as sent, byte for byte. */
    public static String sign(Key key, String id, long timestamp, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key.bytes, "HmacSHA256"));
            mac.update((id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8));
            return VERSION + "," + Base64.getEncoder().encodeToString(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    /** The {@code webhook-signature} value: one {@link #sign signature} per key, in order, separated by spaces. */
    public static String signatures(List<Key> keys, String id, long timestamp, byte[] body) {
        return keys.stream().map(key -> sign(key, id, timestamp, body)).collect(Collectors.joining(" "));
    }
}
