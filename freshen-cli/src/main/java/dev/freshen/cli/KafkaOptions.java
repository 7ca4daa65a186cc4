package dev.freshen.cli;

import picocli.CommandLine;

import java.nio.file.Path;

/** How a command reaches Kafka: options, else environment variables, else local defaults. */
public class KafkaOptions {

    @CommandLine.Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT[,...]",
            description = "Kafka brokers (env FRESHEN_KAFKA; else bootstrap.servers of --command-config; default 127.0.0.1:9092)")
    String bootstrapServers;

    @CommandLine.Option(names = "--command-config", paramLabel = "FILE",
            description = "Kafka client properties, as for Kafka's own tools: security.protocol, sasl.*, ssl.* "
                    + "(env FRESHEN_KAFKA_CONFIG)")
    Path commandConfig;

    KafkaSettings settings() {
        return KafkaSettings.resolve(bootstrapServers, System.getenv("FRESHEN_KAFKA"), commandConfig,
                System.getenv("FRESHEN_KAFKA_CONFIG"));
    }
}
