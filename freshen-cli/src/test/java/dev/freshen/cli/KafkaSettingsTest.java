package dev.freshen.cli;

import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KafkaSettingsTest {

    @TempDir
    Path dir;

    @Test
    void brokersComeFromTheOptionThenTheEnvironmentThenTheFileThenTheDefault() throws IOException {
        Path file = properties("bootstrap.servers=file:9092\n");
        assertEquals("option:9092", KafkaSettings.resolve("option:9092", "env:9092", file, null).bootstrapServers());
        assertEquals("env:9092", KafkaSettings.resolve(null, "env:9092", file, null).bootstrapServers());
        assertEquals("file:9092", KafkaSettings.resolve(null, null, file, null).bootstrapServers());
        assertEquals("file:9092", KafkaSettings.resolve(null, " ", null, file.toString()).bootstrapServers());
        assertEquals("127.0.0.1:9092", KafkaSettings.resolve(null, null, null, null).bootstrapServers());
    }

    @Test
    void everyPropertyOfTheFileReachesTheClientsButNotAGroupOrCommits() throws IOException {
        Path file = properties("""
                security.protocol=SASL_SSL
                sasl.mechanism=SCRAM-SHA-512
                request.timeout.ms=60000
                group.id=someone-elses-group
                enable.auto.commit=true
                """);
        KafkaSettings settings = KafkaSettings.resolve("b:9092", null, file, null);
        var consumer = settings.consumer();
        assertEquals("SASL_SSL", consumer.get("security.protocol"));
        assertEquals("SCRAM-SHA-512", consumer.get("sasl.mechanism"));
        assertEquals("60000", consumer.get("request.timeout.ms"), "the file overrides the CLI's time-outs");
        assertEquals("false", consumer.get("enable.auto.commit"));
        assertFalse(consumer.containsKey("group.id"));
        assertEquals("b:9092", consumer.get("bootstrap.servers"));
        var producer = settings.producer();
        assertEquals("SASL_SSL", producer.get("security.protocol"));
        assertEquals("all", producer.get("acks"));
    }

    @Test
    void aBadPropertyIsExplainedNamingTheFile() throws IOException {
        Path file = properties("security.protocol=PLAINTEXTT\n");
        KafkaSettings settings = KafkaSettings.resolve("127.0.0.1:1", null, file, null);
        KafkaException e = assertThrows(KafkaException.class, () -> new KafkaConsumer<>(settings.consumer(),
                new StringDeserializer(), new ByteArrayDeserializer()).close());
        String message = settings.explain(e).getMessage();
        assertTrue(message.startsWith("the Kafka client settings in " + file + " (--command-config) are not valid: "), message);
        assertTrue(message.contains("security.protocol"), message);
    }

    @Test
    void aMissingFileIsOneLine() {
        CliException e = assertThrows(CliException.class,
                () -> KafkaSettings.resolve(null, null, dir.resolve("nope.properties"), null));
        assertEquals("the Kafka client settings file " + dir.resolve("nope.properties") + " (--command-config or "
                + "FRESHEN_KAFKA_CONFIG) does not exist", e.getMessage());
    }

    private Path properties(String text) throws IOException {
        return Files.writeString(dir.resolve("client.properties"), text);
    }
}
