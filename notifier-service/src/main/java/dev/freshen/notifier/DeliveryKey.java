package dev.freshen.notifier;

import dev.freshen.events.FreshenEvent;

import java.util.Locale;

/**
 * What makes a notification unique: one run's event of one type on one channel. Its text form,
 * {@code <runId>/<channel>/<event type>} (e.g. {@code b-3f…/platform-team/image-published}), is the record key on the
 * delivery-record topic.
 */
public record DeliveryKey(String runId, String channel, String eventType) {

    public static DeliveryKey of(FreshenEvent event, String channel) {
        return new DeliveryKey(event.runId(), channel, eventName(event));
    }

    /** {@code image-published}, {@code pipeline-failed}. */
    public static String eventName(FreshenEvent event) {
        return event.type().name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    @Override
    public String toString() {
        return runId + "/" + channel + "/" + eventType;
    }
}
