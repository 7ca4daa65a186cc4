package dev.freshen.events;

import dev.freshen.events.image.Digest;
import dev.freshen.events.image.ImageReference;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ImageLabelsTest {

    static final Digest A = Digest.parse("sha256:" + "a".repeat(64));
    static final Digest B = Digest.parse("sha256:" + "b".repeat(64));

    @Test
    void allBasesRoundTripThroughTheLabel() {
        var sdk = ImageReference.parse("mcr.microsoft.com/dotnet/sdk:10.0");
        var aspnet = ImageReference.parse("mcr.microsoft.com/dotnet/aspnet:10.0");
        String value = ImageLabels.baseImagesValue(List.of(sdk.withDigest(A), aspnet.withDigest(B)));
        assertEquals(Map.of(sdk, A, aspnet, B), ImageLabels.builtFrom(Map.of(ImageLabels.BASE_IMAGES, value)));
    }

    @Test
    void fallsBackToTheOciBaseAnnotations() {
        assertEquals(Map.of(ImageReference.parse("debian:12"), A), ImageLabels.builtFrom(Map.of(
                ImageLabels.BASE_NAME, "docker.io/library/debian:12", ImageLabels.BASE_DIGEST, A.toString())));
    }

    @Test
    void ignoresWhatItCannotTrust() {
        assertEquals(Map.of(), ImageLabels.builtFrom(Map.of()));
        assertEquals(Map.of(), ImageLabels.builtFrom(Map.of(ImageLabels.BASE_IMAGES, "debian:12 not@a@ref")));
    }
}
