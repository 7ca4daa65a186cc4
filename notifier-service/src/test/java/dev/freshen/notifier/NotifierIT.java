package dev.freshen.notifier;

import dev.freshen.events.FreshenEvent;
import dev.freshen.events.Topics;
import dev.freshen.testing.KafkaResource;
import dev.freshen.testing.SampleEvents;
import dev.freshen.testing.ServiceContract;
import dev.freshen.testing.WebhookResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import org.junit.jupiter.api.Test;

import java.util.function.Supplier;

import static org.awaitility.Awaitility.await;

/** The packaged notifier, as its own process, against the real Kafka broker and a real HTTP receiver. */
@QuarkusIntegrationTest
@WithTestResource(KafkaResource.class)
@WithTestResource(WebhookResource.class)
class NotifierIT extends ServiceContract {

    @Override
    protected Supplier<FreshenEvent> input() {
        return SampleEvents::imagePublished;
    }

    @Override
    protected void awaitHandled(FreshenEvent in) {
        await().atMost(TIMEOUT).until(() -> WebhookResource.receiver().requests().stream()
                .anyMatch(r -> r.body().contains("\"runId\":\"" + in.runId() + "\"")
                        && in.type().cloudEventType().equals(r.header("ce-type"))));
    }

    @Override
    protected String deadLetterTopic() {
        return Topics.NOTIFIER_DLQ;
    }

    @Test
    void announcesFailedRunsToo() {
        FreshenEvent failed = SampleEvents.pipelineFailed();
        topics.send(failed);
        awaitHandled(failed);
    }
}
