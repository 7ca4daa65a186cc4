package dev.freshen.notifier.config;

import dev.freshen.descriptor.DescriptorException;
import dev.freshen.descriptor.PlatformImageCatalog;
import dev.freshen.messaging.RunContext;
import dev.freshen.notifier.Delivery;
import dev.freshen.notifier.DeliveryLedger;
import dev.freshen.notifier.Dispatcher;
import dev.freshen.retry.RetryPolicy;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/**
 * Wires the notifier's plain classes into CDI. At start-up it checks the channel configuration and refuses to start
 * with a list of what is wrong (never showing a URL or secret); with no channel at all it starts and warns.
 */
@ApplicationScoped
public class NotifierBeans {

    /** How long an event waits for the delivery records to be read after a start. */
    static final Duration LEDGER_WAIT = Duration.ofSeconds(60);
    private static final Logger LOG = Logger.getLogger(NotifierBeans.class);
    private static final String REMOVED_KEY = "freshen.notifier.webhook-url";

    private volatile ExecutorService threads;

    @SuppressWarnings("deprecation")
    private static boolean removedKeySet(NotifierConfig config) {
        return config.notifier().webhookUrl().isPresent();
    }

    /** Runs before the other start-up observers (the delivery records), so a bad configuration fails first. */
    void validate(@Observes @Priority(10) StartupEvent start, NotifierConfig config, ChannelFactory.Channels channels) {
        if (channels.byName().isEmpty()) {
            LOG.warn("No notification channel is configured (freshen.notifier.channels.<name>.type and .url): "
                    + "run outcomes are only logged");
            return;
        }
        LOG.infof("Notification channels: %s; default: %s", channels.byName().entrySet().stream()
                        .map(e -> e.getKey() + " (" + e.getValue().describe() + ")").collect(Collectors.joining(", ")),
                channels.defaults().isEmpty() ? "none" : String.join(", ", channels.defaults()));
        Path root = config.platformImagesDir();
        if (!Files.isDirectory(root)) {
            LOG.warnf("The platform-images folder %s does not exist (freshen.platform-images-dir): every image's "
                    + "events go to the default channels", root.toAbsolutePath());
            return;
        }
        PlatformImageCatalog.Scan scan = new PlatformImageCatalog(root).scan();
        Map<String, List<String>> unknown = new TreeMap<>();
        scan.images().values().forEach(image -> image.descriptor().channels().stream()
                .filter(c -> !channels.byName().containsKey(c))
                .forEach(c -> unknown.computeIfAbsent(c, k -> new java.util.ArrayList<>()).add(image.id())));
        unknown.forEach((channel, images) -> LOG.warnf("Channel '%s' is named by %s but not configured "
                + "(freshen.notifier.channels.%s.*): skipped for those images", channel, images, channel));
    }

    @Produces
    @Singleton
    ChannelFactory.Channels channels(NotifierConfig config, HttpClient http) {
        if (removedKeySet(config)) {
            throw new IllegalStateException(REMOVED_KEY + " is no longer read: configure the webhook as a channel, "
                    + "freshen.notifier.channels.<name>.type=webhook and .url or .url-file "
                    + "(see docs/notifications.md)");
        }
        Map<String, ChannelFactory.Spec> specs = new TreeMap<>();
        config.notifier().channels().forEach((name, c) -> specs.put(name,
                new ChannelFactory.Spec(c.type(), c.url(), c.urlFile(), c.secret(), c.secretFile(), c.flavor())));
        return ChannelFactory.build(specs, config.notifier().defaultChannels(), System.getenv().keySet(), http,
                config.notifier().timeout(), Clock.systemUTC());
    }

    @Produces
    @Singleton
    HttpClient httpClient(NotifierConfig config) {
        return HttpClient.newBuilder().connectTimeout(config.notifier().timeout()).build();
    }

    /**
     * The channels' deliveries run in parallel on these threads (Quarkus' own ExecutorService bean is left alone),
     * with the run's log fields and trace ({@code RunContext.propagating}).
     */
    private static ExecutorService deliveryThreads(int channels) {
        AtomicInteger count = new AtomicInteger();
        return Executors.newFixedThreadPool(Math.max(1, Math.min(8, channels)), task -> {
            Thread thread = new Thread(task, "freshen-notify-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    @PreDestroy
    void close() {
        if (threads != null) {
            threads.shutdown();
        }
    }

    @Produces
    @Singleton
    Dispatcher dispatcher(NotifierConfig config, ChannelFactory.Channels channels, DeliveryLedger ledger) {
        threads = deliveryThreads(channels.byName().size());
        var settings = config.notifier();
        Delivery delivery;
        try {
            delivery = new Delivery(new RetryPolicy(settings.maxAttempts(), settings.initialBackoff(),
                    settings.maxBackoff()));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("freshen.notifier: " + e.getMessage(), e);
        }
        PlatformImageCatalog catalog = new PlatformImageCatalog(config.platformImagesDir());
        return new Dispatcher(channels.byName(), channels.defaults(), imageId -> descriptorChannels(catalog, imageId),
                ledger, delivery, RunContext.propagating(threads), LEDGER_WAIT);
    }

    /**
     * The descriptor's {@code notify:} names, also of an invalid descriptor whose {@code notify:} is valid; none when
     * the folder, the image or a readable {@code notify:} is missing.
     */
    static List<String> descriptorChannels(PlatformImageCatalog catalog, String imageId) {
        if (!Files.isDirectory(catalog.root())) {
            return List.of();
        }
        try {
            PlatformImageCatalog.Scan scan = catalog.scan();
            return scan.image(imageId).map(i -> i.descriptor().channels()).orElseGet(() -> {
                // an invalid descriptor whose notify: is still valid names its channels (they are told it is broken)
                List<String> named = scan.error(imageId).map(DescriptorException::channels).orElse(List.of());
                if (named.isEmpty()) {
                    scan.errors().stream().filter(e -> e.file().startsWith(imageId + "/")).findFirst()
                            .ifPresent(e -> LOG.warnf("%s: descriptor not valid, using the default channels: %s", imageId,
                                    e.getMessage()));
                }
                return named;
            });
        } catch (RuntimeException e) {
            LOG.warnf("%s: cannot read the platform images (%s), using the default channels", imageId, e.getMessage());
            return List.of();
        }
    }
}
