package dev.freshen.builder.messaging;

import dev.freshen.builder.BuildOutcomes;
import dev.freshen.events.Topics;
import dev.freshen.messaging.TopicFollower;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Feeds {@link BuildOutcomes} from the builder's output topics ({@code freshen.image-built},
 * {@code freshen.pipeline-failed}), from the beginning, so that the builder knows every build outcome stated before
 * (by any instance, before any restart).
 */
@ApplicationScoped
public class BuildOutcomeFeed {

    private final TopicFollower follower;

    @Inject
    public BuildOutcomeFeed(BuildOutcomes outcomes, @Identifier("default-kafka-broker") Map<String, Object> kafka) {
        this.follower = new TopicFollower(kafka, "freshen-builder-outcomes", List.of(Topics.IMAGE_BUILT,
                Topics.PIPELINE_FAILED), TopicFollower.events(outcomes::remember));
    }

    void onStart(@Observes StartupEvent start) {
        follower.start();
    }

    void onStop(@Observes ShutdownEvent stop) {
        follower.close();
    }

    /** Waits until the outcomes stated before have been read; false on time-out. */
    boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
        return follower.awaitCaughtUp(timeout);
    }

    boolean caughtUp() {
        return follower.caughtUp();
    }
}
