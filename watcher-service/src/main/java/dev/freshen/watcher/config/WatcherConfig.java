package dev.freshen.watcher.config;

import dev.freshen.registry.config.RegistriesConfig;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * The watcher's settings. Keys shared with other services (platform-images folder, target registry, registries)
 * sit directly under {@code freshen.}; the watcher's own under {@code freshen.watcher.}.
 */
@ConfigMapping(prefix = "freshen")
public interface WatcherConfig {

    /** The platform-images root: every folder below it with a platform-image.yaml is a platform image. */
    @WithDefault("platform-images")
    Path platformImagesDir();

    /** The registry platform images are published to, e.g. 127.0.0.1:5000 or 123456789012.dkr.ecr.eu-west-1.amazonaws.com. */
    String targetRegistry();

    /** How registries are reached: plain-HTTP hosts, credentials, limits and retries. */
    RegistriesConfig registries();

    Watcher watcher();

    /** The watcher's own settings. */
    interface Watcher {

        /** Schedule (Quartz cron) for descriptors that name none. */
        @WithDefault("0 */15 * * * ?")
        String defaultSchedule();

        /** How often the platform-images folder is scanned for added, changed or removed descriptors. */
        @WithDefault("30s")
        Duration rescanInterval();

        /** Check every image once at start-up (after the run ledger has caught up with the topics). */
        @WithDefault("true")
        boolean checkOnStart();

        /**
         * Check an image once as soon as its descriptor is loaded (a new folder, a descriptor fixed or edited), not
         * only at its next scheduled time. Off, a loaded image waits for its schedule (or a check through the API).
         */
        @WithDefault("true")
        boolean checkOnLoad();

        /** How long start-up may wait for the run ledger to read the event topics. */
        @WithDefault("2m")
        Duration ledgerCatchUpTimeout();

        /**
         * The API key named {@code default} for the write endpoints (force-update, check), as a value. At least one key
         * is required: this one (or {@code api-key-file}), or one or more of {@code api-keys.<name>}.
         */
        Optional<String> apiKey();

        /** The API key named {@code default}, read from a file (e.g. a mounted Kubernetes Secret). */
        Optional<Path> apiKeyFile();

        /**
         * Named API keys for the write endpoints, {@code api-keys.<name>.key} or {@code api-keys.<name>.key-file}: a
         * forced run records who asked as {@code api:<name>}. Several keys are valid at once, so a key is rotated by
         * adding the new one, moving the clients, then removing the old one. Names are lowercase letters, digits and
         * {@code -}; from environment variables only letters and digits ({@code FRESHEN_WATCHER_API_KEYS_CI_KEY_FILE}
         * names {@code ci}).
         */
        @WithName("api-keys")
        Map<String, NamedApiKey> apiKeys();

        /** How long each stage may take to answer before the watcher ends the run as timed out. */
        RunTimeout runTimeout();

        /**
         * Failed checks of an image in a row after which it is announced as failing ({@code ChecksFailed}, once per
         * streak; the next check that passes announces {@code ChecksRecovered}). At least 1. Every check counts:
         * scheduled, at load, at the end of a settle window, through the API.
         */
        @WithDefault("3")
        int checksFailingAfter();

        /**
         * Check an image's children as soon as it publishes ({@code ImagePublished}), pinned to the published digest,
         * so that images built on each other rebuild in order without waiting for their schedules. Off, a child sees
         * its parent's new version at its next scheduled check (chaining by polling only).
         */
        @WithDefault("true")
        boolean startChildrenOnPublish();
    }

    /** One named API key: exactly one of {@code key}, {@code key-file}; at least 16 characters. */
    interface NamedApiKey {

        /** The key as a value. */
        Optional<String> key();

        /** The key, read from a file (e.g. a mounted Kubernetes Secret); surrounding white space is ignored. */
        Optional<Path> keyFile();
    }

    /**
     * The time each stage may take to answer a run, counted from the run's newest event (so it includes the time the
     * run waits in the stage's queue behind other images' work): a run whose awaited stage says nothing for longer
     * ends with {@code PipelineFailed} of kind {@code timed-out}, naming the stage. A stage that answers later
     * supersedes that outcome.
     */
    interface RunTimeout {

        /** Budget of the build stage: from the trigger to {@code ImageBuilt} or a failure. */
        @WithDefault("3h")
        Duration build();

        /** Budget of the test stage: from {@code ImageBuilt} to {@code ImageVerified} or a failure. */
        @WithDefault("2h")
        Duration test();

        /** Budget of the publish stage: from {@code ImageVerified} to {@code ImagePublished} or a failure. */
        @WithDefault("1h")
        Duration publish();

        /** How often runs in flight are compared with their budgets. */
        @WithDefault("1m")
        Duration checkInterval();
    }
}
