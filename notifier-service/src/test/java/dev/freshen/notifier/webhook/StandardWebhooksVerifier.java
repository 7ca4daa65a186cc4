package dev.freshen.notifier.webhook;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.freshen.testing.NodePackage;

import java.io.UncheckedIOException;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;

/**
 * Verifies signed posts with the Standard Webhooks reference library for JavaScript, the npm package
 * {@code standardwebhooks} (pinned {@value #VERSION}, installed by {@link NodePackage} into
 * {@code target/standardwebhooks}), run by node on {@code src/test/node/verify-webhook.js}: an independent reading of
 * the signatures Freshen produces.
 */
public final class StandardWebhooksVerifier {

    /** The pinned version of the npm package {@code standardwebhooks} (the current one when this was written). */
    public static final String VERSION = "1.1.1";

    private static final NodePackage PACKAGE = NodePackage.forThisModule("standardwebhooks", VERSION);
    private static final ObjectMapper JSON = new ObjectMapper();

    private StandardWebhooksVerifier() {
    }

    /**
     * Empty when the library accepts the post; else its reason (e.g. "No matching signature found").
     *
     * @param secret  one secret as configured ({@code whsec_…} or plain)
     * @param headers at least {@code webhook-id}, {@code webhook-timestamp} and {@code webhook-signature}
     */
    public static Optional<String> rejection(String secret, byte[] body, Map<String, String> headers) {
        String request;
        try {
            request = JSON.writeValueAsString(Map.of("secret", secret, "bodyBase64",
                    Base64.getEncoder().encodeToString(body), "headers", headers));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
        NodePackage.Result result = PACKAGE.run("verify-webhook.js", request, 60);
        return switch (result.exit()) {
            case 0 -> Optional.empty();
            case 1 -> Optional.of(result.output().strip());
            default -> throw new IllegalStateException("verify-webhook.js failed (exit " + result.exit() + "): "
                    + result.output());
        };
    }
}
