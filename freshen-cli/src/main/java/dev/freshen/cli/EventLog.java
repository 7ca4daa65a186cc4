package dev.freshen.cli;

import dev.freshen.events.CloudEventEnvelope;
import dev.freshen.events.EventJson;
import dev.freshen.events.EventType;
import dev.freshen.events.FreshenEvent;
import dev.freshen.events.InvalidEventException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;

/** The event topics as the CLI reads and writes them, with plain Kafka clients (no consumer group). */
final class EventLog {

    private static final Duration TIMEOUT = Duration.ofSeconds(15);

    private final String bootstrapServers;

    EventLog(String bootstrapServers) {
        this.bootstrapServers = bootstrapServers;
    }

    /** Publishes an event like a service does: key = image id, CloudEvents headers, JSON. */
    void publish(FreshenEvent event) {
        RecordHeaders headers = new RecordHeaders();
        CloudEventEnvelope.of(event, "/freshen/cli").toHeaders()
                .forEach((k, v) -> headers.add(k, v.getBytes(StandardCharsets.UTF_8)));
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) TIMEOUT.toMillis(),
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis() + 1000,
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis()),
                new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(event.type().topic(), null, event.imageId(), EventJson.write(event), headers)).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException("interrupted");
        } catch (ExecutionException | TimeoutException e) {
            throw unreachable(e);
        }
    }

    /** Every event on the event topics so far, oldest first per topic. */
    List<FreshenEvent> readAll() {
        List<FreshenEvent> events = new ArrayList<>();
        read(Arrays.stream(EventType.values()).map(EventType::topic).toList(), false, r -> decode(r, events::add));
        return events;
    }

    /** Every record of {@code topics} so far, or (follow) from now on until interrupted. */
    void read(List<String> topics, boolean follow, Consumer<ConsumerRecord<String, byte[]>> sink) {
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false",
                ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis()),
                new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : topics) {
                var infos = consumer.listTopics().get(topic);
                if (infos != null) {
                    infos.forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
                }
            }
            consumer.assign(partitions);
            if (follow) {
                consumer.seekToEnd(partitions);
                while (!Thread.currentThread().isInterrupted()) {
                    consumer.poll(Duration.ofMillis(500)).forEach(sink);
                }
                return;
            }
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                consumer.poll(Duration.ofMillis(500)).forEach(sink);
            }
        } catch (org.apache.kafka.common.KafkaException e) {
            throw unreachable(e);
        }
    }

    static void decode(ConsumerRecord<String, byte[]> record, Consumer<FreshenEvent> sink) {
        EventType.fromTopic(record.topic()).ifPresent(type -> {
            try {
                sink.accept(EventJson.read(record.value(), type));
            } catch (InvalidEventException e) {
                // not readable: the consuming service has dead-lettered it; `freshen dlq list` shows it
            }
        });
    }

    private CliException unreachable(Exception e) {
        return new CliException("Kafka at " + bootstrapServers + " is not reachable (" + e.getClass().getSimpleName()
                + "); set --bootstrap-servers or FRESHEN_KAFKA");
    }
}
