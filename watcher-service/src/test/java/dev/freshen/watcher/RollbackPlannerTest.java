package dev.freshen.watcher;

import dev.freshen.descriptor.PlatformImageCatalog;
import dev.freshen.descriptor.Target;
import dev.freshen.events.RollbackRequested;
import dev.freshen.events.image.Digest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Choosing the version a rollback goes back to, and refusing what cannot be rolled back, on an in-memory registry. */
class RollbackPlannerTest {

    private static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");
    private static final String ID = "net10/runtime";

    private final Map<String, Digest> tags = new LinkedHashMap<>();
    private final List<RollbackRequested> sent = new ArrayList<>();
    private RollbackPlanner planner;

    @BeforeEach
    void setUp(@TempDir Path root) throws IOException {
        descriptor(root, ID, "['10.0', latest, 'run-{runId}']");
        descriptor(root, "net10/pinned", "['run-{runId}', 'nightly-{date}']");
        Path invalid = Files.createDirectories(root.resolve("net10/invalid"));
        Files.writeString(invalid.resolve("Dockerfile"), "FROM scratch\n");
        Files.writeString(invalid.resolve("platform-image.yaml"), "target: {repository: platform/x}\nnotfy: []\n");
        PublishedTags registry = new PublishedTags() {
            @Override
            public List<String> tags(Target target) {
                return new ArrayList<>(tags.keySet());
            }

            @Override
            public Optional<Digest> digestOf(Target target, String tag) {
                return Optional.ofNullable(tags.get(tag));
            }
        };
        planner = new RollbackPlanner(new PlatformImageCatalog(root)::scan, registry, sent::add,
                Clock.fixed(NOW, ZoneOffset.UTC));
        for (int minor = 0; minor <= 3; minor++) {
            tags.put("10.0-noble-1." + minor + ".0", digest(minor));
        }
        tags.put("10.0-noble-1.10.0", digest(10));
        tags.put("10.0-noble-chiseled-9.0.0", digest(99)); // a sibling's version: not ours
        moveTo(10);
    }

    private static void descriptor(Path root, String id, String extraTags) throws IOException {
        Path folder = Files.createDirectories(root.resolve(id));
        Files.writeString(folder.resolve("Dockerfile"), "FROM mcr.microsoft.com/dotnet/runtime:10.0\n");
        Files.writeString(folder.resolve("platform-image.yaml"), "target: {repository: platform/" + id
                + ", tagPrefix: 10.0-noble, extraTags: " + extraTags + "}\n");
    }

    private static Digest digest(int n) {
        return Digest.parse("sha256:" + String.format("%064x", n));
    }

    private void moveTo(int minor) {
        tags.put("10.0", digest(minor));
        tags.put("latest", digest(minor));
    }

    @Test
    void byDefaultTheVersionBelowTheOneTheMovingTagsNameNumericallyNotAsText() {
        RollbackRequested request = planner.request(ID, null, "1.10.0 breaks TLS", "api:ops");
        assertEquals("10.0-noble-1.10.0", request.fromVersion());
        assertEquals("10.0-noble-1.3.0", request.toVersion(), "1.3.0 is below 1.10.0");
        assertEquals(List.of(request), sent, "handed to the publisher");
        assertEquals("api:ops", request.requestedBy());
        assertEquals("1.10.0 breaks TLS", request.reason());
        assertEquals(NOW, request.occurredAt());
        assertTrue(request.runId().startsWith("r-"), request.runId());
    }

    @Test
    void afterARollbackTheDefaultGoesOneFurtherBackFromWhereTheTagsAreNow() {
        moveTo(3);
        RollbackRequested request = planner.request(ID, null, null, "api:ops");
        assertEquals("10.0-noble-1.3.0", request.fromVersion());
        assertEquals("10.0-noble-1.2.0", request.toVersion());
    }

