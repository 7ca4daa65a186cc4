package dev.freshen.notifier;

import dev.freshen.events.FreshenEvent;

import java.time.Duration;

/**
 * Remembers which notifications were delivered, so that a redelivered or replayed event is not posted twice to a
 * channel that already has it. In the service: {@code messaging.KafkaDeliveryLedger}, on a compacted Kafka topic.
 */
public interface DeliveryLedger {

    /** Whether {@code key} was delivered (by this instance or, once read from Kafka, any other). */
    boolean contains(DeliveryKey key);

    /** Records a successful delivery; returns once it is durable, or throws when it could not be stored. */
    void record(DeliveryKey key, FreshenEvent event);

    /** Waits until every delivery already recorded has been read; false when that took longer than {@code timeout}. */
    boolean awaitReady(Duration timeout);
}
