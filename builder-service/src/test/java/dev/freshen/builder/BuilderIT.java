package dev.freshen.builder;

import dev.freshen.events.EventType;
import dev.freshen.events.FreshenEvent;
import dev.freshen.events.Topics;
import dev.freshen.testing.KafkaResource;
import dev.freshen.testing.SampleEvents;
import dev.freshen.testing.StageServiceContract;
import dev.freshen.testing.StaticConfig;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;

import java.util.function.Supplier;

/** The packaged builder, as its own process, against the real Kafka broker (requests for unknown images). */
@QuarkusIntegrationTest
@WithTestResource(KafkaResource.class)
@WithTestResource(value = StaticConfig.class, initArgs = {
        @ResourceArg(name = "freshen.target-registry", value = "127.0.0.1:5999"),
        @ResourceArg(name = "freshen.platform-images-dir", value = "src/test/resources/empty-platform-images")})
class BuilderIT extends StageServiceContract {

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
