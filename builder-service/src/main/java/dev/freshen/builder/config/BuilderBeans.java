package dev.freshen.builder.config;

import dev.freshen.docker.EngineApiBuilder;
import dev.freshen.docker.DockerEngine;
import dev.freshen.docker.BuildKitCliBuilder;
import dev.freshen.docker.BuildKitProbe;
import dev.freshen.docker.EnginePlatforms;
import com.github.dockerjava.api.DockerClient;
import dev.freshen.builder.BuildOutcomes;
import dev.freshen.builder.BuildSettings;
import dev.freshen.builder.BuildStage;
import dev.freshen.builder.docker.EngineCandidateStore;
import dev.freshen.builder.git.GitRevision;
import dev.freshen.descriptor.PlatformImageCatalog;
import dev.freshen.descriptor.Staging;
import dev.freshen.ecr.EcrCredentials;
import dev.freshen.registry.RegistryClient;
import dev.freshen.retry.RenamedSettings;
import dev.freshen.retry.RetryPolicy;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;

/**
 * Wires the builder's plain classes into CDI; refuses to start when the Docker engine or the folders are missing, or
 * when the docker CLI cannot run BuildKit builds.
 */
@ApplicationScoped
public class BuilderBeans {

    private static final Logger LOG = Logger.getLogger(BuilderBeans.class);
    /** How long each command of the BuildKit start-up check may take. */
    private static final Duration CHECK_TIMEOUT = Duration.ofMinutes(1);
    /** How long a probe build of a foreign platform may take (under emulation, a few hundred milliseconds). */
    private static final Duration PROBE_TIMEOUT = Duration.ofMinutes(2);

    void validate(@Observes StartupEvent start, BuilderConfig config, DockerClient docker, BuildStage stage) {
        Staging staging = staging(config.builder());
        LOG.infof("%s; candidates go to %s/%s", DockerEngine.describe(docker),
                staging.registryFor(config.targetRegistry()), staging.repositoryTemplate());
        LOG.info(new BuildKitProbe("freshen.builder.docker-cli", config.builder().dockerCli(),
                BuildKitProbe.imagesOf(docker), CHECK_TIMEOUT).check());
    }

    @Produces
    @Singleton
    DockerClient dockerClient(BuilderConfig config) {
        return DockerEngine.connect(config.builder().buildTimeout().plusMinutes(1));
    }

    void close(@Disposes DockerClient docker) throws IOException {
        docker.close();
    }

    @Produces
    @Singleton
    BuildOutcomes buildOutcomes() {
        return new BuildOutcomes();
    }

    @Produces
    @Singleton
    @SuppressWarnings("deprecation")
    BuildStage buildStage(BuilderConfig config, DockerClient docker, BuildOutcomes outcomes) {
        var builder = config.builder();
        RenamedSettings.refuse(new RenamedSettings.Renamed("freshen.builder.retry-backoff",
                "freshen.builder.initial-backoff", builder.retryBackoff().isPresent()));
        var registries = config.registries();
        RegistryClient registry = new RegistryClient(registries.settings(),
                registries.credentialsChain(EcrCredentials.of(registries)));
        var catalog = PlatformImageCatalog.of(config.platformImagesDir());
        return new BuildStage(catalog::scan, new EngineCandidateStore(docker, registry, builder.pushTimeout()),
                new EngineApiBuilder(docker), new BuildKitCliBuilder(builder.dockerCli()), GitRevision::of,
                new BuildSettings(config.targetRegistry(), staging(builder), builder.buildTimeout(), builder.logLines(), retries(builder),
                        dev.freshen.events.image.Platform.parse(config.registries().platform())),
                Clock.systemUTC(), registry::credentialsFor, outcomes,
                EnginePlatforms.of(docker, builder.dockerCli(), PROBE_TIMEOUT));
    }

    private static Staging staging(BuilderConfig.Builder builder) {
        try {
            return new Staging(builder.stagingRegistry(), builder.stagingRepository());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("freshen.builder.staging-repository: " + e.getMessage(), e);
        }
    }

    private static RetryPolicy retries(BuilderConfig.Builder builder) {
        try {
            return new RetryPolicy(builder.maxAttempts(), builder.initialBackoff(), builder.maxBackoff());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("freshen.builder: " + e.getMessage(), e);
        }
    }
}
