package dev.freshen.events.image;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The spellings of one platform compare equal, as containerd's {@code platforms.Normalize} makes them. */
class PlatformTest {

    @ParameterizedTest
    @CsvSource({
            "linux/amd64, linux/amd64",
            "linux/x86_64, linux/amd64",
            "linux/amd64/v1, linux/amd64",
            "linux/arm64/v8, linux/arm64",
            "linux/aarch64, linux/arm64",
            "linux/arm, linux/arm/v7",
            "linux/armhf, linux/arm/v7",
            "LINUX/ARM64, linux/arm64",
            "windows/amd64, windows/amd64",
            "' linux/s390x ', linux/s390x",
    })
    void spellingsOfOnePlatformAreEqual(String written, String normalised) throws Exception {
        Platform platform = Platform.parse(written);
        assertEquals(normalised, platform.toString());
        assertEquals(Platform.parse(normalised), platform);
        assertEquals("\"" + normalised + "\"", new ObjectMapper().writeValueAsString(platform));
        assertEquals(platform, new ObjectMapper().readValue("\"" + written.strip() + "\"", Platform.class));
    }

    @ParameterizedTest
    @CsvSource({"linux/arm/v6, linux/arm/v7", "linux/amd64/v3, linux/amd64", "linux/arm64, linux/amd64"})
    void otherPlatformsDiffer(String a, String b) {
        assertNotEquals(Platform.parse(a), Platform.parse(b));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "linux", "amd64", "linux/", "/amd64", "linux/amd64/v8/x", "linux amd64", "linux/am d64"})
    void otherTextIsNoPlatformAndTheMessageShowsTheForm(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Platform.parse(text));
        assertTrue(e.getMessage().contains("linux/amd64"), e.getMessage());
    }
}
