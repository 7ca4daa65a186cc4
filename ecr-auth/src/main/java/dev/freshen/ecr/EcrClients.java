package dev.freshen.ecr;

import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.services.ecr.EcrClient;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Makes the {@link EcrClient}: credentials from the AWS default provider chain (system properties, environment, web
 * identity, profile, container and instance roles), the region from configuration or the default region chain, an
 * optional endpoint override, the URL-connection HTTP client, and the SDK's standard retry strategy (throttling, 5xx,
 * timeouts) with exponential backoff and jitter.
 */
public final class EcrClients {

    private static final Pattern ECR_HOST = Pattern.compile("(\\d{12})\\.dkr\\.ecr(?:-fips)?\\.([a-z0-9-]+)\\.amazonaws\\.com(?:\\.cn)?");
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(20);

    private EcrClients() {
    }

    /**
     * @param attempts    attempts per API call (1 = no retries)
     * @param baseBackoff first retry delay, doubled each attempt (with jitter) up to 20s
     * @throws IllegalStateException when no region is configured or found
     */
    public static EcrClient create(Optional<String> region, Optional<URI> endpoint, Duration timeout, int attempts,
                                   Duration baseBackoff) {
        Duration base = baseBackoff.isZero() ? Duration.ofMillis(1) : baseBackoff;
        var builder = EcrClient.builder()
                .region(region.map(Region::of).orElseGet(EcrClients::defaultRegion))
                .credentialsProvider(DefaultCredentialsProvider.builder().build())
                .httpClientBuilder(UrlConnectionHttpClient.builder().connectionTimeout(timeout).socketTimeout(timeout))
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.standardRetryStrategy().toBuilder()
                        .maxAttempts(attempts)
                        .backoffStrategy(BackoffStrategy.exponentialDelay(base, MAX_BACKOFF))
                        .throttlingBackoffStrategy(BackoffStrategy.exponentialDelay(base, MAX_BACKOFF))
                        .build()));
        endpoint.ifPresent(builder::endpointOverride);
        return builder.build();
    }

    /** The account id in an ECR registry host ({@code 123456789012.dkr.ecr.eu-west-1.amazonaws.com}). */
    public static Optional<String> accountOf(String host) {
        Matcher matcher = ECR_HOST.matcher(host);
        return matcher.matches() ? Optional.of(matcher.group(1)) : Optional.empty();
    }

    /** The region in an ECR registry host. */
    public static Optional<String> regionOf(String host) {
        Matcher matcher = ECR_HOST.matcher(host);
        return matcher.matches() ? Optional.of(matcher.group(2)) : Optional.empty();
    }

    private static Region defaultRegion() {
        try {
            return new DefaultAwsRegionProviderChain().getRegion();
        } catch (SdkClientException e) {
            throw new IllegalStateException("no AWS region for ECR: set freshen.publisher.ecr.region (publisher) or "
                    + "freshen.registries.ecr.region (registry logins), or AWS_REGION, or use an ECR registry host as "
                    + "freshen.target-registry", e);
        }
    }
}
