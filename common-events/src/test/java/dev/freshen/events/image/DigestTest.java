package dev.freshen.events.image;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class DigestTest {

    @Test
    void sha256OfKnownContent() {
        // sha256("foo"), as printed by sha256sum
        assertEquals("sha256:2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae",
                Digest.sha256Of("foo".getBytes(StandardCharsets.UTF_8)).toString());
    }

    @Test
    void roundTripsAndShortens() {
        Digest d = Digest.parse("sha256:" + "a".repeat(64));
        assertEquals(d, Digest.parse(d.toString()));
        assertEquals("aaaaaaaaaaaa", d.shortHex());
    }

    @Test
    void acceptsSha512WithItsLength() {
        assertEquals("sha512", Digest.parse("sha512:" + "0".repeat(128)).algorithm());
        assertThrows(IllegalArgumentException.class, () -> Digest.parse("sha512:" + "0".repeat(64)));
    }

    @Test
    void rejectsNonHex() {
        var e = assertThrows(IllegalArgumentException.class, () -> Digest.parse("sha256:" + "g".repeat(64)));
        assertEquals("digest must be lowercase hex: '" + "g".repeat(64) + "'", e.getMessage());
    }
}
