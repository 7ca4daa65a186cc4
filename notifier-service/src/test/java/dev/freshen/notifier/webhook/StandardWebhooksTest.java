package dev.freshen.notifier.webhook;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Freshen's signing against the test vectors published with the Standard Webhooks reference libraries
 * (standard-webhooks/standard-webhooks at b2fa7b8, {@code libraries/}).
 */
class StandardWebhooksTest {

    /**
     * The "sign function works" vector of the JavaScript, Python, Go, C# and Java libraries
     * ({@code javascript/src/webhook.test.ts}, {@code python/tests/test_webhooks.py} test_sign_function,
     * {@code go/webhook_test.go}, {@code csharp/.../WebhookTest.cs}, {@code java/.../TestScenario.java} validSigned).
     */
    @Test
    void signsTheReferenceLibrariesVector() {
        assertEquals("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=", StandardWebhooks.sign(
                StandardWebhooks.key("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"), "msg_p5jXN8AQM9LWM0D4loKWxJek",
                1614265330L, "{\"test\": 2432232314}".getBytes(StandardCharsets.UTF_8)));
    }

    /** The Rust library's vector ({@code rust/src/lib.rs} test_sign). */
    @Test
    void signsTheRustLibrarysVector() {
        assertEquals("v1,tZ1I4/hDygAJgO5TYxiSd6Sd0kDW6hPenDe+bTa3Kkw=", StandardWebhooks.sign(
                StandardWebhooks.key("whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD"), "msg_27UH4WbU6Z5A5EzD8u03UvzRbpk",
                1649367553L,
                "{\"email\":\"test@example.com\",\"username\":\"test_user\"}".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void severalKeysGiveOneSignatureEachInOrderSeparatedBySpaces() {
        var keys = StandardWebhooks.keys(
                " whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw\n whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD \n");
        byte[] body = "{\"test\": 2432232314}".getBytes(StandardCharsets.UTF_8);
        String header = StandardWebhooks.signatures(keys, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330L, body);
        List<String> signatures = List.of(header.split(" "));
        assertEquals(2, signatures.size());
        assertEquals("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=", signatures.get(0));
        assertEquals(StandardWebhooks.sign(keys.get(1), "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330L, body),
                signatures.get(1));
    }

    @Test
    void aWhsecSecretIsBase64AndAnyOtherSecretItsUtf8Bytes() {
        assertEquals(24, StandardWebhooks.key("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").bytes().length);
        assertArrayEquals("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw".getBytes(StandardCharsets.UTF_8),
                StandardWebhooks.key("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").bytes(),
                "no prefix: not decoded, even if base64");
        assertArrayEquals("clé-secrète".getBytes(StandardCharsets.UTF_8), StandardWebhooks.key("clé-secrète").bytes());
        assertEquals("Key[24 bytes]", StandardWebhooks.key("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").toString(),
                "never the bytes");
    }

    @Test
    void unusableSecretsAreRefusedWithoutQuotingThem() {
        assertEquals("starts with whsec_ but the rest is not base64", assertThrows(IllegalArgumentException.class,
                () -> StandardWebhooks.key("whsec_not base64!")).getMessage());
        assertEquals("is a whsec_ secret of 65 bytes; the Standard Webhooks specification asks for 24 to 64 random "
                + "bytes, e.g. whsec_$(openssl rand -base64 32)", assertThrows(IllegalArgumentException.class,
                () -> StandardWebhooks.key("whsec_" + Base64.getEncoder().encodeToString(new byte[65])))
                .getMessage());
        assertEquals("is empty", assertThrows(IllegalArgumentException.class, () -> StandardWebhooks.keys(" \n"))
                .getMessage());
    }
}
