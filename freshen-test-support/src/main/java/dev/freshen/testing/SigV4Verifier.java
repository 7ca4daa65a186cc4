package dev.freshen.testing;

import com.sun.net.httpserver.Headers;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks AWS Signature Version 4 on a request the way AWS does: the {@code Authorization: AWS4-HMAC-SHA256
 * Credential=<key>/<date>/<region>/<service>/aws4_request, SignedHeaders=..., Signature=...} header is recomputed
 * from the canonical request (method, path, query, the signed headers, the SHA-256 of the body) with the secret key.
 */
final class SigV4Verifier {

    /** Why a request was refused: the AWS error type and message. */
    record Rejection(int status, String type, String message) {
    }

    private static final String ALGORITHM = "AWS4-HMAC-SHA256";
    private static final DateTimeFormatter AMZ_DATE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
    private static final Duration MAX_SKEW = Duration.ofMinutes(15);

    private final Map<String, String> secrets;
    private final String region;
    private final String service;

    /** @param secrets the secret access key of each access key id that may sign requests */
    SigV4Verifier(Map<String, String> secrets, String region, String service) {
        this.secrets = Map.copyOf(secrets);
        this.region = region;
        this.service = service;
    }

    /** The access key id in a request's {@code Authorization} header (check it with {@link #verify} first), or null. */
    static String accessKeyId(Headers headers) {
        String authorization = headers.getFirst("Authorization");
        if (authorization == null || !authorization.startsWith(ALGORITHM + " ")) {
            return null;
        }
        int credential = authorization.indexOf("Credential=");
        int slash = credential < 0 ? -1 : authorization.indexOf('/', credential);
        return slash < 0 ? null : authorization.substring(credential + "Credential=".length(), slash).trim();
    }

    /** @return null when the signature is valid, else why not */
    Rejection verify(String method, String rawPath, String rawQuery, Headers headers, byte[] body) {
        String authorization = headers.getFirst("Authorization");
        if (authorization == null || !authorization.startsWith(ALGORITHM + " ")) {
            return new Rejection(400, "MissingAuthenticationTokenException", "Missing Authentication Token");
        }
        Map<String, String> parts = new LinkedHashMap<>();
        for (String part : authorization.substring(ALGORITHM.length() + 1).split(",")) {
            int eq = part.indexOf('=');
            if (eq > 0) {
                parts.put(part.substring(0, eq).trim(), part.substring(eq + 1).trim());
            }
        }
        String[] scope = parts.getOrDefault("Credential", "").split("/");
        String signedHeaders = parts.get("SignedHeaders");
        String signature = parts.get("Signature");
        if (scope.length != 5 || signedHeaders == null || signature == null || !"aws4_request".equals(scope[4])) {
            return new Rejection(400, "IncompleteSignatureException", "Authorization header requires 'Credential', "
                    + "'Signature' and 'SignedHeaders' parameters: " + authorization.replaceAll("Signature=\\w+", "Signature=***"));
        }
        String secretAccessKey = secrets.get(scope[0]);
        if (secretAccessKey == null) {
            return new Rejection(400, "UnrecognizedClientException", "The security token included in the request is invalid.");
        }
        if (!scope[2].equals(region) || !scope[3].equals(service)) {
            return new Rejection(403, "InvalidSignatureException", "Credential should be scoped to a valid region and "
                    + "service: expected " + region + "/" + service + ", got " + scope[2] + "/" + scope[3]);
        }
        String amzDate = headers.getFirst("X-Amz-Date");
        if (amzDate == null || !List.of(signedHeaders.split(";")).contains("x-amz-date") || !amzDate.startsWith(scope[1])) {
            return new Rejection(400, "IncompleteSignatureException", "X-Amz-Date must be signed and match the credential scope");
        }
        try {
            Instant signedAt = AMZ_DATE.parse(amzDate, Instant::from);
            if (Duration.between(signedAt, Instant.now()).abs().compareTo(MAX_SKEW) > 0) {
                return new Rejection(403, "InvalidSignatureException", "Signature expired: " + amzDate + " is not within 15 minutes of now");
            }
        } catch (DateTimeParseException e) {
            return new Rejection(400, "IncompleteSignatureException", "invalid X-Amz-Date " + amzDate);
        }
        StringBuilder canonical = new StringBuilder()
                .append(method).append('\n')
                .append(rawPath == null || rawPath.isEmpty() ? "/" : rawPath).append('\n')
                .append(rawQuery == null ? "" : rawQuery).append('\n');
        for (String name : signedHeaders.split(";")) {
            List<String> values = headers.get(name);
            if (values == null) {
                return new Rejection(403, "InvalidSignatureException", "signed header " + name + " is missing from the request");
            }
            canonical.append(name).append(':')
                    .append(String.join(",", values.stream().map(v -> v.trim().replaceAll(" +", " ")).toList()))
                    .append('\n');
        }
        canonical.append('\n').append(signedHeaders).append('\n').append(hex(sha256(body)));
        String stringToSign = ALGORITHM + "\n" + amzDate + "\n" + String.join("/", scope[1], scope[2], scope[3], scope[4])
                + "\n" + hex(sha256(canonical.toString().getBytes(StandardCharsets.UTF_8)));
        byte[] key = hmac(("AWS4" + secretAccessKey).getBytes(StandardCharsets.UTF_8), scope[1]);
        key = hmac(key, scope[2]);
        key = hmac(key, scope[3]);
        key = hmac(key, "aws4_request");
        String expected = hex(hmac(key, stringToSign));
        if (!MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII), signature.getBytes(StandardCharsets.US_ASCII))) {
            return new Rejection(403, "InvalidSignatureException", "The request signature we calculated does not match the "
                    + "signature you provided. Check your AWS Secret Access Key and signing method. Consult the service "
                    + "documentation for details.");
        }
        return null;
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] hmac(byte[] key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }
}
