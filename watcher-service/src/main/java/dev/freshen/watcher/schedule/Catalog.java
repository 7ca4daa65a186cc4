package dev.freshen.watcher.schedule;

import dev.freshen.descriptor.DescriptorException;
import dev.freshen.descriptor.PlatformImageCatalog;
import org.jboss.logging.Logger;

import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * The platform images as last scanned from disk. Rescanning replaces the whole view at once; descriptor errors are
 * logged when they appear or change, not at every scan.
 */
public class Catalog implements Supplier<PlatformImageCatalog.Scan> {

    private static final Logger LOG = Logger.getLogger(Catalog.class);

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

    /** Reads the folder again; returns true when anything differs from the previous scan. */
    public synchronized boolean rescan() {
        PlatformImageCatalog.Scan scan = catalog.scan();
        Set<String> errors = scan.errors().stream().map(DescriptorException::getMessage).collect(Collectors.toSet());
        if (!errors.equals(reportedErrors)) {
            errors.stream().filter(e -> !reportedErrors.contains(e)).sorted()
                    .forEach(e -> LOG.errorf("Invalid platform image descriptor, not watched: %s", e));
            reportedErrors = errors;
        }
        boolean changed = current == null || !current.images().equals(scan.images())
                || !messages(current.errors()).equals(messages(scan.errors()));
        if (changed) {
            LOG.infof("Watching %d platform image(s) under %s: %s", scan.images().size(), catalog.root(),
                    String.join(", ", scan.images().keySet()));
        }
        current = scan;
        return changed;
    }

    private static List<String> messages(List<DescriptorException> errors) {
        return errors.stream().map(DescriptorException::getMessage).toList();
    }
}
