package dev.freshen.retry;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class RenamedSettingsTest {

    @Test
    void anOldNameThatIsSetStopsTheStartNamingTheNewOne() {
        var e = assertThrows(IllegalStateException.class, () -> RenamedSettings.refuse(
                new RenamedSettings.Renamed("freshen.builder.retry-backoff", "freshen.builder.initial-backoff", true)));
        assertEquals("freshen.builder.retry-backoff (FRESHEN_BUILDER_RETRY_BACKOFF) was renamed to "
                + "freshen.builder.initial-backoff (FRESHEN_BUILDER_INITIAL_BACKOFF): set the new name instead (same "
                + "value, same meaning); the old one is no longer read", e.getMessage());
    }

    @Test
    void oldNamesThatAreNotSetPass() {
        RenamedSettings.refuse(new RenamedSettings.Renamed("freshen.builder.retry-backoff", "freshen.builder.initial-backoff",
                false));
    }
}
