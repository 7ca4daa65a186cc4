package dev.freshen.publisher;

import dev.freshen.events.EventType;
import dev.freshen.events.FreshenEvent;
import dev.freshen.events.Topics;
import dev.freshen.testing.SampleEvents;
import dev.freshen.testing.StageServiceContract;

import java.util.Map;
import java.util.function.Supplier;

/** The packaged publisher, as its own process, against the real Kafka broker (verified images of unknown images). */
class PublisherIT extends StageServiceContract {

    @Override
    protected Map<String, String> config() {
        return Map.of(
                "freshen.target-registry", "127.0.0.1:5999",
                "freshen.platform-images-dir", "src/test/resources/empty-platform-images");
    }

    @Override
    protected Supplier<FreshenEvent> input() {
        return SampleEvents::imageVerified;
    }

    @Override
    protected EventType outcome() {
        return EventType.PIPELINE_FAILED;
    }

    @Override
    protected String deadLetterTopic() {
        return Topics.PUBLISHER_DLQ;
    }

    @Override
    protected String source() {
        return "/freshen/publisher";
    }
}
