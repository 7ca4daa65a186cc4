package dev.freshen.ecr;

import dev.freshen.retry.RetryPolicy;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.retries.api.RetryStrategy;
import software.amazon.awssdk.services.ecr.EcrClient;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Makes the {@link EcrClient}: credentials from the AWS default provider chain (system properties, environment, web
 * identity, profile, container and instance roles), the region from configuration or the default region chain, an
 * optional endpoint override and the URL-connection HTTP client.
 *
 * <p>Retries: an ECR API call is a registry request, so it is retried per call and nowhere else, with the same
 * {@link RetryPolicy} as the registry client ({@code freshen.registries.max-attempts}, {@code initial-backoff},
 * {@code max-backoff}). The retrying itself is left to the SDK's standard strategy, because the SDK knows AWS's
 * throttling and transient error codes, clock skew and its retry quota better than we would; it is given the same
 * rhythm (exponential, half of each wait random: the SDK's "half jitter" is our equal jitter) and each retry is
 * logged in Freshen's one retry line ({@link LoggedRetryStrategy}). The SDK does not read {@code Retry-After}.
 */
public final class EcrClients {

    private static final Pattern ECR_HOST = Pattern.compile("(\\d{12})\\.dkr\\.ecr(?:-fips)?\\.([a-z0-9-]+)\\.amazonaws\\.com(?:\\.cn)?");

    private EcrClients() {
    }

    /**
     * @param retries attempts per API call (1 = no retries), the first wait, doubled each attempt (half of it random)
     *                up to the longest
     * @throws IllegalStateException when no region is configured or found
     */
    public static EcrClient create(Optional<String> region, Optional<URI> endpoint, Duration timeout, RetryPolicy retries) {
        var builder = EcrClient.builder()
                .region(region.map(Region::of).orElseGet(EcrClients::defaultRegion))
                .credentialsProvider(DefaultCredentialsProvider.builder().build())
                .httpClientBuilder(UrlConnectionHttpClient.builder().connectionTimeout(timeout).socketTimeout(timeout))
                .overrideConfiguration(o -> o.retryStrategy(retryStrategy(retries)));
        endpoint.ifPresent(builder::endpointOverride);
        return builder.build();
    }

    /** The SDK's standard strategy with {@code retries}' attempts and rhythm, each retry logged. */
    static RetryStrategy retryStrategy(RetryPolicy retries) {
        Duration base = retries.initialBackoff().isZero() ? Duration.ofMillis(1) : retries.initialBackoff();
        Duration max = retries.maxBackoff().compareTo(base) < 0 ? base : retries.maxBackoff();
        BackoffStrategy backoff = BackoffStrategy.exponentialDelayHalfJitter(base, max);
        return new LoggedRetryStrategy(AwsRetryStrategy.standardRetryStrategy().toBuilder()
                .maxAttempts(retries.maxAttempts())
                .backoffStrategy(backoff)
                .throttlingBackoffStrategy(backoff)
                .build());
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
