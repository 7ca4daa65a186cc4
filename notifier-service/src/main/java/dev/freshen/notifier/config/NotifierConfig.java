package dev.freshen.notifier.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The notifier's settings: shared keys under {@code freshen.}, its own under {@code freshen.notifier.}. Channel URLs
 * and secrets are secrets: they are never logged, and errors about them name the setting, not the value.
 */
@ConfigMapping(prefix = "freshen")
public interface NotifierConfig {

    /** The platform-images root, read for each descriptor's {@code notify:} channel names. */
    @WithDefault("platform-images")
    Path platformImagesDir();

    Notifications notifier();

    /** The notifier's own settings. */
    interface Notifications {

        /** The channels by name ({@code freshen.notifier.channels.<name>.*}); descriptors pick them by that name. */
        Map<String, ChannelConfig> channels();

        /** The channels for images whose descriptor names none; default: every configured channel. */
        Optional<List<String>> defaultChannels();

        /** Attempts per channel and event before the event goes to the dead-letter topic. */
        @WithDefault("5")
        int maxAttempts();

        /** The wait after the first failed attempt; it doubles each time (with jitter), up to max-backoff. */
        @WithDefault("1s")
        Duration initialBackoff();

        /** The longest wait between attempts; a longer Retry-After from an endpoint ends the retries. */
        @WithDefault("60s")
        Duration maxBackoff();

        /** How long one attempt may take (connect and answer). */
        @WithDefault("10s")
        Duration timeout();

        /**
         * The skeleton's single generic webhook, replaced by {@link #channels()}. Only read to stop the start with a
         * pointer to the channel settings, rather than ignore a webhook somebody relies on.
         */
        @Deprecated
        Optional<String> webhookUrl();
    }

    /** One channel: {@code type} and where it posts ({@code url} or {@code url-file}), plus a webhook's secret. */
    interface ChannelConfig {

        /** {@code teams}, {@code slack} or {@code webhook}. */
        Optional<String> type();

        /** The endpoint URL (a secret). */
        Optional<String> url();

        /** A file holding the endpoint URL, e.g. a mounted Kubernetes secret. */
        Optional<Path> urlFile();

        /**
         * Webhook channels only: signs each post per Standard Webhooks ({@code webhook-signature}; and, deprecated,
         * {@code X-Freshen-Signature}). A {@code whsec_<base64>} secret is base64-decoded, any other is used as its
         * UTF-8 bytes; several secrets separated by whitespace give one signature each (key rotation).
         */
        Optional<String> secret();

        /** A file holding the secret(s). */
        Optional<Path> secretFile();

        /**
         * Teams channels only: {@code workflows} (a Power Automate "When a Teams webhook request is received" flow;
         * success is any 2xx) or {@code legacy} (an Office 365 connector incoming webhook; success is {@code 200} with
         * body {@code 1}). Default: the URL's host decides ({@code *.webhook.office.com} and {@code outlook.office.com}
         * are legacy), any other host is Workflows.
         */
        Optional<String> flavor();
    }
}
