package dev.freshen.testing;

import io.smallrye.reactive.messaging.kafka.companion.test.EmbeddedKafkaBroker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

/**
 * A Kafka broker of its own (KRaft, in this JVM, 127.0.0.1) that a test can stop and start again on the same ports
 * with the same data, as when a broker is restarted in production. Unlike {@link KafkaBroker}, not shared.
 */
public final class RestartableKafka implements AutoCloseable {

    private final int port = Ports.free();
    private final int controllerPort = Ports.free();
    private final String clusterId = UUID.randomUUID().toString().replace("-", "").substring(0, 22);
    private final Path logDir;
    private EmbeddedKafkaBroker broker;

    private RestartableKafka() {
        try {
            logDir = Files.createTempDirectory("freshen-kafka-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static RestartableKafka start() {
        RestartableKafka kafka = new RestartableKafka();
        kafka.launch();
        Runtime.getRuntime().addShutdownHook(new Thread(kafka::close, "restartable-kafka-shutdown"));
        return kafka;
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    /** Stops the broker (clients see it gone) and starts it again with the same ports and data. */
    public synchronized void restart() {
        broker.close();
        launch();
    }

    public synchronized void stop() {
        broker.close();
    }

    public synchronized void launch() {
        broker = new EmbeddedKafkaBroker()
                .withKafkaHost("127.0.0.1")
                .withKafkaPort(port)
                .withControllerPort(controllerPort)
                .withClusterId(clusterId)
                .withDeleteLogDirsOnClose(false)
                .withAdditionalProperties(p -> {
                    p.put("log.dirs", logDir.toString());
                    p.put("num.partitions", "6");
                    p.put("auto.create.topics.enable", "true");
                    p.put("group.initial.rebalance.delay.ms", "0");
                })
                .start();
    }

    @Override
    public synchronized void close() {
        if (broker != null && broker.isRunning()) {
            broker.close();
        }
        RegistryProcess.deleteRecursively(logDir);
    }
}
