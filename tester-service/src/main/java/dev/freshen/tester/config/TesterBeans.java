package dev.freshen.tester.config;

import com.github.dockerjava.api.DockerClient;
import dev.freshen.descriptor.PlatformImageCatalog;
import dev.freshen.docker.BuildKitProbe;
import dev.freshen.docker.DockerEngine;
import dev.freshen.ecr.EcrCredentials;
import dev.freshen.ecr.EcrClients;
import dev.freshen.registry.config.RegistriesConfig;
import dev.freshen.tester.CandidateRuntime;
import dev.freshen.tester.ImageScans;
import dev.freshen.tester.ScanCheck;
import dev.freshen.tester.ecr.EcrImageScans;
import software.amazon.awssdk.services.ecr.EcrClient;
import dev.freshen.tester.RunOutcomes;
import dev.freshen.tester.TesterSettings;
import dev.freshen.tester.VerificationStage;
import dev.freshen.tester.docker.DockerCandidateRuntime;
import dev.freshen.retry.RenamedSettings;
import dev.freshen.retry.RetryPolicy;
import dev.freshen.tester.http.AppProbe;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Wires the tester's plain classes into CDI; refuses to start without a Docker engine or when the docker CLI cannot run
 * BuildKit builds, and removes what a crashed earlier attempt left behind.
 */
@ApplicationScoped
public class TesterBeans {

    private static final Logger LOG = Logger.getLogger(TesterBeans.class);
    /** How long each command of the BuildKit start-up check may take. */
    private static final Duration CHECK_TIMEOUT = Duration.ofMinutes(1);

    void validate(@Observes StartupEvent start, TesterConfig config, DockerClient docker, CandidateRuntime runtime,
                  VerificationStage stage) {
        LOG.info(DockerEngine.describe(docker));
        LOG.info(new BuildKitProbe("freshen.tester.docker-cli", config.tester().dockerCli(),
                BuildKitProbe.imagesOf(docker), CHECK_TIMEOUT).check());
        int removed = runtime.removeLeftovers();
        if (removed > 0) {
            LOG.infof("Removed %d container(s)/image(s) left by earlier test attempts", removed);
        }
    }

    @Produces
    @Singleton
    DockerClient dockerClient(TesterConfig config) {
        return DockerEngine.connect(config.tester().buildTimeout().plusMinutes(1));
    }

    void close(@Disposes DockerClient docker) throws IOException {
        docker.close();
    }

    @Produces
    @Singleton
    CandidateRuntime candidateRuntime(TesterConfig config, DockerClient docker,
                                      @ConfigProperty(name = "quarkus.http.port") int httpPort) {
        var credentials = config.registries().credentialsChain(EcrCredentials.of(config.registries()));
        String instance = config.tester().instanceId().orElseGet(() -> hostName() + ":" + httpPort);
        return new DockerCandidateRuntime(docker, host -> credentials.credentialsFor(host).orElse(null),
                config.tester().pullTimeout(), config.tester().dockerCli(), instance);
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return System.getenv().getOrDefault("HOSTNAME", "localhost");
        }
    }

    @Produces
    @Singleton
    RunOutcomes runOutcomes() {
        return new RunOutcomes();
    }

    @Produces
    @Singleton
    @SuppressWarnings("deprecation")
    VerificationStage verificationStage(TesterConfig config, CandidateRuntime runtime, RunOutcomes outcomes,
                                        ImageScans scans) {
        var tester = config.tester();
        RenamedSettings.refuse(new RenamedSettings.Renamed("freshen.tester.retry-backoff",
                "freshen.tester.initial-backoff", tester.retryBackoff().isPresent()));
        var catalog = PlatformImageCatalog.of(config.platformImagesDir());
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        return new VerificationStage(catalog::scan, runtime, new AppProbe(http), settings(tester), outcomes,
                Clock.systemUTC(), scanCheck(config, scans));
    }

    private static TesterSettings settings(TesterConfig.Tester tester) {
        RetryPolicy retries = retries(tester);
        try {
            return new TesterSettings(tester.buildTimeout(), tester.commandTimeout(), tester.logLines(), retries,
                    tester.emulation().timeoutFactor());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("freshen.tester.emulation.timeout-factor: " + e.getMessage(), e);
        }
    }

    private static ScanCheck scanCheck(TesterConfig config, ImageScans scans) {
        var scan = config.tester().scan();
        try {
            return new ScanCheck(scans, new ScanCheck.Settings(scan.timeout(), scan.startTimeout(), scan.pollInterval(),
                    scan.onTimeout(),
                    scan.targetRegistry()), Clock.systemUTC(), ScanCheck.SLEEP);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("freshen.tester.scan: " + e.getMessage(), e);
        }
    }

    /**
     * ECR's image scans, through the ECR API as configured under {@code freshen.registries.ecr}; the AWS client (one
     * per region) is made on first use, so a tester that never meets an ECR host needs no AWS settings.
     */
    @Produces
    @Singleton
    ImageScans imageScans(TesterConfig config) {
        RegistriesConfig.Ecr ecr = config.registries().ecr();
        Map<String, EcrClient> byRegion = new ConcurrentHashMap<>();
        return new EcrImageScans(host -> {
            Optional<String> region = ecr.region().or(() -> EcrClients.regionOf(host));
            return byRegion.computeIfAbsent(region.orElse(""), r -> EcrClients.create(region, ecr.endpoint(),
                    config.registries().timeout(), config.registries().retries()));
        }, Set.copyOf(ecr.hosts().orElse(List.of())), ecr.registryId());
    }

    private static RetryPolicy retries(TesterConfig.Tester tester) {
        try {
            return new RetryPolicy(tester.maxAttempts(), tester.initialBackoff(), tester.maxBackoff());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("freshen.tester: " + e.getMessage(), e);
        }
    }
}
