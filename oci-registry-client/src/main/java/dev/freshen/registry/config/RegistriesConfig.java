package dev.freshen.registry.config;

import dev.freshen.registry.Credentials;
import dev.freshen.registry.CredentialsProvider;
import dev.freshen.registry.DockerConfigCredentials;
import dev.freshen.registry.RegistrySettings;
import dev.freshen.retry.RetryPolicy;
import io.smallrye.config.WithDefault;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * How services reach registries, as a configuration group every service's {@code @ConfigMapping} embeds under
 * {@code freshen.registries}:
 * <pre>
 * freshen.registries.insecure=127.0.0.1,localhost
 * freshen.registries.credentials.company.host=registry.example.com
 * freshen.registries.credentials.company.username=ci
 * freshen.registries.credentials.company.password-file=/run/secrets/registry-password
 * freshen.registries.docker-config=/run/secrets/docker/config.json
 * </pre>
 * Credentials are keyed by a name of your choice (so that environment variables can set them:
 * {@code FRESHEN_REGISTRIES_CREDENTIALS_COMPANY_HOST}); passwords as a value or a file, never logged.
 */
public interface RegistriesConfig {

    /** Registry hosts reached over plain HTTP (an entry without port matches every port). All others use HTTPS. */
    @WithDefault("127.0.0.1,localhost")
    List<String> insecure();

    /** Credentials per registry, keyed by any name. */
    Map<String, CredentialsConfig> credentials();

    /**
     * A Docker {@code config.json} to take registry credentials from, after those of {@link #credentials()}: its
     * {@code auths}, {@code credHelpers} and {@code credsStore} as the docker CLI reads them (e.g. a mounted Secret of
     * type {@code kubernetes.io/dockerconfigjson}); default none. See {@link DockerConfigCredentials}.
     */
    Optional<Path> dockerConfig();

    /** Requests under way at once to one registry. */
    @WithDefault("4")
    int maxConcurrentRequests();

    /** Time allowed for one request. */
    @WithDefault("30s")
    Duration timeout();

    /**
     * Attempts for a request that fails transiently (I/O error, 5xx, 429; for the ECR API also throttling), per
     * request: registry requests are retried here and nowhere else.
     */
    @WithDefault("8")
    int maxAttempts();

    /** Wait after the first failed attempt; it doubles each attempt (half of it random), up to max-backoff. */
    @WithDefault("1s")
    Duration initialBackoff();

    /**
     * The longest wait between two attempts; a longer Retry-After from a registry ends the retries. Also the longest
     * spacing of manifest reads from a registry whose pull rate limit runs low (0: no spacing).
     */
    @WithDefault("30s")
    Duration maxBackoff();

    /** The platform read from multi-platform images (labels, user, env). */
    @WithDefault("linux/amd64")
    String platform();

    /**
     * AWS ECR: registries whose host looks like {@code <account>.dkr.ecr.<region>.amazonaws.com} get their credentials
     * from {@code GetAuthorizationToken} (AWS default credentials chain), refreshed before the 12-hour tokens expire.
     */
    Ecr ecr();

    /** How ECR is reached for registry credentials. */
    interface Ecr {

        /** The AWS region of the ECR API; default: the region in the registry host, else the AWS default chain. */
        Optional<String> region();

        /** Another ECR API endpoint (VPC endpoint, FIPS, a test double). */
        Optional<java.net.URI> endpoint();

        /** More registry hosts to log in to through ECR although they do not look like ECR (with an endpoint override). */
        Optional<List<String>> hosts();

        /** The account of those hosts' registry. */
        Optional<String> registryId();
    }

    /** Credentials for one registry. */
    interface CredentialsConfig {

        /** The registry host, as in image references: registry.example.com, 127.0.0.1:5000, docker.io. */
        String host();

        String username();

        /** The password or token as a value. */
        Optional<String> password();

        /** The password or token read from a file (e.g. a mounted Secret). */
        Optional<Path> passwordFile();
    }

    /** The client settings these values describe; reads password files. */
    default RegistrySettings settings() {
        Map<String, Credentials> byHost = new HashMap<>();
        credentials().forEach((name, c) -> byHost.put(c.host(), new Credentials(c.username(), password(name, c))));
        return new RegistrySettings(Set.copyOf(insecure()), byHost, maxConcurrentRequests(), timeout(), retries(),
                platform());
    }

    /**
     * Where credentials come from, in this order: {@code dynamic} (e.g. ECR tokens), {@link #credentials()}, the
     * {@link #dockerConfig()} file. Reads password files and the Docker config once (call it once per client).
     *
     * @throws IllegalStateException when a password file or the Docker config cannot be read (names the file)
     */
    default CredentialsProvider credentialsChain(CredentialsProvider dynamic) {
        CredentialsProvider chain = dynamic.orElse(settings());
        return dockerConfig().isEmpty() ? chain : chain.orElse(DockerConfigCredentials.of(dockerConfig().get()));
    }

    /** {@link #maxAttempts()}, {@link #initialBackoff()} and {@link #maxBackoff()} as a policy; checks their range. */
    default RetryPolicy retries() {
        try {
            return new RetryPolicy(maxAttempts(), initialBackoff(), maxBackoff());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("freshen.registries: " + e.getMessage(), e);
        }
    }

    private static String password(String name, CredentialsConfig c) {
        if (c.password().isPresent()) {
            return c.password().get();
        }
        if (c.passwordFile().isPresent()) {
            try {
                return Files.readString(c.passwordFile().get()).strip();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the password file of registry credentials '" + name + "'", e);
            }
        }
        throw new IllegalStateException("registry credentials '" + name + "' have neither password nor password-file");
    }
}
