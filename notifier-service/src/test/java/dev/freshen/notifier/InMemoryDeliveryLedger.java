package dev.freshen.notifier;

import dev.freshen.events.FreshenEvent;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** A {@link DeliveryLedger} in memory, for tests. */
final class InMemoryDeliveryLedger implements DeliveryLedger {

    final Set<String> delivered = ConcurrentHashMap.newKeySet();
    volatile boolean ready = true;

    @Override
    public boolean contains(DeliveryKey key) {
        return delivered.contains(key.toString());
    }

    @Override
    public void record(DeliveryKey key, FreshenEvent event) {
        delivered.add(key.toString());
    }

    @Override
    public boolean awaitReady(Duration timeout) {
        return ready;
    }
}
