package dev.freshen.notifier;

import dev.freshen.events.FreshenEvent;
import dev.freshen.events.Topics;
import dev.freshen.testing.SampleEvents;
import dev.freshen.testing.ServiceContract;
import dev.freshen.testing.WebhookReceiver;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.function.Supplier;

import static org.awaitility.Awaitility.await;

/** The packaged notifier, as its own process, against the real Kafka broker and a real HTTP receiver (one webhook channel). */
class NotifierIT extends ServiceContract {

    private final WebhookReceiver receiver = WebhookReceiver.start();

    @AfterAll
    void stopReceiver() {
        receiver.close();
    }

    @Override
    protected Map<String, String> config() {
        return Map.of(
                "freshen.platform-images-dir", "src/test/resources/empty-platform-images",
                "freshen.notifier.channels.hook.type", "webhook",
                "freshen.notifier.channels.hook.url", receiver.url("/webhook").toString(),
                "freshen.notifier.default-channels", "hook");
    }

    @Override
    protected Supplier<FreshenEvent> input() {
        return SampleEvents::imagePublished;
    }

    @Override
    protected void awaitHandled(FreshenEvent in) {
        await().atMost(TIMEOUT).until(() -> receiver.requests().stream()
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
