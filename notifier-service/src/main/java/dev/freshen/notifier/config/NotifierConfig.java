package dev.freshen.notifier.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/** The notifier's settings, {@code freshen.notifier.*}. */
@ConfigMapping(prefix = "freshen.notifier")
public interface NotifierConfig {

    /**
     * Generic JSON webhook: receives every {@code ImagePublished} and {@code PipelineFailed} event as JSON. A secret:
     * never logged. Unset: no notifications are sent (logged at start-up).
     */
    Optional<URI> webhookUrl();

    /** How long one delivery may take. */
    @WithDefault("10s")
    Duration timeout();
}
