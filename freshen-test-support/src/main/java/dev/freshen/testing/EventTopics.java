package dev.freshen.testing;

import dev.freshen.events.EventJson;
import dev.freshen.events.FreshenEvent;
import dev.freshen.events.InvalidEventException;
import dev.freshen.messaging.EventMessages;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.function.Predicate;

/** A test's view of the event topics on the real broker: send events or raw records, wait for records to appear. */
public final class EventTopics implements AutoCloseable {

    private final String bootstrapServers;
    private final KafkaProducer<String, byte[]> producer;

    public EventTopics(String bootstrapServers) {
        this.bootstrapServers = bootstrapServers;
        this.producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new ByteArraySerializer());
    }

    /** Sends {@code event} as a service would: key = image id, CloudEvents headers, JSON. */
    public void send(FreshenEvent event) {
        sendRaw(event.type().topic(), event.imageId(), EventJson.write(event), EventMessages.headers(event, "/freshen/test"));
    }

    /** Sends any record, e.g. a poison message. */
    public void sendRaw(String topic, String key, byte[] value, Headers headers) {
        try {
            producer.send(new ProducerRecord<>(topic, null, key, value, headers == null ? new RecordHeaders() : headers)).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot send to " + topic, e.getCause());
        }
    }

    /** Waits until {@code topic} holds a record matching {@code match}; returns the first one. */
    public ConsumerRecord<String, byte[]> awaitRecord(String topic, Predicate<ConsumerRecord<String, byte[]>> match,
                                                      Duration timeout) {
        List<ConsumerRecord<String, byte[]>> found = awaitRecords(topic, match, 1, timeout);
        return found.get(0);
    }

    /** Waits until {@code topic} holds {@code count} records matching {@code match}, read from the beginning. */
    public List<ConsumerRecord<String, byte[]>> awaitRecords(String topic, Predicate<ConsumerRecord<String, byte[]>> match,
                                                             int count, Duration timeout) {
        List<ConsumerRecord<String, byte[]>> found = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = consumer()) {
            consumer.subscribe(List.of(topic));
            Instant deadline = Instant.now().plus(timeout);
            while (found.size() < count && Instant.now().isBefore(deadline)) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (match.test(record)) {
                        found.add(record);
                    }
                }
            }
        }
        if (found.size() < count) {
            throw new AssertionError("expected " + count + " matching record(s) on " + topic + " within " + timeout
                    + ", found " + found.size());
        }
        return found;
    }

    /** Waits for an event of {@code type} on its topic for which {@code match} holds. */
    public <T extends FreshenEvent> T awaitEvent(Class<T> type, Predicate<T> match, Duration timeout) {
        String topic = dev.freshen.events.EventType.of(type).topic();
        ConsumerRecord<String, byte[]> record = awaitRecord(topic, r -> {
            try {
                return match.test(EventJson.read(r.value(), type));
            } catch (InvalidEventException e) {
                return false;
            }
        }, timeout);
        return EventJson.read(record.value(), type);
    }

    /** Every record on {@code topic} so far (reads until the end offsets seen at the start). */
    public List<ConsumerRecord<String, byte[]>> readAll(String topic) {
        List<ConsumerRecord<String, byte[]>> all = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = consumer()) {
            var partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new org.apache.kafka.common.TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            var end = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                consumer.poll(Duration.ofMillis(200)).forEach(all::add);
            }
        }
        return all;
    }

    private KafkaConsumer<String, byte[]> consumer() {
        return new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG, "freshen-test-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false"), new StringDeserializer(), new ByteArrayDeserializer());
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
