package dev.freshen.notifier;

import dev.freshen.events.FreshenEvent;
import dev.freshen.events.ImagePublished;
import dev.freshen.retry.RetryPolicy;
import dev.freshen.testing.SampleEvents;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DispatcherTest {

    /** Records what it was asked to post; fails as long as {@code failing} says so. */
    static final class FakeNotifier implements Notifier {
        final List<String> posted = new CopyOnWriteArrayList<>();
        final String kind;
        volatile boolean failing;

        FakeNotifier(String kind) {
            this.kind = kind;
        }

        @Override
        public String name() {
            return kind;
        }

        @Override
        public void notify(FreshenEvent event) {
            if (failing) {
                throw new DeliveryException(kind + " answered HTTP 500");
            }
            posted.add(event.runId());
        }
    }

    private final FakeNotifier team = new FakeNotifier("teams");
    private final FakeNotifier chat = new FakeNotifier("slack");
    private final FakeNotifier hook = new FakeNotifier("webhook");
    private final InMemoryDeliveryLedger ledger = new InMemoryDeliveryLedger();
    private final ExecutorService threads = Executors.newFixedThreadPool(3);
    private final Map<String, List<String>> descriptors = Map.of(
            "net10/runtime", List.of("team", "chat"),
            "net10/sdk", List.of("chat", "nowhere"),
            "net10/aspnet", List.of("nowhere"));

    private Dispatcher dispatcher(List<String> defaults) {
        Function<String, List<String>> notify = id -> descriptors.getOrDefault(id, List.of());
        return new Dispatcher(Map.of("team", team, "chat", chat, "hook", hook), defaults, notify, ledger,
                new Delivery(new RetryPolicy(3, Duration.ZERO, Duration.ZERO)), threads,
                Duration.ofSeconds(1));
    }

    @Test
    void descriptorsPickChannelsByNameAndTheDefaultsApplyOtherwise() {
        Dispatcher dispatcher = dispatcher(List.of("hook"));
        assertEquals(List.of("team", "chat"), dispatcher.channelsFor("net10/runtime"));
        assertEquals(List.of("chat"), dispatcher.channelsFor("net10/sdk"), "unconfigured names are skipped");
        assertEquals(List.of("hook"), dispatcher.channelsFor("net10/aspnet"), "none configured: the defaults");
        assertEquals(List.of("hook"), dispatcher.channelsFor("other/image"), "no notify: the defaults");
    }

    @Test
    void deliversToEachChannelOfTheEvent() {
        ImagePublished event = Events.simplePublished("net10/runtime");
        Dispatcher.Report report = dispatcher(List.of("hook")).dispatch(event);
        assertTrue(report.complete());
        assertEquals(List.of("team", "chat"), report.delivered());
        assertEquals(List.of(event.runId()), team.posted);
        assertEquals(List.of(event.runId()), chat.posted);
        assertEquals(List.of(), hook.posted);
        assertTrue(ledger.delivered.contains(event.runId() + "/team/image-published"));
    }

    @Test
    void oneFailingChannelDoesNotKeepTheOthersFromTheirNotification() {
        team.failing = true;
        ImagePublished event = Events.simplePublished("net10/runtime");
        Dispatcher.Report report = dispatcher(List.of()).dispatch(event);
        assertFalse(report.complete());
        assertEquals(List.of("chat"), report.delivered());
        assertEquals(Map.of("team", "teams: teams answered HTTP 500 (3 attempts)"), report.failed());
        assertEquals(List.of(event.runId()), chat.posted);
        assertEquals("image-published of run " + event.runId() + " (net10/runtime) not delivered to team (teams: teams "
                + "answered HTTP 500 (3 attempts)); delivered to chat", report.failureSummary());
    }

    @Test
    void aRedeliveredOrReplayedEventGoesOnlyWhereItHasNotBeen() {
        team.failing = true;
        ImagePublished event = Events.simplePublished("net10/runtime");
        Dispatcher dispatcher = dispatcher(List.of());
        assertFalse(dispatcher.dispatch(event).complete());

        team.failing = false;
        Dispatcher.Report replay = dispatcher.dispatch(event);
        assertTrue(replay.complete());
        assertEquals(List.of("team"), replay.delivered());
        assertEquals(List.of("chat"), replay.skipped());
        assertEquals(List.of(event.runId()), team.posted);
        assertEquals(List.of(event.runId()), chat.posted, "chat had it already");

        Dispatcher.Report again = dispatcher.dispatch(event);
        assertEquals(List.of("team", "chat"), again.skipped());
        assertEquals(1, team.posted.size());
    }

    @Test
    void theSameRunsFailureAndPublicationAreDifferentNotifications() {
        Dispatcher dispatcher = dispatcher(List.of("hook"));
        var published = Events.simplePublished("other/image");
        var failed = new dev.freshen.events.PipelineFailed(published.runId(), published.imageId(), 1, published.occurredAt(),
                dev.freshen.events.Stage.PUBLISH, dev.freshen.events.FailureKind.PERMANENT, "x", null, null);
        dispatcher.dispatch(published);
        dispatcher.dispatch(failed);
        assertEquals(2, hook.posted.size());
    }

    @Test
    void withoutChannelsTheEventIsOnlyLogged() {
        Dispatcher.Report report = dispatcher(List.of()).dispatch(Events.simplePublished("other/image"));
        assertTrue(report.complete());
        assertEquals(List.of(), report.delivered());
    }

    @Test
    void refusesToAnnounceBeforeTheDeliveryRecordsAreRead() {
        ledger.ready = false;
        var e = assertThrows(IllegalStateException.class, () -> dispatcher(List.of("hook")).dispatch(SampleEvents.imagePublished()));
        assertTrue(e.getMessage().contains("not read yet"), e.getMessage());
        assertEquals(List.of(), hook.posted);
    }

    @Test
    void defaultChannelsMustBeConfigured() {
        var e = assertThrows(IllegalArgumentException.class, () -> dispatcher(List.of("team", "ghost")));
        assertEquals("default channel(s) [ghost] are not configured", e.getMessage());
    }
}
