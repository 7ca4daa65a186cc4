package dev.freshen.publisher;

import dev.freshen.events.image.Digest;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class VersionRetentionTest {

    private static Digest digest(int n) {
        return Digest.parse("sha256:" + String.format("%064x", n));
    }

    /** Tags in the order given, each naming the digest of its number. */
    private static Map<String, Digest> tags(Object... tagAndDigest) {
        Map<String, Digest> tags = new LinkedHashMap<>();
        for (int i = 0; i < tagAndDigest.length; i += 2) {
            tags.put((String) tagAndDigest[i], digest((Integer) tagAndDigest[i + 1]));
        }
        return tags;
    }

    @Test
    void theNewestVersionsStayInVersionOrderNotInListingOrder() {
        // listed as a registry may list them: lexically, 1.10.0 before 1.2.0
        var plan = VersionRetention.plan("10.0-noble", List.of(), 2, tags("10.0-noble-1.0.0", 1, "10.0-noble-1.10.0", 10,
                "10.0-noble-1.2.0", 2, "10.0-noble-1.9.0", 9, "10.0-noble-2.0.0", 20), digest(20));
        assertEquals(List.of("10.0-noble-1.9.0", "10.0-noble-1.2.0", "10.0-noble-1.0.0"), List.copyOf(plan.delete().keySet()));
        assertEquals(digest(9), plan.delete().get("10.0-noble-1.9.0"));
        assertTrue(plan.held().isEmpty());
    }

    @Test
    void fewerVersionsThanKeptDeletesNothing() {
        var plan = VersionRetention.plan("p", List.of(), 3, tags("p-1.0.0", 1, "p-1.1.0", 2, "latest", 2), digest(2));
        assertTrue(plan.isEmpty());
        assertTrue(VersionRetention.plan("p", List.of(), 1, Map.of(), digest(1)).isEmpty());
    }

    @Test
    void otherImagesVersionsInASharedRepositoryAreNeitherCountedNorDeleted() {
        // platform/dotnet/runtime: 10.0-noble and 10.0-noble-chiseled (a prefix of the other plus more) and 11.0-noble
        var tags = tags("10.0-noble-1.0.0", 1, "10.0-noble-1.1.0", 2, "10.0-noble-1.2.0", 3,
                "10.0-noble-chiseled-1.0.0", 11, "10.0-noble-chiseled-1.1.0", 12, "10.0-noble-chiseled-1.2.0", 13,
                "11.0-noble-1.0.0", 21, "10.0-noble-chiseled", 13, "10.0", 3, "latest", 21);
        var plan = VersionRetention.plan("10.0-noble", List.of(), 1, tags, digest(3));
        assertEquals(List.of("10.0-noble-1.1.0", "10.0-noble-1.0.0"), List.copyOf(plan.delete().keySet()));
        var chiseled = VersionRetention.plan("10.0-noble-chiseled", List.of(), 2, tags, digest(13));
        assertEquals(List.of("10.0-noble-chiseled-1.0.0"), List.copyOf(chiseled.delete().keySet()));
    }

    @Test
    void aDigestAnyOtherTagNamesIsKept() {
        // 1.0.0: also latest (a moving tag left behind); 1.1.0: also a tag put by hand; 1.2.0: also the kept 1.4.0
        // (the same image published twice); 1.3.0: another image's moving tag; 0.9.0: only versions beyond the kept
        var tags = tags("p-0.9.0", 9, "p-0.9.1", 9, "p-1.0.0", 1, "latest", 1, "p-1.1.0", 2, "run-abc", 2, "p-1.2.0", 3,
                "p-1.4.0", 3, "p-1.3.0", 4, "q-moving", 4, "p-1.5.0", 5);
        var plan = VersionRetention.plan("p", List.of("latest", "nightly-{date}"), 2, tags, digest(5));
        assertEquals(Map.of("p-0.9.1", digest(9), "p-0.9.0", digest(9)), plan.delete());
        assertEquals("also tagged latest", plan.held().get("p-1.0.0"));
        assertEquals("also tagged run-abc", plan.held().get("p-1.1.0"));
        assertEquals("also tagged p-1.4.0", plan.held().get("p-1.2.0"));
        assertEquals("also tagged q-moving", plan.held().get("p-1.3.0"));
    }

    @Test
    void thisImagesPerRunExtraTagsGoWithTheirVersionWhileDatedAndHandMadeTagsHoldIt() {
        var tags = tags("p-1.0.0", 1, "run-aaa", 1, "1.0.0-build", 1, "p-1.1.0", 2, "run-bbb", 2, "nightly-20261130", 2,
                "p-1.2.0", 3, "run-ccc", 3, "keep-me", 3, "p-1.3.0", 4, "run-ddd", 4);
        var plan = VersionRetention.plan("p", List.of("latest", "run-{runId}", "{version}-build", "nightly-{date}"), 1,
                tags, digest(4));
        assertEquals(List.of("p-1.0.0", "1.0.0-build", "run-aaa"), List.copyOf(plan.delete().keySet()));
        assertEquals("also tagged nightly-20261130", plan.held().get("p-1.1.0"), "a dated tag is a moving tag");
        assertEquals("also tagged keep-me", plan.held().get("p-1.2.0"));
        assertEquals(2, plan.held().size());
    }

    @Test
    void theDigestJustPublishedIsNeverDeletedEvenWhenOldVersionsAreAnnouncedAgain() {
        // a redelivered publish of 1.0.0 after 1.1.0 and 1.2.0 were published
        var plan = VersionRetention.plan("p", List.of(), 1, tags("p-1.0.0", 1, "p-1.1.0", 2, "p-1.2.0", 3), digest(1));
        assertEquals(List.of("p-1.1.0"), List.copyOf(plan.delete().keySet()));
        assertEquals("the image this run announced", plan.held().get("p-1.0.0"));
    }

    @Test
    void keepingNoVersionIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> VersionRetention.plan("p", List.of(), 0, Map.of(), digest(1)));
    }
}
