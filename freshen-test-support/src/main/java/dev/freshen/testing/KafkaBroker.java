package dev.freshen.testing;

import io.smallrye.reactive.messaging.kafka.companion.test.EmbeddedKafkaBroker;

/**
 * One real Apache Kafka broker (KRaft mode, in this JVM) shared by every test of a test run, on 127.0.0.1 with
 * free ports. Set {@code FRESHEN_TEST_KAFKA=host:port} to use a running broker instead (e.g. the local stack's).
 */
public final class KafkaBroker {

    private static String bootstrapServers;

    private KafkaBroker() {
    }

    public static synchronized String bootstrapServers() {
        if (bootstrapServers == null) {
            String external = System.getenv("FRESHEN_TEST_KAFKA");
            bootstrapServers = external != null && !external.isBlank() ? external : startEmbedded();
        }
        return bootstrapServers;
    }

    private static String startEmbedded() {
        int port = Ports.free();
        EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker()
                .withKafkaHost("127.0.0.1")
                .withKafkaPort(port)
                .withControllerPort(Ports.free())
                .withDeleteLogDirsOnClose(true)
                .withAdditionalProperties(p -> {
                    p.put("num.partitions", "6");
                    p.put("auto.create.topics.enable", "true");
                    p.put("group.initial.rebalance.delay.ms", "0");
                })
                .start();
        Runtime.getRuntime().addShutdownHook(new Thread(broker::close, "embedded-kafka-shutdown"));
        return "127.0.0.1:" + port;
    }
}
