package dev.freshen.watcher.messaging;

import dev.freshen.events.EventJson;
import dev.freshen.events.EventType;
import dev.freshen.events.InvalidEventException;
import dev.freshen.events.Topics;
import dev.freshen.watcher.RunLedger;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Feeds the {@link RunLedger} from the run topics (triggers and terminal events), always from the beginning: the
 * ledger is rebuilt from Kafka at every start, so a restarted watcher knows every run that exists. Reads without a
 * consumer group (partitions assigned directly), so it never competes with the stages' consumers.
 */
@ApplicationScoped
public class RunLedgerFeed {

    static final List<String> TOPICS = List.of(Topics.BASE_IMAGE_UPDATED, Topics.FORCE_UPDATE, Topics.IMAGE_PUBLISHED,
            Topics.PIPELINE_FAILED);
    private static final Logger LOG = Logger.getLogger(RunLedgerFeed.class);
    private static final Duration PARTITION_REFRESH = Duration.ofSeconds(30);
    private static final Duration EMPTY_REFRESH = Duration.ofSeconds(2);

    private final RunLedger ledger;
    private final String bootstrapServers;
    private final CountDownLatch caughtUp = new CountDownLatch(1);
    private volatile KafkaConsumer<String, byte[]> consumer;
    private volatile boolean running = true;

    @Inject
    public RunLedgerFeed(RunLedger ledger, @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers) {
        this.ledger = ledger;
        this.bootstrapServers = bootstrapServers;
    }

    void onStart(@Observes StartupEvent start) {
        Thread thread = new Thread(this::run, "run-ledger-feed");
        thread.setDaemon(true);
        thread.start();
    }

    void onStop(@Observes ShutdownEvent stop) {
        running = false;
        KafkaConsumer<String, byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
    }

    public boolean caughtUp() {
        return caughtUp.getCount() == 0;
    }

    /** Waits until every run already on the topics has been read; false on time-out. */
    public boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
        return caughtUp.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void run() {
        while (running) {
            try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(Map.of(
                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                    ConsumerConfig.CLIENT_ID_CONFIG, "freshen-watcher-run-ledger",
                    ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false"), new StringDeserializer(), new ByteArrayDeserializer())) {
                consumer = c;
                consume(c);
            } catch (WakeupException e) {
                return;
            } catch (RuntimeException e) {
                LOG.warnf("Run ledger lost its connection to Kafka (%s); reading the topics again", e.getMessage());
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
                // no run topic exists yet: nothing to read; look again soon
                nextRefresh = Math.min(nextRefresh, System.nanoTime() + EMPTY_REFRESH.toNanos());
                sleep(EMPTY_REFRESH);
            } else {
                for (ConsumerRecord<String, byte[]> record : c.poll(Duration.ofMillis(500))) {
                    apply(record);
                }
            }
            if (!caughtUp() && catchUpTo.entrySet().stream().allMatch(e -> c.position(e.getKey()) >= e.getValue())) {
                ledger.markComplete();
                caughtUp.countDown();
                LOG.infof("Run ledger has read the run topics (%d partitions)", assigned.size());
            }
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new WakeupException();
        }
    }

    private static List<TopicPartition> partitions(KafkaConsumer<String, byte[]> c) {
        List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : TOPICS) {
            c.partitionsFor(topic).forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
        }
        return partitions;
    }

    private void apply(ConsumerRecord<String, byte[]> record) {
        EventType type = EventType.fromTopic(record.topic()).orElseThrow();
        try {
            ledger.apply(EventJson.read(record.value(), type));
        } catch (InvalidEventException e) {
            LOG.debugf("Run ledger skips %s/%d@%d: %s", record.topic(), record.partition(), record.offset(), e.getMessage());
        }
    }
}
