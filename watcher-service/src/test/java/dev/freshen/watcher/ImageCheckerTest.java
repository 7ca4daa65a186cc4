package dev.freshen.watcher;

import dev.freshen.descriptor.PlatformImageCatalog;
import dev.freshen.events.ImagePublished;
import dev.freshen.events.image.Digest;
import dev.freshen.events.image.ImageReference;
import dev.freshen.testing.SampleEvents;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link ImageChecker} with a fake registry: what a check reports, and how a publish heard later updates it. */
class ImageCheckerTest {

    static final String ID = "net10/runtime";
    static final ImageReference BASE = ImageReference.parse("127.0.0.1:5000/dotnet/runtime:10.0");
    static final Digest BASE_NOW = SampleEvents.digest('2');
    static final Digest PUBLISHED_1_0 = SampleEvents.digest('a');

    @TempDir
    Path root;
    ImageChecker checker;
    final List<Object> started = new ArrayList<>();

    @BeforeEach
    void images() throws IOException {
        Path folder = Files.createDirectories(root.resolve(ID));
        Files.writeString(folder.resolve("Dockerfile"), "FROM " + BASE + "\nUSER 1654\n");
        Files.writeString(folder.resolve("platform-image.yaml"),
                "target: {repository: platform/dotnet/runtime, tagPrefix: \"10.0\", extraTags: [latest]}\n");
        PlatformImageCatalog.Scan scan = new PlatformImageCatalog(root).scan();
        ImageRegistry registry = new ImageRegistry() {
            @Override
            public Optional<Digest> upstreamDigest(ImageReference base) {
                return Optional.of(BASE_NOW);
            }

            @Override
            public Optional<BuiltFrom> builtFrom(dev.freshen.descriptor.Target target) {
                return Optional.of(new BuiltFrom("10.0-1.0.0", PUBLISHED_1_0, Map.of(BASE, BASE_NOW)));
            }
        };
        RunLedger ledger = new RunLedger();
        ledger.markComplete();
        checker = new ImageChecker(() -> scan, registry, ledger, started::add, Clock.systemUTC());
    }

    @Test
    void aCheckReadsWhatIsPublished() {
        CheckOutcome outcome = checker.check(ID);
        assertEquals(CheckOutcome.Result.UP_TO_DATE, outcome.result());
        assertEquals("10.0-1.0.0", outcome.builtFrom().versionTag());
        assertEquals(List.of(), started);
    }

    @Test
    void aHigherVersionHeardOnKafkaReplacesWhatTheLastCheckRead() {
        checker.check(ID);
        checker.published(published("10.0-1.1.0", 'b'));

        BuiltFrom shown = checker.lastOutcome(ID).orElseThrow().builtFrom();
        assertEquals("10.0-1.1.0", shown.versionTag());
        assertEquals(SampleEvents.digest('b'), shown.digest());
        assertEquals(Map.of(SampleEvents.BASE.reference(), SampleEvents.BASE.digest()), shown.bases());
        assertEquals(CheckOutcome.Result.UP_TO_DATE, checker.lastOutcome(ID).orElseThrow().result(), "the check's result stays");
    }

    @Test
    void anOlderOrEqualVersionChangesNothing() {
        checker.check(ID);
        checker.published(published("10.0-1.0.0", 'c'));
        assertEquals(PUBLISHED_1_0, checker.lastOutcome(ID).orElseThrow().builtFrom().digest());
    }

    @Test
    void aPublishBeforeAnyCheckChangesNothing() {
        checker.published(published("10.0-1.1.0", 'b'));
        assertEquals(Optional.empty(), checker.lastOutcome(ID));
    }

    @Test
    void aForcedRunKafkaDidNotTakeIsNotRecordedSoTheNextRequestStartsOne() {
        RunLedger ledger = new RunLedger();
        ledger.markComplete();
        PlatformImageCatalog.Scan scan = new PlatformImageCatalog(root).scan();
        ImageChecker refused = new ImageChecker(() -> scan, null, ledger, trigger -> {
            throw new RunNotStartedException("Kafka did not take ForceUpdateRequested of run " + trigger.runId()
                    + " within 30s; the run may still start once it does", null);
        }, Clock.systemUTC());

        RunNotStartedException e = assertThrows(RunNotStartedException.class,
                () -> refused.forceUpdate(ID, "fix", "api:default"));

        assertTrue(e.getMessage().startsWith("Kafka did not take ForceUpdateRequested of run f-"), e.getMessage());
        assertEquals(List.of(), ledger.inFlight(), "the ledger records only runs Kafka took");
        assertEquals(1, checker.forceUpdate(ID, "fix", "api:default").attempt());
        assertEquals(1, started.size());
    }

    private static ImagePublished published(String versionTag, char digest) {
        ImagePublished sample = SampleEvents.imagePublished();
        return new ImagePublished(sample.runId(), ID, 1, sample.occurredAt(), sample.trigger(), sample.baseImages(),
                ImageReference.parse("127.0.0.1:5000/platform/dotnet/runtime:" + versionTag + "@" + SampleEvents.digest(digest)),
                versionTag.substring(versionTag.indexOf('-') + 1), List.of(versionTag, "latest"), sample.timings());
    }
}
