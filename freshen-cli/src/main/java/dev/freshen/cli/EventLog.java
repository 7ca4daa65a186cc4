package dev.freshen.cli;

import dev.freshen.events.CloudEventEnvelope;
import dev.freshen.events.EventJson;
import dev.freshen.events.EventType;
import dev.freshen.events.FreshenEvent;
import dev.freshen.events.InvalidEventException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;

/**
 * The topics as the CLI reads and writes them, with plain Kafka clients: no consumer group, nothing committed, every
 * client setting from {@link KafkaSettings} (TLS, SASL). Kafka failures become one-line {@link CliException}s.
 */
final class EventLog {

    /** The six topics of run events (not the watch-state topic: its events belong to no run). */
    static final List<String> EVENT_TOPICS = EventType.runEvents().stream().map(EventType::topic).toList();
    private static final Duration REFRESH = Duration.ofSeconds(5);

    private final KafkaSettings kafka;

    EventLog(KafkaSettings kafka) {
        this.kafka = kafka;
    }

    /** Publishes an event like a service does: key = image id, CloudEvents headers, JSON. */
    void publish(FreshenEvent event) {
        RecordHeaders headers = new RecordHeaders();
        CloudEventEnvelope.of(event, "/freshen/cli").toHeaders()
                .forEach((k, v) -> headers.add(k, v.getBytes(StandardCharsets.UTF_8)));
        send(List.of(new ProducerRecord<>(event.type().topic(), null, event.imageId(), EventJson.write(event), headers)));
    }

    /** Sends records in order, each acknowledged before the next. */
    void send(List<ProducerRecord<String, byte[]>> records) {
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(kafka.producer(), new StringSerializer(),
                new ByteArraySerializer())) {
            for (ProducerRecord<String, byte[]> record : records) {
                producer.send(record).get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException("interrupted");
        } catch (ExecutionException e) {
            throw kafka.explain(e.getCause() instanceof Exception cause ? cause : e);
        } catch (KafkaException e) {
            throw kafka.explain(e);
        }
    }

    /** Every record of {@code topics} so far, in time order (record timestamp, then topic, partition and offset). */
    List<ConsumerRecord<String, byte[]>> readAll(List<String> topics) {
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        try (Tail tail = tail(topics, Start.BEGINNING)) {
            while (!tail.caughtUp()) {
                records.addAll(tail.poll(Duration.ofMillis(500)));
            }
        }
        records.sort(Comparator.comparingLong((ConsumerRecord<String, byte[]> r) -> r.timestamp())
                .thenComparing(ConsumerRecord::topic).thenComparingInt(ConsumerRecord::partition)
                .thenComparingLong(ConsumerRecord::offset));
        return records;
    }

    /** Every readable event so far, in time order; records that do not decode are left to {@code freshen dlq}. */
    List<FreshenEvent> readEvents() {
        List<FreshenEvent> events = new ArrayList<>();
        readAll(EVENT_TOPICS).forEach(r -> decode(r).ifPresent(events::add));
        return events;
    }

    /** Where a {@link Tail} starts on the partitions that exist when it opens (partitions created later: their start). */
    enum Start { BEGINNING, END }

    /** Reads {@code topics} from {@code start} on, until closed. */
    Tail tail(List<String> topics, Start start) {
        try {
            return new Tail(topics, start);
        } catch (KafkaException e) {
            throw kafka.explain(e);
        }
    }

    /**
     * A consumer on a set of topics, assigned (not subscribed) to all their partitions; partitions and topics that
     * appear later are picked up from their beginning every few seconds.
     */
    final class Tail implements AutoCloseable {

        private final KafkaConsumer<String, byte[]> consumer;
        private final List<String> topics;
        private final List<TopicPartition> assigned = new ArrayList<>();
        private final Map<TopicPartition, Long> endAtOpen = new HashMap<>();
        private Instant refreshed;

        private Tail(List<String> topics, Start start) {
            this.topics = List.copyOf(topics);
            this.consumer = new KafkaConsumer<>(kafka.consumer(), new StringDeserializer(), new ByteArrayDeserializer());
            try {
                List<TopicPartition> partitions = partitions();
                consumer.assign(partitions);
                assigned.addAll(partitions);
                endAtOpen.putAll(consumer.endOffsets(partitions));
                if (start == Start.END) {
                    consumer.seekToEnd(partitions);
                    partitions.forEach(p -> consumer.position(p));
                } else {
                    consumer.seekToBeginning(partitions);
                }
                refreshed = Instant.now();
            } catch (KafkaException e) {
                consumer.close(Duration.ZERO);
                throw e;
            }
        }

        /** The records that arrived, waiting up to {@code timeout} for some. */
        List<ConsumerRecord<String, byte[]>> poll(Duration timeout) {
            try {
                if (Instant.now().isAfter(refreshed.plus(REFRESH))) {
                    refresh();
                }
                List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
                if (assigned.isEmpty()) {
                    sleep(timeout);
                    return records;
                }
                consumer.poll(timeout).forEach(records::add);
                return records;
            } catch (KafkaException e) {
                throw kafka.explain(e);
            }
        }

        /** Whether every record that existed when the tail opened has been read. */
        boolean caughtUp() {
            try {
                return endAtOpen.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue());
            } catch (KafkaException e) {
                throw kafka.explain(e);
            }
        }

        @Override
        public void close() {
            consumer.close(Duration.ofSeconds(1));
        }

        private List<TopicPartition> partitions() {
            var all = consumer.listTopics();
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : topics) {
                var infos = all.get(topic);
                if (infos != null) {
                    infos.forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
                }
            }
            return partitions;
        }

        private void refresh() {
            refreshed = Instant.now();
            List<TopicPartition> fresh = partitions().stream().filter(p -> !assigned.contains(p)).toList();
            if (!fresh.isEmpty()) {
                assigned.addAll(fresh);
                consumer.assign(assigned);
                consumer.seekToBeginning(fresh);
            }
        }

        private void sleep(Duration timeout) {
            try {
                Thread.sleep(timeout.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CliException("interrupted");
            }
        }
    }

    /** The event in a record of an event topic, if it is readable. */
    static Optional<FreshenEvent> decode(ConsumerRecord<String, byte[]> record) {
        return EventType.fromTopic(record.topic()).flatMap(type -> {
            try {
                return Optional.of(EventJson.read(record.value(), type));
            } catch (InvalidEventException e) {
                return Optional.empty(); // not readable: the consuming service has dead-lettered it; `freshen dlq list` shows it
            }
        });
    }
}
