package dev.freshen.watcher.config;

import dev.freshen.descriptor.PlatformImageCatalog;
import dev.freshen.ecr.EcrCredentials;
import dev.freshen.registry.RegistryClient;
import dev.freshen.watcher.ImageChecker;
import dev.freshen.watcher.RunLedger;
import dev.freshen.watcher.RunStarter;
import dev.freshen.watcher.api.ApiKey;
import dev.freshen.watcher.registry.OciImageRegistry;
import dev.freshen.watcher.schedule.Catalog;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

import java.time.Clock;

/** Wires the watcher's plain classes into CDI; refuses to start when misconfigured. */
@ApplicationScoped
public class WatcherBeans {

    private static final Logger LOG = Logger.getLogger(WatcherBeans.class);

    void validate(@Observes StartupEvent start, WatcherConfig config, ApiKey apiKey, Catalog catalog) {
        LOG.infof("Platform images from %s, published to %s", config.platformImagesDir().toAbsolutePath(),
                config.targetRegistry());
    }

    @Produces
    @Singleton
    Clock clock() {
        return Clock.systemUTC();
    }

    @Produces
    @Singleton
    ApiKey apiKey(WatcherConfig config) {
        return ApiKey.of(config.watcher().apiKey(), config.watcher().apiKeyFile());
    }

    @Produces
    @Singleton
    RunLedger runLedger() {
        return new RunLedger();
    }

    @Produces
    @Singleton
    Catalog catalog(WatcherConfig config) {
        return new Catalog(PlatformImageCatalog.of(config.platformImagesDir()));
    }

    @Produces
    @Singleton
    RegistryClient registryClient(WatcherConfig config) {
        return new RegistryClient(config.registries().settings(), EcrCredentials.of(config.registries()));
    }

    @Produces
    @Singleton
    ImageChecker imageChecker(Catalog catalog, RegistryClient registryClient, WatcherConfig config, RunLedger ledger,
                              RunStarter runs, Clock clock) {
        return new ImageChecker(catalog, new OciImageRegistry(registryClient, config.targetRegistry()), ledger, runs, clock);
    }
}
