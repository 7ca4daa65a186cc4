package dev.freshen.messaging;

import io.smallrye.reactive.messaging.ChannelRegistry;
import io.smallrye.reactive.messaging.PausableChannel;

import java.util.ArrayList;
import java.util.List;

/**
 * A service's incoming channels, paused and resumed together, for a stage that cannot work for a while (its Docker
 * engine is away): while paused, no new record reaches the stage; a record it is handling already goes on.
 *
 * <p>Built on SmallRye's pausable channels ({@code mp.messaging.incoming.<channel>.pausable=true}, required for each
 * channel): pausing stops the demand of the stage's method, so records stop flowing to it, and the Kafka connector,
 * whose queue then fills, pauses its consumer ({@code pause-if-no-requests}) and keeps polling. So the consumer stays
 * in its group (no rebalance, whatever the pause lasts), holds at most its queue of records in memory (about twice
 * {@code max.poll.records} per consumer), commits none of them, and the rest waits in Kafka. Pausing the Kafka
 * consumer directly ({@code KafkaClientService}) would not do: the records already in the connector's queue would
 * still reach the stage, and the connector resumes a consumer it paused for back-pressure once its queue drains.
 * A channel with {@code concurrency} has one copy per consumer ({@code <channel>$1}, {@code $2}, ...), each
 * pausable: all are paused and resumed.
 */
public final class PausableInputs {

    private final ChannelRegistry registry;
    private final List<String> channels;

    /** @param channels the incoming channel names, as in {@code @Incoming} */
    public PausableInputs(ChannelRegistry registry, List<String> channels) {
        this.registry = registry;
        this.channels = List.copyOf(channels);
    }

    public void pause() {
        pausables().forEach(PausableChannel::pause);
    }

    public void resume() {
        pausables().forEach(PausableChannel::resume);
    }

    /** True when every copy of every channel is paused. */
    public boolean paused() {
        return pausables().stream().allMatch(PausableChannel::isPaused);
    }

    /** The channel names, for log lines. */
    public List<String> names() {
        return channels;
    }

    /**
     * The pausable copies of the channels.
     *
     * @throws IllegalStateException naming the setting when a channel is not pausable
     */
    List<PausableChannel> pausables() {
        List<PausableChannel> found = new ArrayList<>();
        for (String channel : channels) {
            int before = found.size();
            PausableChannel single = registry.getPausable(channel);
            if (single != null) {
                found.add(single);
            }
            // with concurrency, each copy has its own pausable under its own name, while the registry lists the
            // copies' publishers under the channel's name only
            for (int copy = 1; single == null && registry.getPausable(channel + "$" + copy) != null; copy++) {
                found.add(registry.getPausable(channel + "$" + copy));
            }
            if (found.size() == before) {
                throw new IllegalStateException("the incoming channel " + channel + " cannot be paused: set "
                        + "mp.messaging.incoming.\"" + channel + "\".pausable=true");
            }
        }
        return found;
    }
}
