package dev.freshen.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/** The OCI error body ({@code {"errors":[{"code":"...","message":"..."}]}}) of failed responses. */
final class OciErrors {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_TEXT = 200;

    record OciError(String code, String message) {
    }

    private OciErrors() {
    }

    /** The first error of an OCI error body, if the body is one. */
    static Optional<OciError> parse(byte[] body) {
        if (body == null || body.length == 0) {
            return Optional.empty();
        }
        try {
            JsonNode first = JSON.readTree(body).path("errors").path(0);
            if (!first.isObject()) {
                return Optional.empty();
            }
            String code = first.path("code").asText(null);
            String message = first.path("message").asText(null);
            return code == null && message == null ? Optional.empty() : Optional.of(new OciError(code, message));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /**
     * The exception for a failed response: "{@code <what>} failed: HTTP 400 MANIFEST_INVALID: manifest invalid",
     * transient for 5xx and 429.
     */
    static RegistryException failure(String what, HttpResponse<byte[]> response) {
        int status = response.statusCode();
        return new RegistryException(what + " failed: " + summary(response), status, isTransientStatus(status),
                parse(response.body()).map(OciError::code).orElse(null));
    }

    /**
     * Whether a status is worth another attempt: 5xx and 429 (too many requests), but not 501 (not implemented: the
     * server does not support the method, an answer that does not change; some proxies give it to manifest HEADs).
     */
    static boolean isTransientStatus(int status) {
        return status == 429 || (status >= 500 && status <= 599 && status != 501);
    }

    /** "HTTP 400 MANIFEST_INVALID: manifest invalid", or the status and the start of a body that is not an OCI error. */
    static String summary(HttpResponse<byte[]> response) {
        Optional<OciError> error = parse(response.body());
        StringBuilder message = new StringBuilder("HTTP ").append(response.statusCode());
        if (error.isPresent()) {
            if (error.get().code() != null) {
                message.append(' ').append(error.get().code());
            }
            if (error.get().message() != null) {
                message.append(": ").append(error.get().message());
            }
        } else if (response.body() != null && response.body().length > 0) {
            String text = new String(response.body(), StandardCharsets.UTF_8).strip().replaceAll("\\s+", " ");
            message.append(": ").append(text.length() > MAX_TEXT ? text.substring(0, MAX_TEXT) + "..." : text);
        }
        return message.toString();
    }
}
