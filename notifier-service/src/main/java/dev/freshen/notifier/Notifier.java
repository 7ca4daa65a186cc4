package dev.freshen.notifier;

import dev.freshen.events.FreshenEvent;

/**
 * One kind of endpoint a run's outcome is announced on (Teams, Slack, a generic JSON webhook). An instance posts to
 * one configured URL; the {@link Dispatcher} knows it by its channel name and retries it through {@link Delivery}.
 */
public interface Notifier {

    /** The kind of endpoint, for logs and errors: {@code teams}, {@code slack} or {@code webhook}; never the URL. */
    String name();

    /** {@link #name()} with what decides success when the type alone does not (a Teams channel's flavor): for logs. */
    default String describe() {
        return name();
    }

    /**
     * Makes one attempt to deliver one notification.
     *
     * @throws DeliveryException when the endpoint refused it or could not be reached
     */
    void notify(FreshenEvent event);
}
