package dev.freshen.cli;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.TimeoutException;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

/**
 * The Kafka client settings of one command: the brokers and, from a {@code --command-config} file, any client property
 * (as Kafka's own tools take them: {@code security.protocol}, {@code sasl.*}, {@code ssl.*}). Brokers come from
 * {@code --bootstrap-servers}, else {@code FRESHEN_KAFKA}, else the file's {@code bootstrap.servers}, else
 * {@code 127.0.0.1:9092}. The file's properties override the CLI's time-outs; the CLI keeps its own serialisers and
 * never commits offsets (it uses no consumer group).
 */
final class KafkaSettings {

    static final String DEFAULT_BOOTSTRAP = "127.0.0.1:9092";
    static final Duration TIMEOUT = Duration.ofSeconds(15);

    private final String bootstrapServers;
    private final Path file;
    private final Map<String, Object> fileProperties;

    private KafkaSettings(String bootstrapServers, Path file, Map<String, Object> fileProperties) {
        this.bootstrapServers = bootstrapServers;
        this.file = file;
        this.fileProperties = Map.copyOf(fileProperties);
    }

    /**
     * @param option    {@code --bootstrap-servers}, may be null
     * @param env       {@code FRESHEN_KAFKA}, may be null
     * @param config    {@code --command-config}, may be null
     * @param configEnv {@code FRESHEN_KAFKA_CONFIG}, may be null
     * @throws CliException when the properties file cannot be read
     */
    static KafkaSettings resolve(String option, String env, Path config, String configEnv) {
        Path file = config != null ? config : blank(configEnv) ? null : Path.of(configEnv.strip());
        Map<String, Object> properties = file == null ? Map.of() : read(file);
        String bootstrap = !blank(option) ? option.strip() : !blank(env) ? env.strip()
                : properties.containsKey(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG)
                ? properties.get(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG).toString() : DEFAULT_BOOTSTRAP;
        return new KafkaSettings(bootstrap, file, properties);
    }

    String bootstrapServers() {
        return bootstrapServers;
    }

    /** Consumer settings: no group, no commits, the CLI's time-out unless the file says otherwise. */
    Map<String, Object> consumer() {
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis());
        config.put(ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis());
        config.putAll(fileProperties);
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        config.remove(ConsumerConfig.GROUP_ID_CONFIG);
        return config;
    }

    /** Producer settings: every replica acknowledges, the CLI's time-outs unless the file says otherwise. */
    Map<String, Object> producer() {
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) TIMEOUT.toMillis());
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis());
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis() + 1000);
        config.putAll(fileProperties);
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        return config;
    }

    /** One line for the operator about a failed Kafka call: what went wrong and what to set. */
    CliException explain(Exception e) {
        ConfigException config = cause(e, ConfigException.class);
        if (config != null) {
            return new CliException(file == null
                    ? "the Kafka client settings are not valid: " + config.getMessage() + "; check --bootstrap-servers or FRESHEN_KAFKA"
                    : "the Kafka client settings in " + file + " (--command-config) are not valid: " + config.getMessage());
        }
        AuthenticationException authentication = cause(e, AuthenticationException.class);
        if (authentication != null) {
            return new CliException("Kafka at " + bootstrapServers + " did not accept the client's credentials ("
                    + authentication.getMessage() + "); " + (file == null ? "give the security settings with --command-config FILE"
                    : "check the security settings in " + file));
        }
        AuthorizationException authorization = cause(e, AuthorizationException.class);
        if (authorization != null) {
            return new CliException("Kafka at " + bootstrapServers + " refused: " + authorization.getMessage()
                    + "; the principal needs read (and for force-update and dlq replay, write) access to the freshen.* topics");
        }
        if (cause(e, TimeoutException.class) != null || cause(e, org.apache.kafka.common.errors.DisconnectException.class) != null) {
            return unreachable();
        }
        KafkaException kafka = cause(e, KafkaException.class);
        return new CliException("Kafka at " + bootstrapServers + " failed: "
                + (kafka != null ? kafka.getMessage() : e.getMessage()) + hint());
    }

    private CliException unreachable() {
        return new CliException("Kafka at " + bootstrapServers + " is not reachable (no answer within "
                + TIMEOUT.toSeconds() + " s); set --bootstrap-servers or FRESHEN_KAFKA" + hint());
    }

    private String hint() {
        return file == null ? "" : ", and check the client settings in " + file;
    }

    private static Map<String, Object> read(Path file) {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file)) {
            properties.load(reader);
        } catch (NoSuchFileException e) {
            throw new CliException("the Kafka client settings file " + file + " (--command-config or FRESHEN_KAFKA_CONFIG) "
                    + "does not exist");
        } catch (IOException | IllegalArgumentException e) {
            throw new CliException("cannot read the Kafka client settings file " + file + ": " + e.getMessage());
        }
        Map<String, Object> map = new HashMap<>();
        properties.stringPropertyNames().forEach(name -> map.put(name, properties.getProperty(name).strip()));
        return map;
    }

    private static <T extends Throwable> T cause(Throwable e, Class<T> type) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }
}
