package dev.freshen.notifier;

import dev.freshen.events.FreshenEvent;

/** Somewhere a run's outcome is announced. */
public interface Notifier {

    /** A name for logs that reveals no secret (never the URL). */
    String name();

    /**
     * Delivers one notification.
     *
     * @throws DeliveryException when the endpoint refused it or could not be reached
     */
    void notify(FreshenEvent event);
}
