package dev.freshen.descriptor;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StagingTest {

    private static final Target RUNTIME = new Target("platform/dotnet/runtime", "10.0", List.of());

    @Test
    void byDefaultCandidatesStageBesideTheTargetInARepositoryOfTheirOwn() {
        Staging staging = Staging.defaults();
        assertEquals("platform/dotnet/runtime-staging", staging.repositoryFor(RUNTIME));
        assertEquals("registry.example.com", staging.registryFor("registry.example.com"));
        assertFalse(staging.stagesIn("registry.example.com", RUNTIME));
    }

    @Test
    void aTemplateWithoutThePlaceholderIsOneFixedRepositoryForEveryImage() {
        Staging staging = new Staging(Optional.of("staging.example.com"), "platform/staging");
        assertEquals("platform/staging", staging.repositoryFor(RUNTIME));
        assertEquals("platform/staging", staging.repositoryFor("platform/other"));
        assertEquals("staging.example.com", staging.registryFor("registry.example.com"));
    }

    @Test
    void thePlaceholderAloneStagesInTheTargetRepositoryOfTheTargetRegistryOnly() {
        Staging same = new Staging(Optional.empty(), "{repository}");
        assertTrue(same.stagesIn("registry.example.com", RUNTIME));
        Staging elsewhere = new Staging(Optional.of("staging.example.com"), "{repository}");
        assertFalse(elsewhere.stagesIn("registry.example.com", RUNTIME));
        assertEquals("platform/dotnet/runtime", elsewhere.repositoryFor(RUNTIME));
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
        assertTrue(Staging.isCandidateTag("candidate-run-1"));
        assertFalse(Staging.isCandidateTag("10.0-1.2.0"));
    }
}
