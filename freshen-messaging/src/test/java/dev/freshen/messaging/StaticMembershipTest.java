package dev.freshen.messaging;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** {@link StaticMembership}: one static member id per consumer, stable across restarts; nothing for the others. */
class StaticMembershipTest {

    @Test
    void eachConsumerCopyOfAChannelGetsTheInstanceIdQualifiedByItsChannel() {
        Map<String, Object> consumer = Map.of("group.id", "freshen-builder", "group.instance.id",
                "freshen-builder-7d9c8b5f4-x2k9p", "bootstrap.servers", "kafka:9092");

        assertEquals("freshen-builder-7d9c8b5f4-x2k9p.freshen.force-update-1",
                StaticMembership.withMemberId("freshen.force-update$1", consumer).get("group.instance.id"));
        assertEquals("freshen-builder-7d9c8b5f4-x2k9p.freshen.force-update-2",
                StaticMembership.withMemberId("freshen.force-update$2", consumer).get("group.instance.id"));
        assertEquals("kafka:9092", StaticMembership.withMemberId("c", consumer).get("bootstrap.servers"));
    }

    @Test
    void aBlankInstanceIdLeavesDynamicMembership() {
        Map<String, Object> consumer = Map.of("group.id", "freshen-tester", "group.instance.id", " ");

        assertFalse(StaticMembership.withMemberId("freshen.image-built", consumer).containsKey("group.instance.id"));
        assertFalse(StaticMembership.withMemberId("freshen.image-built", Map.of("group.id", "g"))
                .containsKey("group.instance.id"));
    }

    @Test
    void producersDoNotGetTheKey() {
        Map<String, Object> producer = Map.of("group.instance.id", "host-1", "acks", "all");

        assertFalse(StaticMembership.withMemberId("freshen.image-built", producer).containsKey("group.instance.id"));
    }
}
