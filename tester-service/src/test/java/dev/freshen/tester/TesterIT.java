package dev.freshen.tester;

import dev.freshen.events.EventType;
import dev.freshen.events.FreshenEvent;
import dev.freshen.events.Topics;
import dev.freshen.testing.SampleEvents;
import dev.freshen.testing.StageServiceContract;

import java.util.Map;
import java.util.function.Supplier;

/** The packaged tester, as its own process, against the real Kafka broker (candidates of unknown images). */
class TesterIT extends StageServiceContract {

    @Override
    protected Map<String, String> config() {
        return Map.of(
                "freshen.platform-images-dir", "src/test/resources/empty-platform-images");
    }

    @Override
    protected Supplier<FreshenEvent> input() {
        return SampleEvents::imageBuilt;
    }

    @Override
    protected EventType outcome() {
        return EventType.PIPELINE_FAILED;
    }

    @Override
    protected String deadLetterTopic() {
        return Topics.TESTER_DLQ;
    }

    @Override
    protected String source() {
        return "/freshen/tester";
    }
}
