package dev.freshen.builder;

import dev.freshen.events.EventType;
import dev.freshen.events.FreshenEvent;
import dev.freshen.events.Topics;
import dev.freshen.testing.DockerEngine;
import dev.freshen.testing.SampleEvents;
import dev.freshen.testing.StageServiceContract;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** The packaged builder, as its own process, against the real Kafka broker (requests for unknown images). */
class BuilderIT extends StageServiceContract {

    @Override
    protected Map<String, String> config() {
        return Map.of(
                "freshen.target-registry", "127.0.0.1:5999",
                "freshen.platform-images-dir", "src/test/resources/empty-platform-images",
                "freshen.builder.docker-cli", DockerEngine.CLI);
    }

    /** The start-up check passed with the configured CLI, by a real BuildKit build (BuildKitCheckIT: when it fails). */
    @Test
    void checkedAtStartUpThatItsDockerCliRunsBuildKitBuilds() {
        String log = service.logText();
        assertTrue(log.contains("BuildKit builds through freshen.builder.docker-cli is " + DockerEngine.CLI + ", docker CLI "), log);
        assertTrue(log.matches("(?s).*\\((BuildKit built in|buildx [^)]+)\\); test build passed in \\d+\\.\\ds.*"), log);
    }

    @Override
    protected Supplier<FreshenEvent> input() {
        return SampleEvents::baseImageUpdated;
    }

    @Override
    protected EventType outcome() {
        return EventType.PIPELINE_FAILED;
    }

    @Override
    protected String deadLetterTopic() {
        return Topics.BUILDER_DLQ;
    }

    @Override
    protected String source() {
        return "/freshen/builder";
    }
}
