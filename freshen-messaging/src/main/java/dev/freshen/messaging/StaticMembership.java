package dev.freshen.messaging;

import io.smallrye.reactive.messaging.ClientCustomizer;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.Config;

import java.util.HashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Makes every consumer of the service a static member of its consumer group (Kafka KIP-345), so that an instance
 * restarted after a crash gets its partitions back as soon as it rejoins, instead of after the group's session
 * time-out (45 s by default) in which a killed instance's partitions stay with nobody.
 *
 * <p>The instance is named by the connector setting {@code mp.messaging.connector.smallrye-kafka.group.instance.id}
 * (the services set it to {@code FRESHEN_INSTANCE_ID}: the pod name in Kubernetes; the Freshen images default it to the
 * container's host name, its id with Docker). Kafka needs one id per consumer, and one instance runs several (a channel per input topic, copies
 * {@code <channel>$1}, {@code $2}... for concurrency), so each consumer's {@code group.instance.id} becomes
 * {@code <instance>.<channel>}, with characters Kafka does not allow ({@code [a-zA-Z0-9._-]}) replaced by {@code -}.
 * A blank instance id turns static membership off (plain dynamic members); configurations without a {@code group.id}
 * (producers, dead-letter producers) lose the key, as it means nothing to them.
 *
 * <p>Two running instances with the same id fence each other (Kafka: {@code FencedInstanceIdException}): the id must be
 * unique per running instance of a service and the same across its restarts.
 */
@ApplicationScoped
public class StaticMembership implements ClientCustomizer<Map<String, Object>> {

    /** The Kafka consumer setting (Apache Kafka {@code ConsumerConfig.GROUP_INSTANCE_ID_CONFIG}). */
    public static final String GROUP_INSTANCE_ID = "group.instance.id";
    private static final Pattern NOT_ALLOWED = Pattern.compile("[^a-zA-Z0-9._-]");

    @Override
    public Map<String, Object> customize(String channel, Config channelConfig, Map<String, Object> config) {
        return withMemberId(channel, config);
    }

    /**
     * The client configuration {@code config} of channel {@code channel} with its {@code group.instance.id} qualified
     * by the channel (consumers with a non-blank instance id), or removed (everything else); a new map.
     */
    static Map<String, Object> withMemberId(String channel, Map<String, Object> config) {
        Map<String, Object> customized = new HashMap<>(config);
        Object instance = customized.remove(GROUP_INSTANCE_ID);
        if (instance != null && !instance.toString().isBlank() && customized.get("group.id") != null) {
            customized.put(GROUP_INSTANCE_ID, NOT_ALLOWED.matcher(instance.toString().strip() + "." + channel)
                    .replaceAll("-"));
        }
        return customized;
    }
}
