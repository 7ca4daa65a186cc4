package dev.freshen.descriptor;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StagingTest {

    private static final Target RUNTIME = new Target("platform/dotnet/runtime", "10.0", List.of());

    @Test
    void byDefaultCandidatesStageBesideTheTargetInARepositoryOfTheirOwn() {
        Staging staging = Staging.defaults();
        assertEquals("platform/dotnet/runtime-staging", staging.repositoryFor(RUNTIME));
        assertEquals("registry.example.com", staging.registryFor("registry.example.com"));
    }

    @Test
    void aTemplateWithoutThePlaceholderIsOneFixedRepositoryForEveryImage() {
        Staging staging = new Staging(Optional.of("staging.example.com"), "platform/staging");
        assertEquals("platform/staging", staging.repositoryFor(RUNTIME));
        assertEquals("platform/staging", staging.repositoryFor("platform/other"));
        assertEquals("staging.example.com", staging.registryFor("registry.example.com"));
    }

    @Test
    void thePlaceholderAloneStagesInTheTargetRepository() {
        Staging same = new Staging(Optional.empty(), "{repository}");
        assertEquals("platform/dotnet/runtime", same.repositoryFor(RUNTIME));
        assertEquals("registry.example.com", same.registryFor("registry.example.com"));
    }

    @Test
    void aPrefixTemplateAndABlankRegistry() {
        Staging staging = new Staging(Optional.of(" "), "staging/{repository}");
        assertEquals("staging/platform/dotnet/runtime", staging.repositoryFor(RUNTIME));
        assertEquals("registry.example.com", staging.registryFor("registry.example.com"), "blank means the target's");
    }

    @Test
    void templatesThatMakeNoRepositoryNameAreRefusedWithTheValue() {
        var unknown = assertThrows(IllegalArgumentException.class, () -> new Staging(Optional.empty(), "{repo}-staging"));
        assertTrue(unknown.getMessage().contains("'{repo}-staging' may only use {repository}"), unknown.getMessage());
        var upper = assertThrows(IllegalArgumentException.class, () -> new Staging(Optional.empty(), "{repository}-Staging"));
        assertTrue(upper.getMessage().contains("'{repository}-Staging' does not make a valid repository name"),
                upper.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Staging(Optional.empty(), " "));
    }

    @Test
    void candidateTagsNameTheRun() {
        assertEquals("candidate-run-1", Staging.candidateTag("run-1"));
        assertEquals("candidate-run-1-linux-arm64", Staging.platformCandidateTag("run-1",
                dev.freshen.events.image.Platform.parse("linux/aarch64")));
        assertEquals("candidate-run-1-linux-arm-v7", Staging.platformCandidateTag("run-1",
                dev.freshen.events.image.Platform.parse("linux/arm")));
    }
}
