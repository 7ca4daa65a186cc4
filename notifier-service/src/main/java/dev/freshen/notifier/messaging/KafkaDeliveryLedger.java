package dev.freshen.notifier.messaging;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.freshen.events.FreshenEvent;
import dev.freshen.notifier.DeliveryKey;
import dev.freshen.notifier.DeliveryLedger;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The notifier's memory of what it delivered, kept on the compacted topic {@value #TOPIC}: one small JSON record per
 * successful delivery, key {@code <runId>/<channel>/<event type>} (see {@link DeliveryKey}). At start-up it creates the
 * topic if needed and reads it from the beginning (no consumer group: partitions are assigned directly), then keeps
 * reading so deliveries made by other instances become known too. A delivery is recorded (acks=all) before its input
 * record is acknowledged, so a redelivered or replayed event never posts twice to a channel that has it. Compaction
 * keeps one record per key; a record is about 200 bytes, one per run and channel.
 */
@ApplicationScoped
public class KafkaDeliveryLedger implements DeliveryLedger {

    public static final String TOPIC = "freshen.notifier.deliveries";
    private static final Logger LOG = Logger.getLogger(KafkaDeliveryLedger.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** How long start-up waits for the records, so that the service is usually ready as soon as it has started. */
    private static final Duration START_WAIT = Duration.ofSeconds(10);
    private static final Duration KAFKA_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration WRITE_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration RETRY = Duration.ofSeconds(2);

    private final String bootstrapServers;
    private final Set<String> delivered = ConcurrentHashMap.newKeySet();
    private final CountDownLatch caughtUp = new CountDownLatch(1);
    private volatile KafkaProducer<String, byte[]> producer;
    private volatile KafkaConsumer<String, byte[]> consumer;
    private volatile boolean running = true;

    @Inject
    public KafkaDeliveryLedger(@ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers) {
        this.bootstrapServers = bootstrapServers;
    }

    /** Reads the records before the service reports ready (bounded: without Kafka it starts, not ready). */
    void onStart(@Observes StartupEvent start) throws InterruptedException {
        producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.CLIENT_ID_CONFIG, "freshen-notifier-deliveries",
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) WRITE_TIMEOUT.toMillis(),
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) WRITE_TIMEOUT.toMillis() / 2,
                ProducerConfig.LINGER_MS_CONFIG, 0), new StringSerializer(), new ByteArraySerializer());
        Thread thread = new Thread(this::run, "delivery-records");
        thread.setDaemon(true);
        thread.start();
        if (!caughtUp.await(START_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
            LOG.warnf("The delivery records (%s) are not read yet after %d s: not ready until they are (still trying)",
                    TOPIC, START_WAIT.toSeconds());
        }
    }

    void onStop(@Observes ShutdownEvent stop) {
        running = false;
        KafkaConsumer<String, byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
        }
    }

    public boolean caughtUp() {
        return caughtUp.getCount() == 0;
    }

    @Override
    public boolean awaitReady(Duration timeout) {
        try {
            return caughtUp.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public boolean contains(DeliveryKey key) {
        return delivered.contains(key.toString());
    }

    @Override
    public void record(DeliveryKey key, FreshenEvent event) {
        delivered.add(key.toString());
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("runId", key.runId());
        value.put("imageId", event.imageId());
        value.put("channel", key.channel());
        value.put("eventType", key.eventType());
        value.put("deliveredAt", Instant.now().toString());
        try {
            producer.send(new ProducerRecord<>(TOPIC, key.toString(), JSON.writeValueAsBytes(value)))
                    .get(WRITE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while recording the delivery " + key, e);
        } catch (ExecutionException | TimeoutException | java.io.IOException e) {
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            throw new IllegalStateException("cannot record the delivery " + key + " on " + TOPIC + ": " + cause, cause);
        }
    }

    private void run() {
        while (running) {
            try {
                createTopic();
                try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                        ConsumerConfig.CLIENT_ID_CONFIG, "freshen-notifier-deliveries",
                        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false"),
                        new StringDeserializer(), new ByteArrayDeserializer())) {
                    consumer = c;
                    consume(c);
                }
            } catch (WakeupException e) {
                return;
            } catch (RuntimeException e) {
                LOG.warnf("Delivery records: %s; reading %s again in %d s", e.getMessage(), TOPIC, RETRY.toSeconds());
                pause();
            }
        }
    }

    /** A compacted topic, so that it keeps one record per delivery, forever. */
    private void createTopic() {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            NewTopic topic = new NewTopic(TOPIC, Optional.of(1), Optional.empty())
                    .configs(Map.of("cleanup.policy", "compact"));
            admin.createTopics(List.of(topic)).all().get(KAFKA_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            LOG.infof("Created the compacted topic %s", TOPIC);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("cannot create " + TOPIC + ": " + e.getCause().getMessage(),
                        e.getCause());
            }
            warnUnlessCompacted();
        } catch (TimeoutException e) {
            throw new IllegalStateException("Kafka did not answer within " + KAFKA_TIMEOUT.toSeconds() + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new WakeupException();
        }
    }

    /** A topic created by someone else (or auto-created) may delete records after its retention: say so. */
    private void warnUnlessCompacted() {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            ConfigResource topic = new ConfigResource(ConfigResource.Type.TOPIC, TOPIC);
            Config config = admin.describeConfigs(List.of(topic)).all()
                    .get(KAFKA_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).get(topic);
            String policy = config == null || config.get("cleanup.policy") == null ? "unknown"
                    : config.get("cleanup.policy").value();
            if (!policy.contains("compact")) {
                LOG.warnf("%s has cleanup.policy=%s, not compact: delivery records older than its retention are "
                        + "forgotten, and a replay of an older event would be announced again", TOPIC, policy);
            }
        } catch (ExecutionException | TimeoutException e) {
            LOG.debugf("Cannot read the configuration of %s: %s", TOPIC, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new WakeupException();
        }
    }

    private void consume(KafkaConsumer<String, byte[]> c) {
        List<TopicPartition> partitions = c.partitionsFor(TOPIC, KAFKA_TIMEOUT).stream()
                .map(p -> new TopicPartition(TOPIC, p.partition())).toList();
        if (partitions.isEmpty()) {
            throw new IllegalStateException(TOPIC + " has no partitions yet");
        }
        c.assign(partitions);
        c.seekToBeginning(partitions);
        Map<TopicPartition, Long> end = c.endOffsets(partitions);
        while (running) {
            for (ConsumerRecord<String, byte[]> record : c.poll(Duration.ofMillis(500))) {
                if (record.key() != null && record.value() != null) {
                    delivered.add(record.key());
                }
            }
            if (!caughtUp() && partitions.stream().allMatch(p -> c.position(p) >= end.get(p))) {
                caughtUp.countDown();
                LOG.infof("Delivery records read: %d deliveries known", delivered.size());
            }
        }
    }

    private void pause() {
        try {
            Thread.sleep(RETRY.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }
}
