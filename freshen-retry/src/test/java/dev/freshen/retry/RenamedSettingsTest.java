package dev.freshen.retry;

import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class RenamedSettingsTest {

    private static final Map<String, String> RENAMED = Map.of("freshen.builder.retry-backoff", "freshen.builder.initial-backoff");

    @Test
    void anOldNameThatIsSetStopsTheStartNamingTheNewOne() {
        var e = assertThrows(IllegalStateException.class,
                () -> RenamedSettings.refuse(Set.of("freshen.builder.retry-backoff")::contains, RENAMED));
        assertEquals("freshen.builder.retry-backoff (FRESHEN_BUILDER_RETRY_BACKOFF) was renamed to "
                + "freshen.builder.initial-backoff (FRESHEN_BUILDER_INITIAL_BACKOFF): set the new name instead (same "
                + "value, same meaning); the old one is no longer read", e.getMessage());
    }

    @Test
    void newNamesPass() {
        RenamedSettings.refuse(Set.of("freshen.builder.initial-backoff")::contains, RENAMED);
    }
}
