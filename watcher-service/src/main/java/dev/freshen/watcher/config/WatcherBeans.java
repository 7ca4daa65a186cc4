package dev.freshen.watcher.config;

import dev.freshen.descriptor.PlatformImageCatalog;
import dev.freshen.ecr.EcrCredentials;
import dev.freshen.registry.RegistryClient;
import dev.freshen.watcher.CheckHealth;
import dev.freshen.watcher.ImageChecker;
import dev.freshen.watcher.ImageRegistry;
import dev.freshen.watcher.PublishedVersions;
import dev.freshen.watcher.RollbackPlanner;
import dev.freshen.watcher.RollbackRequests;
import dev.freshen.watcher.Rollbacks;
import dev.freshen.watcher.RunLedger;
import dev.freshen.watcher.RunStarter;
import dev.freshen.watcher.WatchStates;
import dev.freshen.watcher.api.ApiKeys;
import dev.freshen.watcher.registry.OciImageRegistry;
import dev.freshen.watcher.registry.RegistryTagOwners;
import dev.freshen.watcher.schedule.Catalog;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

/** Wires the watcher's plain classes into CDI; refuses to start when misconfigured. */
@ApplicationScoped
public class WatcherBeans {

    private static final Logger LOG = Logger.getLogger(WatcherBeans.class);

    void validate(@Observes StartupEvent start, WatcherConfig config, ApiKeys apiKeys, Catalog catalog) {
        try {
            dev.freshen.descriptor.ImageGraph.of(java.util.Map.of(), config.targetRegistry());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("freshen.target-registry '" + config.targetRegistry() + "' is not a registry "
                    + "host (e.g. 123456789012.dkr.ecr.eu-west-1.amazonaws.com or 127.0.0.1:5000): " + e.getMessage(), e);
        }
        LOG.infof("Platform images from %s, published to %s; API keys: %s", config.platformImagesDir().toAbsolutePath(),
                config.targetRegistry(), String.join(", ", apiKeys.names()));
    }

    @Produces
    @Singleton
    Clock clock() {
        return Clock.systemUTC();
    }

    @Produces
    @Singleton
    ApiKeys apiKeys(WatcherConfig config) {
        var watcher = config.watcher();
        Map<String, ApiKeys.Setting> named = new LinkedHashMap<>();
        watcher.apiKeys().forEach((name, key) -> named.put(name, new ApiKeys.Setting(key.key(), key.keyFile())));
        return ApiKeys.of(new ApiKeys.Setting(watcher.apiKey(), watcher.apiKeyFile()), named);
    }

    @Produces
    @Singleton
    RunLedger runLedger() {
        return new RunLedger();
    }

    /**
     * The platform images; of two claiming one tag, the registry's tag label (else the run ledger) decides. Images
     * built FROM each other's tags in the target registry form the graph ({@code PlatformImageCatalog.Scan#graph}).
     */
    @Produces
    @Singleton
    Catalog catalog(WatcherConfig config, RegistryClient registryClient, RunLedger ledger) {
        return new Catalog(PlatformImageCatalog.of(config.platformImagesDir(),
                new RegistryTagOwners(registryClient, config.targetRegistry(), ledger), config.targetRegistry()));
    }

    /** Streaks of failed checks per image; the threshold is checked here, so a wrong one stops the start. */
    @Produces
    @Singleton
    CheckHealth checkHealth(WatcherConfig config) {
        return new CheckHealth(config.watcher().checksFailingAfter());
    }

    @Produces
    @Singleton
    WatchStates watchStates() {
        return new WatchStates();
    }

    @Produces
    @Singleton
    ImageRegistry imageRegistry(RegistryClient registryClient, WatcherConfig config) {
        return new OciImageRegistry(registryClient, config.targetRegistry());
    }

    @Produces
    @Singleton
    Rollbacks rollbacks() {
        return new Rollbacks();
    }

    @Produces
    @Singleton
    RollbackPlanner rollbackPlanner(Catalog catalog, RegistryClient registryClient, WatcherConfig config,
                                    RollbackRequests requests, Clock clock) {
        return new RollbackPlanner(catalog, new OciImageRegistry(registryClient, config.targetRegistry()), requests, clock);
    }

    @Produces
    @Singleton
    PublishedVersions publishedVersions(RunLedger ledger, ImageChecker checker, ImageRegistry registry,
                                        WatcherConfig config) {
        return new PublishedVersions(ledger, checker, registry, config.targetRegistry());
    }

    @Produces
    @Singleton
    RegistryClient registryClient(WatcherConfig config) {
        var registries = config.registries();
        return new RegistryClient(registries.settings(), registries.credentialsChain(EcrCredentials.of(registries)));
    }

    @Produces
    @Singleton
    ImageChecker imageChecker(Catalog catalog, ImageRegistry registry, RunLedger ledger, RunStarter runs, Clock clock,
                              WatcherConfig config) {
        return new ImageChecker(catalog, registry, ledger, runs, clock,
                dev.freshen.events.image.Platform.parse(config.registries().platform()));
    }
}
