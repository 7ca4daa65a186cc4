package dev.freshen.notifier.webhook;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * Freshen's first signature of a generic webhook post, deprecated by {@link StandardWebhooks}: header
 * {@code X-Freshen-Signature: sha256=<hex>}, where {@code <hex>} is the lowercase hex HMAC-SHA256 of the exact request
 * body bytes, keyed with the channel's (first) secret exactly as written (its UTF-8 bytes, a {@code whsec_} prefix
 * included). A receiver recomputes it over the raw body it received (before any JSON parsing) and compares in constant
 * time. It does not cover a timestamp, so it cannot stop replays. Still sent for one release, then removed.
 *
 * @deprecated verify {@code webhook-signature} instead ({@link StandardWebhooks})
 */
@Deprecated
public final class WebhookSignature {

    public static final String HEADER = "X-Freshen-Signature";
    private static final String PREFIX = "sha256=";

    private WebhookSignature() {
    }

    /** {@code sha256=<hex>} for {@code body}. */
    public static String sign(String secret, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return PREFIX + HexFormat.of().formatHex(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    /** Whether {@code header} is the signature of {@code body} (constant-time comparison), as a receiver checks it. */
    public static boolean verify(String secret, byte[] body, String header) {
        return header != null && MessageDigest.isEqual(sign(secret, body).getBytes(StandardCharsets.US_ASCII),
                header.strip().getBytes(StandardCharsets.US_ASCII));
    }
}