    @Test
    void toTakesAVersionTagOrItsNumberAndMayGoForwardToo() {
        assertEquals("10.0-noble-1.1.0", planner.request(ID, "10.0-noble-1.1.0", null, "api:ops").toVersion());
        assertEquals("10.0-noble-1.0.0", planner.request(ID, " 1.0.0 ", null, "api:ops").toVersion());
        moveTo(1);
        assertEquals("10.0-noble-1.10.0", planner.request(ID, "1.10.0", "fixed", "api:ops").toVersion(),
                "back to the newest undoes a rollback");
    }

    @Test
    void aVersionThatIsNotPublishedIsRefusedListingThePublishedOnes() {
        var missing = assertThrows(RollbackRefusedException.class, () -> planner.request(ID, "1.4.0", null, "api:ops"));
        assertEquals(409, missing.status());
        assertEquals("rollback-version-missing", missing.code());
        assertEquals("10.0-noble-1.4.0 is not a published version of net10/runtime", missing.getMessage());
        assertEquals("published: 10.0-noble-1.10.0, 10.0-noble-1.3.0, 10.0-noble-1.2.0, 10.0-noble-1.1.0, "
                + "10.0-noble-1.0.0", missing.hint());
        var sibling = assertThrows(RollbackRefusedException.class,
                () -> planner.request(ID, "10.0-noble-chiseled-9.0.0", null, "api:ops"));
        assertEquals("rollback-version-invalid", sibling.code(), "another prefix's version is not this image's");
        assertEquals(400, sibling.status());
        var invalid = assertThrows(RollbackRefusedException.class, () -> planner.request(ID, "latest", null, "api:ops"));
        assertEquals("rollback-version-invalid", invalid.code());
        assertTrue(sent.isEmpty(), "nothing is sent for a refused rollback");
    }

    @Test
    void theVersionTheTagsNameAlreadyIsRefused() {
        var already = assertThrows(RollbackRefusedException.class, () -> planner.request(ID, "1.10.0", null, "api:ops"));
        assertEquals("rollback-already-there", already.code());
        assertEquals("the moving tags of net10/runtime (10.0, latest) name 10.0-noble-1.10.0 already", already.getMessage());
    }

    @Test
    void theOldestVersionHasNothingBelowIt() {
        moveTo(0);
        var none = assertThrows(RollbackRefusedException.class, () -> planner.request(ID, null, null, "api:ops"));
        assertEquals("rollback-no-earlier-version", none.code());
        assertEquals("net10/runtime:10.0 names 10.0-noble-1.0.0, and no earlier version is published", none.getMessage());
    }

    @Test
    void nothingPublishedNoMovingTagsUnknownAndInvalidImagesAreRefused() {
        tags.clear();
        assertEquals("rollback-nothing-published", assertThrows(RollbackRefusedException.class,
                () -> planner.request(ID, null, null, "api:ops")).code());
        assertEquals("rollback-no-moving-tags", assertThrows(RollbackRefusedException.class,
                () -> planner.request("net10/pinned", null, null, "api:ops")).code());
        assertThrows(UnknownImageException.class, () -> planner.request("net10/nope", null, null, "api:ops"));
        assertThrows(ImageNotWatchedException.class, () -> planner.request("net10/invalid", null, null, "api:ops"));
    }

    @Test
    void aRegistryThatCannotBeReadIsABadGatewayNamingTheImage(@TempDir Path root) throws IOException {
        descriptor(root, ID, "[latest]");
        PublishedTags down = new PublishedTags() {
            @Override
            public List<String> tags(Target target) {
                throw new IllegalStateException("registry.example.com: connection refused");
            }

            @Override
            public Optional<Digest> digestOf(Target target, String tag) {
                return Optional.empty();
            }
        };
        var refused = assertThrows(RollbackRefusedException.class, () -> new RollbackPlanner(
                new PlatformImageCatalog(root)::scan, down, sent::add, Clock.systemUTC()).request(ID, null, null, "api:ops"));
        assertEquals(502, refused.status());
        assertEquals("cannot read the published versions of net10/runtime: registry.example.com: connection refused",
                refused.getMessage());
    }
}
