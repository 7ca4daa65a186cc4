package dev.freshen.notifier;

import dev.freshen.events.FreshenEvent;
import dev.freshen.retry.StopRequested;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Announces one event on the channels it belongs to: the channels its platform image's descriptor names
 * ({@code notify:}), else the default channels. Each channel is delivered on its own (in parallel, each retried by
 * {@link Delivery}), so a failing channel neither stops nor delays the others; a channel that already has this
 * event (per the {@link DeliveryLedger}) is skipped. The {@link Report} says which channels failed.
 */
public final class Dispatcher {

    private static final Logger LOG = Logger.getLogger(Dispatcher.class);

    /** What happened to one event on each of its channels. */
    public record Report(FreshenEvent event, List<String> delivered, List<String> skipped, Map<String, String> failed) {

        /** True when every channel has the event (now or before). */
        public boolean complete() {
            return failed.isEmpty();
        }

        /** "image-published of run r (i) not delivered to down (teams: …); delivered to ok". */
        public String failureSummary() {
            String failures = failed.entrySet().stream().map(e -> e.getKey() + " (" + e.getValue() + ")")
                    .collect(Collectors.joining(", "));
            List<String> have = new ArrayList<>(delivered);
            have.addAll(skipped);
            return DeliveryKey.eventName(event) + " of run " + event.runId() + " (" + event.imageId()
                    + ") not delivered to " + failures
                    + (have.isEmpty() ? "" : "; delivered to " + String.join(", ", have));
        }
    }

    private enum Result { DELIVERED, SKIPPED, FAILED, STOPPED }

    private record ChannelResult(Result result, String error) {
    }

    private final Map<String, Notifier> channels;
    private final List<String> defaultChannels;
    private final Function<String, List<String>> descriptorChannels;
    private final DeliveryLedger ledger;
    private final Delivery delivery;
    private final Executor executor;
    private final Duration ledgerWait;

    /**
     * @param channels           the configured channels by name
     * @param defaultChannels    the channels for images whose descriptor names none (or cannot be read)
     * @param descriptorChannels an image id's {@code notify:} channel names; empty when none or unknown
     * @param executor           runs the channels' deliveries in parallel
     * @param ledgerWait         how long an event waits for the delivery records to be read at start-up
     */
    public Dispatcher(Map<String, Notifier> channels, List<String> defaultChannels,
                      Function<String, List<String>> descriptorChannels, DeliveryLedger ledger, Delivery delivery,
                      Executor executor, Duration ledgerWait) {
        this.channels = Map.copyOf(channels);
        this.defaultChannels = List.copyOf(defaultChannels);
        this.descriptorChannels = descriptorChannels;
        this.ledger = ledger;
        this.delivery = delivery;
        this.executor = executor;
        this.ledgerWait = ledgerWait;
        List<String> unknown = defaultChannels.stream().filter(c -> !channels.containsKey(c)).toList();
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("default channel(s) " + unknown + " are not configured");
        }
    }

    /** The channels {@code imageId}'s events go to. Names the descriptor gives that are not configured are skipped. */
    public List<String> channelsFor(String imageId) {
        List<String> named = descriptorChannels.apply(imageId);
        if (named.isEmpty()) {
            return defaultChannels;
        }
        List<String> known = named.stream().filter(channels::containsKey).distinct().toList();
        List<String> unknown = named.stream().filter(n -> !channels.containsKey(n)).toList();
        if (!unknown.isEmpty()) {
            LOG.warnf("%s: its descriptor names channel(s) %s that are not configured "
                    + "(freshen.notifier.channels.<name>)%s", imageId, unknown,
                    known.isEmpty() ? "; using the default channels " + defaultChannels : "");
        }
        return known.isEmpty() ? defaultChannels : known;
    }

    /**
     * Delivers {@code event} to each of its channels that does not have it yet, and reports how that went.
     *
     * @throws StopRequested when the service is stopping (a delivery's thread was interrupted), once every channel
     *                       has finished: the event is to be delivered again, to the channels that do not have it
     */
    public Report dispatch(FreshenEvent event) {
        if (!ledger.awaitReady(ledgerWait)) {
            throw new IllegalStateException("the delivery records are not read yet (Kafka unreachable?); not "
                    + "announcing run " + event.runId() + ", to avoid announcing it twice");
        }
        List<String> targets = channelsFor(event.imageId());
        if (targets.isEmpty()) {
            LOG.infof("Run %s (%s): %s not announced: no notification channel is configured", event.runId(),
                    event.imageId(), DeliveryKey.eventName(event));
        }
        Map<String, CompletableFuture<ChannelResult>> running = new LinkedHashMap<>();
        for (String channel : targets) {
            running.put(channel, CompletableFuture.supplyAsync(() -> deliver(event, channel), executor));
        }
        List<String> delivered = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        Map<String, String> failed = new LinkedHashMap<>();
        List<String> stopped = new ArrayList<>();
        for (var entry : running.entrySet()) {
            ChannelResult result = entry.getValue().join();
            switch (result.result()) {
                case DELIVERED -> delivered.add(entry.getKey());
                case SKIPPED -> skipped.add(entry.getKey());
                case FAILED -> failed.put(entry.getKey(), result.error());
                case STOPPED -> stopped.add(entry.getKey());
            }
        }
        if (!stopped.isEmpty()) {
            throw new StopRequested("stopping before " + String.join(", ", stopped) + " had "
                    + DeliveryKey.eventName(event));
        }
        return new Report(event, delivered, skipped, failed);
    }

    private ChannelResult deliver(FreshenEvent event, String channel) {
        DeliveryKey key = DeliveryKey.of(event, channel);
        String what = key.eventType();
        if (ledger.contains(key)) {
            LOG.infof("Run %s (%s): %s skipped on %s: already delivered", event.runId(), event.imageId(), what,
                    channel);
            return new ChannelResult(Result.SKIPPED, null);
        }
        Notifier notifier = channels.get(channel);
        Delivery.Outcome outcome;
        try {
            outcome = delivery.run(what + " of run " + event.runId() + " to channel " + channel,
                    () -> notifier.notify(event));
        } catch (StopRequested e) {
            LOG.infof("Run %s (%s): %s not delivered to %s: %s", event.runId(), event.imageId(), what, channel,
                    e.getMessage());
            return new ChannelResult(Result.STOPPED, null);
        }
        if (!outcome.delivered()) {
            String error = notifier.name() + ": " + outcome.failure();
            LOG.warnf("Run %s (%s): %s not delivered to %s: %s", event.runId(), event.imageId(), what, channel, error);
            return new ChannelResult(Result.FAILED, error);
        }
        try {
            ledger.record(key, event);
        } catch (RuntimeException e) {
            LOG.errorf("Run %s (%s): %s delivered to %s but not recorded (%s): a redelivery would announce it again",
                    event.runId(), event.imageId(), what, channel, e.getMessage());
        }
        LOG.infof("Run %s (%s): %s announced on %s (%s, %d %s)", event.runId(), event.imageId(), what, channel,
                notifier.name(), outcome.attempts(), outcome.attempts() == 1 ? "attempt" : "attempts");
        return new ChannelResult(Result.DELIVERED, null);
    }
}
