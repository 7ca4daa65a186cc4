package dev.freshen.watcher.schedule;

import dev.freshen.descriptor.DescriptorException;
import dev.freshen.descriptor.PlatformImage;
import dev.freshen.descriptor.PlatformImageCatalog;
import org.jboss.logging.Logger;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * The platform images as last scanned from disk. Rescanning replaces the whole view at once; descriptor errors are
 * logged when they appear or change, not at every scan.
 */
public class Catalog implements Supplier<PlatformImageCatalog.Scan> {

    private static final Logger LOG = Logger.getLogger(Catalog.class);

    /**
     * What a rescan found.
     *
     * @param changed whether anything differs from the previous scan
     * @param loaded  the images that are valid now and were not at the previous scan (added, or fixed), or whose
     *                folder changed: the ones to check at once. Empty at the first scan (the start-up check has them).
     */
    public record Rescan(boolean changed, Set<String> loaded) {
    }

    private final PlatformImageCatalog catalog;
    private volatile PlatformImageCatalog.Scan current;
    private Set<String> reportedErrors = Set.of();

    public Catalog(PlatformImageCatalog catalog) {
        this.catalog = catalog;
    }

    @Override
    public PlatformImageCatalog.Scan get() {
        if (current == null) {
            rescan();
        }
        return current;
    }

    /** Reads the folder again. */
    public synchronized Rescan rescan() {
        PlatformImageCatalog.Scan scan = catalog.scan();
        Set<String> errors = scan.errors().stream().map(DescriptorException::getMessage).collect(Collectors.toSet());
        if (!errors.equals(reportedErrors)) {
            errors.stream().filter(e -> !reportedErrors.contains(e)).sorted()
                    .forEach(e -> LOG.errorf("Invalid platform image descriptor, not watched: %s", e));
            reportedErrors = errors;
        }
        PlatformImageCatalog.Scan previous = current;
        boolean changed = previous == null || !previous.images().equals(scan.images())
                || !messages(previous.errors()).equals(messages(scan.errors()));
        if (changed) {
            LOG.infof("Watching %d platform image(s) under %s: %s", scan.images().size(), catalog.root(),
                    String.join(", ", scan.images().keySet()));
        }
        Set<String> loaded = new TreeSet<>();
        if (previous != null) {
            for (Map.Entry<String, PlatformImage> image : scan.images().entrySet()) {
                PlatformImage before = previous.images().get(image.getKey());
                if (before == null || !before.contentHash().equals(image.getValue().contentHash())) {
                    loaded.add(image.getKey());
                }
            }
        }
        current = scan;
        return new Rescan(changed, loaded);
    }

    private static List<String> messages(List<DescriptorException> errors) {
        return errors.stream().map(DescriptorException::getMessage).toList();
    }
}
