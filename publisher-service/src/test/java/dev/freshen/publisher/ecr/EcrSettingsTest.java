package dev.freshen.publisher.ecr;

import dev.freshen.ecr.EcrClients;
import dev.freshen.descriptor.Target;
import dev.freshen.publisher.PublishFailure;
import dev.freshen.publisher.ecr.EcrSettings.TagMutability;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EcrSettingsTest {

    private static final Target TARGET = new Target("platform/dotnet-runtime", "10.0-noble",
            List.of("10.0", "latest", "run-{runId}", "nightly-{date}"));

    @Test
    void immutableWithExclusionKeepsVersionTagsImmutableAndLetsTheMovingTagsMove() {
        EcrSettings settings = settings(TagMutability.IMMUTABLE_WITH_EXCLUSION, List.of("dev-*"));
        assertEquals(List.of("10.0", "latest", "nightly-*", "dev-*"), settings.filtersFor(TARGET));
        assertEquals(TagMutability.IMMUTABLE_WITH_EXCLUSION, settings.mutabilityFor(TARGET));
    }

    @Test
    void mutableWithExclusionMakesTheVersionTagsTheImmutableOnes() {
        EcrSettings settings = settings(TagMutability.MUTABLE_WITH_EXCLUSION, List.of());
        assertEquals(List.of("10.0-noble-*"), settings.filtersFor(TARGET));
    }

    @Test
    void withoutAnythingToExcludeImmutableWithExclusionIsPlainImmutable() {
        Target noExtras = new Target("platform/x", "1", List.of("run-{runId}"));
        EcrSettings settings = settings(TagMutability.IMMUTABLE_WITH_EXCLUSION, List.of());
        assertEquals(List.of(), settings.filtersFor(noExtras));
        assertEquals(TagMutability.IMMUTABLE, settings.mutabilityFor(noExtras));
    }

    @Test
    void theOtherModesSendNoFilters() {
        assertEquals(List.of(), settings(TagMutability.MUTABLE, List.of("dev-*")).filtersFor(TARGET));
        assertEquals(List.of(), settings(TagMutability.IMMUTABLE, List.of("dev-*")).filtersFor(TARGET));
    }

    @Test
    void moreThanFiveFiltersIsAClearPermanentFailure() {
        EcrSettings settings = settings(TagMutability.IMMUTABLE_WITH_EXCLUSION, List.of("a*", "b*", "c*"));
        PublishFailure e = assertThrows(PublishFailure.class, () -> settings.filtersFor(TARGET));
        assertTrue(e.getMessage().contains("platform/dotnet-runtime") && e.getMessage().contains("6 ECR tag mutability"),
                e.getMessage());
    }

    @Test
    void invalidConfiguredFiltersAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> settings(TagMutability.MUTABLE, List.of("no spaces")));
    }

    @Test
    void accountAndRegionOfAnEcrHost() {
        assertEquals("123456789012", EcrClients.accountOf("123456789012.dkr.ecr.eu-west-1.amazonaws.com").orElseThrow());
        assertEquals("eu-west-1", EcrClients.regionOf("123456789012.dkr.ecr.eu-west-1.amazonaws.com").orElseThrow());
        assertTrue(EcrClients.accountOf("registry.example.com").isEmpty());
    }

    private static EcrSettings settings(TagMutability mutability, List<String> filters) {
        return new EcrSettings("123456789012", mutability, filters, true);
    }
}
