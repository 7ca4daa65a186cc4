package dev.freshen.tester.messaging;

import dev.freshen.events.Topics;
import dev.freshen.messaging.TopicFollower;
import dev.freshen.tester.RunOutcomes;
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
 * Feeds {@link RunOutcomes} from the tester's output topics, from the beginning, so that the tester knows every test
 * outcome stated before (by any instance, before any restart).
 */
@ApplicationScoped
public class TestOutcomeFeed {

    private final TopicFollower follower;

    @Inject
    public TestOutcomeFeed(RunOutcomes outcomes, @Identifier("default-kafka-broker") Map<String, Object> kafka) {
        this.follower = new TopicFollower(kafka, "freshen-tester-outcomes", List.of(Topics.IMAGE_VERIFIED,
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
