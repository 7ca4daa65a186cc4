package dev.freshen.watcher.metrics;

import dev.freshen.watcher.ImageStaleness;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import java.time.Clock;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One gauge {@code freshen_image_staleness_seconds{image}} per watched image, read at each scrape from
 * {@link ImageStaleness}. {@link #track} follows the catalog: an image that is loaded gets its gauge (0 when fresh,
 * so every watched image is scrapeable), one whose descriptor is removed loses it. Thread-safe.
 */
public final class StalenessGauges {

    /** Micrometer's name; with the base unit Prometheus shows {@code freshen_image_staleness_seconds}. */
    public static final String NAME = "freshen.image.staleness";

    private final MeterRegistry registry;
    private final ImageStaleness staleness;
    private final Clock clock;
    private final Map<String, Gauge> gauges = new ConcurrentHashMap<>();

    public StalenessGauges(MeterRegistry registry, ImageStaleness staleness, Clock clock) {
        this.registry = registry;
        this.staleness = staleness;
        this.clock = clock;
    }

    /** Registers a gauge for every id of {@code imageIds} that has none, and removes those of ids no longer there. */
    public synchronized void track(Set<String> imageIds) {
        for (String id : imageIds) {
            gauges.computeIfAbsent(id, image -> Gauge.builder(NAME, () -> staleness.seconds(image, clock.instant()))
                    .description("Seconds since the watcher first saw an upstream base digest of the image that no "
                            + "published rebuild includes yet; 0 when up to date")
                    .baseUnit("seconds")
                    .tag("image", image)
                    .register(registry));
        }
        for (String id : Set.copyOf(gauges.keySet())) {
            if (!imageIds.contains(id)) {
                registry.remove(gauges.remove(id));
            }
        }
    }
}
