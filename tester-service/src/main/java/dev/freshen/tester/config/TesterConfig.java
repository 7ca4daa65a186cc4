package dev.freshen.tester.config;

import dev.freshen.registry.config.RegistriesConfig;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** The tester's settings: shared keys under {@code freshen.}, its own under {@code freshen.tester.}. */
@ConfigMapping(prefix = "freshen")
public interface TesterConfig {

    /** The platform-images root (descriptors, and the integration-test applications below it). */
    @WithDefault("platform-images")
    Path platformImagesDir();

    /** How registries are reached (candidates are pulled with these credentials). */
    RegistriesConfig registries();

    Tester tester();

    /** The tester's own settings. */
    interface Tester {

        /** How long building the integration-test application may take. */
        @WithDefault("15m")
        Duration buildTimeout();

        /** How long pulling a candidate may take. */
        @WithDefault("10m")
        Duration pullTimeout();

        /** How long one policy-check command (e.g. dotnet --info) may run. */
        @WithDefault("2m")
        Duration commandTimeout();

        /**
         * This tester's id on its Docker engine, the same across restarts: at start-up a tester removes the containers
         * and images its crashed attempts left, and only those. Default: host name and HTTP port.
         */
        Optional<String> instanceId();

        /**
         * The docker CLI for BuildKit builds of test applications: a path, or a name looked up on PATH. It needs BuildKit
         * built in (a client older than 23, e.g. Debian's /usr/bin/docker) or the buildx plugin (23 and newer); the
         * service checks that with a test build at start-up and refuses to start otherwise.
         */
        @WithDefault("docker")
        String dockerCli();

        /** Lines of build or application output kept for a failure's log excerpt. */
        @WithDefault("40")
        int logLines();

        /** Attempts when Docker fails transiently (a failing test is never retried). */
        @WithDefault("5")
        int maxAttempts();

        /** Wait after the first failed attempt; it doubles each attempt (half of it random), up to max-backoff. */
        @WithDefault("5s")
        Duration initialBackoff();

        /**
         * The old name of {@link #initialBackoff()}, renamed to match every other retry setting. Only read to stop the
         * start with the new name, rather than ignore a value somebody set.
         */
        @Deprecated
        Optional<String> retryBackoff();

        /** The longest wait between two attempts. */
        @WithDefault("2m")
        Duration maxBackoff();

        /** Waiting for the registry's image scan of a candidate (AWS ECR). */
        Scan scan();

        /** Testing a platform the Docker engine runs under QEMU user emulation (a multi-platform image's foreign one). */
        Emulation emulation();
    }

    /** How the tester allows for the slowness of emulated platforms. */
    interface Emulation {

        /**
         * How many times longer the integration-test app's build, a check command and the app's start-up may take on
         * an emulated platform than {@code build-timeout}, {@code command-timeout} and
         * {@code integrationTest.startupTimeout} allow natively: 1 to 20.
         */
        @WithDefault("5")
        int timeoutFactor();
    }

    /** How the tester waits for ECR's image scan of a candidate (candidates in other registries are not scanned). */
    interface Scan {

        /** How long to wait for a scan's result, from the first question. */
        @WithDefault("10m")
        Duration timeout();

        /**
         * How long to wait for ECR to start a scan at all ({@code ScanNotFoundException}): a repository without scan on
         * push (or a registry scanning rule) never starts one. Within {@link #timeout()}.
         */
        @WithDefault("2m")
        Duration startTimeout();

        /** How long between two questions to ECR. */
        @WithDefault("15s")
        Duration pollInterval();

        /**
         * What a scan without result within the time-out means: {@code proceed} (the run goes on, its events say "scan
         * timed out") or {@code fail} (the run ends, {@code scan-timed-out}). A gated image ({@code scan.failOn})
         * fails either way.
         */
        @WithDefault("proceed")
        dev.freshen.tester.ScanCheck.OnTimeout onTimeout();

        /**
         * The registry platform images are published to, where the version a candidate's scan is compared with is
         * looked up ({@code freshen.target-registry} of builder and publisher); default: the candidate's registry.
         */
        Optional<String> targetRegistry();
    }
}
