package dev.freshen.builder.messaging;

import dev.freshen.builder.BuildOutcomes;
import dev.freshen.builder.BuildRequest;
import dev.freshen.events.BaseImage;
import dev.freshen.events.FailureKind;
import dev.freshen.events.ImageBuilt;
import dev.freshen.events.PipelineFailed;
import dev.freshen.events.Stage;
import dev.freshen.events.Trigger;
import dev.freshen.events.image.Digest;
import dev.freshen.events.image.ImageReference;
import dev.freshen.testing.EventTopics;
import dev.freshen.testing.KafkaBroker;
import dev.freshen.testing.SampleEvents;
import org.apache.kafka.clients.CommonClientConfigs;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The builder's record of outcomes, rebuilt from the real broker's topics as at a restart. */
class BuildOutcomeFeedIT {

    private static final BaseImage BASE = new BaseImage(ImageReference.parse("mcr.example.com/dotnet/runtime:10.0"),
            Digest.parse("sha256:" + "a".repeat(64)), null);

    @Test
    void theOutcomesStatedBeforeTheStartAreKnownOnceCaughtUp() throws InterruptedException {
        String built = SampleEvents.runId();
        String failed = SampleEvents.runId();
        String transientFailure = SampleEvents.runId();
        ImageReference candidate = ImageReference.parse("registry.example.com/platform/app-staging@sha256:" + "c".repeat(64));
        ImageBuilt imageBuilt = new ImageBuilt(built, "fixture/app", 1, Instant.now(), Trigger.baseImageUpdated(),
                List.of(BASE), candidate, List.of(), List.of());
        try (EventTopics topics = new EventTopics(KafkaBroker.bootstrapServers())) {
            topics.send(imageBuilt);
            topics.send(new PipelineFailed(failed, "fixture/app", 1, Instant.now(), Stage.BUILD, FailureKind.PERMANENT,
                    "the RUN step failed", null, Trigger.baseImageUpdated()));
            topics.send(new PipelineFailed(transientFailure, "fixture/app", 1, Instant.now(), Stage.BUILD,
                    FailureKind.TRANSIENT_EXHAUSTED, "engine away", null, Trigger.baseImageUpdated()));
        }
        BuildOutcomes outcomes = new BuildOutcomes();
        BuildOutcomeFeed feed = new BuildOutcomeFeed(outcomes,
                Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, KafkaBroker.bootstrapServers()));
        feed.onStart(null);
        try {
            assertTrue(feed.awaitCaughtUp(Duration.ofSeconds(60)));
            assertTrue(feed.caughtUp());
            assertEquals(Optional.of(imageBuilt), outcomes.of(request(built)));
            assertEquals(Stage.BUILD, ((PipelineFailed) outcomes.of(request(failed)).orElseThrow()).stage());
            assertEquals(Optional.empty(), outcomes.of(request(transientFailure)), "may be built again");
        } finally {
            feed.onStop(null);
        }
    }

    private static BuildRequest request(String runId) {
        return new BuildRequest(runId, "fixture/app", Trigger.baseImageUpdated(), List.of(), Instant.now());
    }
}
