package dev.freshen.tester.ecr;

import dev.freshen.ecr.EcrClients;
import dev.freshen.events.ScanDelta;
import dev.freshen.events.image.ImageReference;
import dev.freshen.retry.StopRequested;
import dev.freshen.tester.ImageScan;
import dev.freshen.tester.ImageScans;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.AbortedException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.ecr.model.DescribeImageScanFindingsRequest;
import software.amazon.awssdk.services.ecr.model.DescribeImageScanFindingsResponse;
import software.amazon.awssdk.services.ecr.model.EnhancedImageScanFinding;
import software.amazon.awssdk.services.ecr.model.ImageIdentifier;
import software.amazon.awssdk.services.ecr.model.ImageNotFoundException;
import software.amazon.awssdk.services.ecr.model.ImageScanFinding;
import software.amazon.awssdk.services.ecr.model.ListImagesRequest;
import software.amazon.awssdk.services.ecr.model.RepositoryNotFoundException;
import software.amazon.awssdk.services.ecr.model.ScanNotFoundException;
import software.amazon.awssdk.services.ecr.model.TagStatus;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Image scans of AWS ECR ({@code DescribeImageScanFindings}, every {@code nextToken} page), for basic scanning
 * ({@code imageScanFindings.findings[].name} is the CVE id) and enhanced scanning (Amazon Inspector:
 * {@code enhancedFindings[].packageVulnerabilityDetails.vulnerabilityId}); counts are ECR's
 * {@code findingSeverityCounts}. Statuses (service model {@code ScanStatus}): {@code COMPLETE} and {@code ACTIVE}
 * (enhanced, continuous scanning) have findings; {@code IN_PROGRESS}, {@code PENDING} and
 * {@code ScanNotFoundException} (ECR has not started: not started) are waited for; every other status ({@code FAILED},
 * {@code UNSUPPORTED_IMAGE}, {@code SCAN_ELIGIBILITY_EXPIRED}, {@code FINDINGS_UNAVAILABLE}, {@code LIMIT_EXCEEDED},
 * {@code IMAGE_ARCHIVED}, a newer one), a missing image or repository and an ECR error after the SDK's retries
 * ({@code AccessDeniedException}: the tester's IAM policy lacks {@code ecr:DescribeImageScanFindings}) have ended.
 *
 * <p>ECR hosts are those that look like {@code <account>.dkr.ecr.<region>.amazonaws.com}, and those configured as ECR
 * ({@code freshen.registries.ecr.hosts}, with the account {@code freshen.registries.ecr.registry-id}).
 */
public final class EcrImageScans implements ImageScans {

    private static final Set<String> COMPLETE = Set.of("COMPLETE", "ACTIVE");
    private static final Set<String> PENDING = Set.of("IN_PROGRESS", "PENDING");

    private final Function<String, EcrClient> clientFor;
    private final Set<String> extraHosts;
    private final Optional<String> registryId;

    /**
     * @param clientFor  the ECR API client for a registry host
     * @param extraHosts hosts to treat as ECR although they do not look like it
     * @param registryId the account of those hosts' registry
     */
    public EcrImageScans(Function<String, EcrClient> clientFor, Set<String> extraHosts, Optional<String> registryId) {
        this.clientFor = clientFor;
        this.extraHosts = Set.copyOf(extraHosts);
        this.registryId = registryId;
    }

    @Override
    public boolean scans(String registry) {
        return EcrClients.accountOf(registry).isPresent() || extraHosts.contains(registry);
    }

    @Override
    public ImageScan describe(ImageReference image) {
        ImageIdentifier id = image.digest() != null ? ImageIdentifier.builder().imageDigest(image.digest().toString()).build()
                : ImageIdentifier.builder().imageTag(image.tag()).build();
        DescribeImageScanFindingsRequest request = DescribeImageScanFindingsRequest.builder()
                .registryId(account(image.registry())).repositoryName(image.repository()).imageId(id).maxResults(1000).build();
        try {
            String status = null;
            String description = null;
            Map<String, Integer> counts = Map.of();
            Map<String, String> findings = new HashMap<>();
            for (DescribeImageScanFindingsResponse page : clientFor.apply(image.registry())
                    .describeImageScanFindingsPaginator(request)) {
                if (status == null) {
                    status = page.imageScanStatus() == null ? null : page.imageScanStatus().statusAsString();
                    description = page.imageScanStatus() == null ? null : page.imageScanStatus().description();
                    if (status == null || !COMPLETE.contains(status)) {
                        break;
                    }
                }
                if (page.imageScanFindings() == null) {
                    continue;
                }
                if (counts.isEmpty() && page.imageScanFindings().hasFindingSeverityCounts()) {
                    counts = page.imageScanFindings().findingSeverityCountsAsStrings();
                }
                for (ImageScanFinding f : page.imageScanFindings().findings()) {
                    if (f.name() != null) {
                        ScanDelta.keepHighest(findings, f.name(), f.severityAsString());
                    }
                }
                for (EnhancedImageScanFinding f : page.imageScanFindings().enhancedFindings()) {
                    String vulnerability = f.packageVulnerabilityDetails() != null
                            ? f.packageVulnerabilityDetails().vulnerabilityId() : null;
                    String findingId = vulnerability != null ? vulnerability : f.title();
                    if (findingId != null) {
                        ScanDelta.keepHighest(findings, findingId, f.severity());
                    }
                }
            }
            if (status == null) {
                return ImageScan.ended("NO_STATUS", "ECR answered without a scan status");
            }
            if (PENDING.contains(status)) {
                return ImageScan.pending(status, description);
            }
            if (!COMPLETE.contains(status)) {
                return ImageScan.ended(status, description);
            }
            return ImageScan.complete(status, counts, findings);
        } catch (ScanNotFoundException e) {
            return ImageScan.notStarted("ECR has not started scanning the image");
        } catch (ImageNotFoundException e) {
            return ImageScan.ended("IMAGE_NOT_FOUND", "ECR has no image " + image + " any more");
        } catch (RepositoryNotFoundException e) {
            return ImageScan.ended("REPOSITORY_NOT_FOUND", "ECR has no repository " + image.repository());
        } catch (SdkException e) {
            stopIfInterrupted(e);
            return ImageScan.ended("ECR_ERROR", "ECR refused DescribeImageScanFindings for " + image.repository()
                    + " (" + code(e) + ")");
        }
    }

    @Override
    public List<String> tags(String registry, String repository) {
        ListImagesRequest request = ListImagesRequest.builder().registryId(account(registry)).repositoryName(repository)
                .filter(f -> f.tagStatus(TagStatus.TAGGED)).maxResults(1000).build();
        try {
            List<String> tags = new ArrayList<>();
            clientFor.apply(registry).listImagesPaginator(request).imageIds().forEach(i -> {
                if (i.imageTag() != null) {
                    tags.add(i.imageTag());
                }
            });
            return tags;
        } catch (RepositoryNotFoundException e) {
            return List.of();
        } catch (SdkException e) {
            stopIfInterrupted(e);
            throw new IllegalStateException("ECR refused ListImages for " + repository + " (" + code(e) + ")", e);
        }
    }

    private String account(String registry) {
        return EcrClients.accountOf(registry).or(() -> registryId).orElse(null);
    }

    private static void stopIfInterrupted(SdkException e) {
        if (e instanceof AbortedException || Thread.currentThread().isInterrupted()) {
            throw new StopRequested("interrupted while asking ECR about image scans", e);
        }
    }

    private static String code(SdkException e) {
        return e instanceof AwsServiceException aws && aws.awsErrorDetails() != null
                ? aws.awsErrorDetails().errorCode() : "no answer: " + dev.freshen.retry.Failures.plainWords(e);
    }

}
