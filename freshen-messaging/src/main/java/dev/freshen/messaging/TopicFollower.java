package dev.freshen.messaging;

import dev.freshen.events.EventJson;
import dev.freshen.events.EventType;
import dev.freshen.events.FreshenEvent;
import dev.freshen.events.InvalidEventException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Reads topics from the beginning and then follows them, on its own thread, handing every record to a sink: the way
 * a service rebuilds what it must remember (runs that exist, outcomes already announced) from Kafka at every start
 * instead of from local state. It reads without a consumer group (partitions are assigned directly), so it never
 * takes partitions from the service's consumers; partitions that appear later are picked up. After a lost connection
 * it reads the topics again from the beginning (sinks must be idempotent). {@link #caughtUp()} turns true once every
 * record that existed at the start has been handed over.
 */
public final class TopicFollower implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(TopicFollower.class);
    private static final Duration PARTITION_REFRESH = Duration.ofSeconds(30);
    private static final Duration EMPTY_REFRESH = Duration.ofSeconds(2);

    private final Map<String, Object> kafka;
    private final String name;
    private final List<String> topics;
    private final Consumer<ConsumerRecord<String, byte[]>> sink;
    private final CountDownLatch caughtUp = new CountDownLatch(1);
    private Runnable onCaughtUp = () -> { };
    private volatile KafkaConsumer<String, byte[]> consumer;
    private volatile boolean running = true;

    /**
     * @param kafka  Kafka client settings (at least {@code bootstrap.servers}; TLS/SASL settings are passed on)
     * @param name   the client id, also the thread name and the name in logs
     * @param topics the topics to read
     * @param sink   gets every record, in order per partition, on the follower's thread
     */
    public TopicFollower(Map<String, Object> kafka, String name, List<String> topics,
                         Consumer<ConsumerRecord<String, byte[]>> sink) {
        this.kafka = Map.copyOf(kafka);
        this.name = name;
        this.topics = List.copyOf(topics);
        this.sink = sink;
    }

    /**
     * A sink that reads each record as the event its topic carries ({@link EventType#fromTopic}) and hands it to
     * {@code events}; a record that is no valid event of that type (a newer writer's breaking change, garbage) is
     * skipped with a debug line naming it: the consumers of that topic dead-letter it, a follower only remembers.
     */
    public static Consumer<ConsumerRecord<String, byte[]>> events(Consumer<FreshenEvent> events) {
        return record -> {
            try {
                events.accept(EventJson.read(record.value(), EventType.fromTopic(record.topic()).orElseThrow()));
            } catch (InvalidEventException e) {
                LOG.debugf("Skipping %s-%d@%d, not a readable event: %s", record.topic(), record.partition(),
                        record.offset(), e.getMessage());
            }
        };
    }

    /** Runs {@code action} once, on the follower's thread, when it has caught up (before {@link #caughtUp()} says so). */
    public TopicFollower onCaughtUp(Runnable action) {
        this.onCaughtUp = action;
        return this;
    }

    /** Starts following on a daemon thread. */
    public TopicFollower start() {
        Thread thread = new Thread(this::run, name);
        thread.setDaemon(true);
        thread.start();
        return this;
    }

    public boolean caughtUp() {
        return caughtUp.getCount() == 0;
    }

    /** Waits until every record that existed at the start has been read; false on time-out. */
    public boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
        return caughtUp.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        running = false;
        KafkaConsumer<String, byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
    }

    private void run() {
        while (running) {
            Map<String, Object> settings = new HashMap<>(kafka);
            settings.put(ConsumerConfig.CLIENT_ID_CONFIG, name);
            settings.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
            settings.remove(ConsumerConfig.GROUP_ID_CONFIG);
            try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(settings, new StringDeserializer(),
                    new ByteArrayDeserializer())) {
                consumer = c;
                consume(c);
            } catch (WakeupException e) {
                return;
            } catch (RuntimeException e) {
                LOG.warnf("%s lost its connection to Kafka (%s); reading %s again", name, e.getMessage(), topics);
            }
        }
    }

    private void consume(KafkaConsumer<String, byte[]> c) {
        List<TopicPartition> assigned = new ArrayList<>();
        Map<TopicPartition, Long> catchUpTo = new HashMap<>();
        long nextRefresh = 0;
        while (running) {
            if (System.nanoTime() >= nextRefresh) {
                List<TopicPartition> partitions = partitions(c);
                if (!partitions.equals(assigned)) {
                    List<TopicPartition> added = new ArrayList<>(partitions);
                    added.removeAll(assigned);
                    c.assign(partitions);
                    c.seekToBeginning(added);
                    if (!caughtUp()) {
                        catchUpTo.putAll(c.endOffsets(added));
                    }
                    assigned = partitions;
                }
                nextRefresh = System.nanoTime() + PARTITION_REFRESH.toNanos();
            }
            if (assigned.isEmpty()) {
                // none of the topics exists yet: nothing to read; look again soon
                nextRefresh = Math.min(nextRefresh, System.nanoTime() + EMPTY_REFRESH.toNanos());
                pause(EMPTY_REFRESH);
            } else {
                for (ConsumerRecord<String, byte[]> record : c.poll(Duration.ofMillis(500))) {
                    sink.accept(record);
                }
            }
            if (!caughtUp() && catchUpTo.entrySet().stream().allMatch(e -> c.position(e.getKey()) >= e.getValue())) {
                onCaughtUp.run();
                caughtUp.countDown();
                LOG.infof("%s has read %s (%d partitions)", name, topics, assigned.size());
            }
        }
    }

    private List<TopicPartition> partitions(KafkaConsumer<String, byte[]> c) {
        List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : topics) {
            c.partitionsFor(topic).forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
        }
        return partitions;
    }

    private static void pause(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new WakeupException();
        }
    }
}
