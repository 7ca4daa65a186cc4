package dev.freshen.ecr.setup;

import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.ecr.model.EncryptionConfiguration;
import software.amazon.awssdk.services.ecr.model.ImageTagMutability;
import software.amazon.awssdk.services.ecr.model.ImageTagMutabilityExclusionFilter;
import software.amazon.awssdk.services.ecr.model.ImageTagMutabilityExclusionFilterType;
import software.amazon.awssdk.services.ecr.model.LifecyclePolicyNotFoundException;
import software.amazon.awssdk.services.ecr.model.Repository;
import software.amazon.awssdk.services.ecr.model.RepositoryAlreadyExistsException;
import software.amazon.awssdk.services.ecr.model.RepositoryNotFoundException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Brings a {@link RepositoryLayout} to ECR through the ECR API: {@link #check} compares each repository with the
 * registry ({@code DescribeRepositories} one name at a time, since a missing name fails the whole call, and
 * {@code GetLifecyclePolicy} for staging repositories); {@link #create} makes a missing one
 * ({@code CreateRepository} with {@code imageTagMutability}, its exclusion filters,
 * {@code imageScanningConfiguration} and {@code encryptionConfiguration}, then {@code PutLifecyclePolicy} for staging).
 * Existing repositories are never changed: a difference is a {@link Drift} to report.
 */
public final class RepositorySetup {

    /**
     * ECR's account setting for cross-repository blob mounting
     * ({@code aws ecr put-account-setting --name BLOB_MOUNTING --value ENABLED}).
     */
    public static final String BLOB_MOUNTING = "BLOB_MOUNTING";

    private final EcrClient ecr;
    private final String registryId;

    /** @param registryId the registry's account id, or null for the default registry of the credentials */
    public RepositorySetup(EcrClient ecr, String registryId) {
        this.ecr = ecr;
        this.registryId = registryId;
    }

    /** Each repository of the layout, compared with the registry, in layout order. */
    public List<RepositoryState> check(RepositoryLayout layout) {
        List<RepositoryState> states = new ArrayList<>();
        for (RepositorySpec spec : layout.repositories()) {
            states.add(check(spec));
        }
        return states;
    }

    /** One repository compared with the registry. */
    public RepositoryState check(RepositorySpec spec) {
        Optional<Repository> found = describe(spec.name());
        if (found.isEmpty()) {
            return new RepositoryState(spec, RepositoryState.Status.MISSING, List.of());
        }
        List<Drift> drifts = drifts(spec, found.get());
        return new RepositoryState(spec, drifts.isEmpty() ? RepositoryState.Status.UP_TO_DATE : RepositoryState.Status.DRIFT,
                drifts);
    }

    /**
     * Creates a missing repository with the settings of {@code spec} (and its lifecycle policy). When someone else
     * created it meanwhile, it is compared instead.
     *
     * @return the state after: {@link RepositoryState.Status#UP_TO_DATE} when created
     */
    public RepositoryState create(RepositorySpec spec) {
        List<ImageTagMutabilityExclusionFilter> filters = spec.exclusionFilters().stream()
                .map(f -> ImageTagMutabilityExclusionFilter.builder()
                        .filterType(ImageTagMutabilityExclusionFilterType.WILDCARD).filter(f).build())
                .toList();
        try {
            ecr.createRepository(r -> r.registryId(registryId).repositoryName(spec.name())
                    .imageTagMutability(ImageTagMutability.fromValue(spec.tagMutability().name()))
                    .imageTagMutabilityExclusionFilters(filters.isEmpty() ? null : filters)
                    .imageScanningConfiguration(s -> s.scanOnPush(spec.scanOnPush()))
                    .encryptionConfiguration(encryption(spec.encryption())));
        } catch (RepositoryAlreadyExistsException e) {
            return check(spec);
        } catch (SdkException e) {
            throw failure("CreateRepository", spec.name(), e);
        }
        if (spec.lifecyclePolicy() != null) {
            try {
                ecr.putLifecyclePolicy(r -> r.registryId(registryId).repositoryName(spec.name())
                        .lifecyclePolicyText(spec.lifecyclePolicy()));
            } catch (SdkException e) {
                throw failure("PutLifecyclePolicy", spec.name(), e);
            }
        }
        return new RepositoryState(spec, RepositoryState.Status.UP_TO_DATE, List.of());
    }

    /**
     * Whether the registry mounts blobs across repositories ({@code GetAccountSetting} {@value #BLOB_MOUNTING}):
     * true when {@code ENABLED}, false for any other value; empty when ECR does not answer it (an older region, no
     * {@code ecr:GetAccountSetting} right).
     */
    public Optional<Boolean> blobMounting() {
        try {
            String value = ecr.getAccountSetting(r -> r.name(BLOB_MOUNTING)).value();
            return Optional.of("ENABLED".equals(value));
        } catch (SdkException e) {
            return Optional.empty();
        }
    }

    private Optional<Repository> describe(String name) {
        try {
            return ecr.describeRepositories(r -> r.registryId(registryId).repositoryNames(name)).repositories().stream()
                    .filter(r -> name.equals(r.repositoryName())).findFirst();
        } catch (RepositoryNotFoundException e) {
            return Optional.empty();
        } catch (SdkException e) {
            throw failure("DescribeRepositories", name, e);
        }
    }

    private List<Drift> drifts(RepositorySpec spec, Repository found) {
        List<Drift> drifts = new ArrayList<>();
        String name = spec.name();
        List<String> foundFilters = found.imageTagMutabilityExclusionFilters().stream()
                .map(ImageTagMutabilityExclusionFilter::filter).toList();
        if (!spec.tagMutability().name().equals(found.imageTagMutabilityAsString())
                || !new HashSet<>(spec.exclusionFilters()).equals(new HashSet<>(foundFilters))) {
            String foundText = found.imageTagMutabilityAsString() + (foundFilters.isEmpty() ? ""
                    : " (filters: " + String.join(", ", foundFilters) + ")");
            String fix = "aws ecr put-image-tag-mutability" + registryOption() + " --repository-name " + name
                    + " --image-tag-mutability " + spec.tagMutability().name()
                    + (spec.exclusionFilters().isEmpty() ? "" : " --image-tag-mutability-exclusion-filters "
                    + spec.exclusionFilters().stream().map(f -> "filterType=WILDCARD,filter=" + f)
                    .collect(Collectors.joining(" ")));
            drifts.add(new Drift(name, "tag mutability", spec.describeMutability(), foundText, fix));
        }
        boolean scanOnPush = found.imageScanningConfiguration() != null
                && Boolean.TRUE.equals(found.imageScanningConfiguration().scanOnPush());
        if (scanOnPush != spec.scanOnPush()) {
            drifts.add(new Drift(name, "scan on push", onOff(spec.scanOnPush()), onOff(scanOnPush),
                    "aws ecr put-image-scanning-configuration" + registryOption() + " --repository-name " + name
                            + " --image-scanning-configuration scanOnPush=" + spec.scanOnPush()));
        }
        EncryptionConfiguration encryption = found.encryptionConfiguration();
        String foundType = encryption == null ? "AES256" : encryption.encryptionTypeAsString();
        String foundKey = encryption == null ? null : encryption.kmsKey();
        if (!spec.encryption().isSatisfiedBy(foundType, foundKey)) {
            drifts.add(new Drift(name, "encryption", spec.encryption().toString(),
                    foundType + (foundKey == null ? "" : " " + foundKey),
                    "the encryption of an ECR repository cannot be changed: set freshen.publisher.ecr.encryption"
                            + " (and kms-key) to what the repository has, or create the repository anew (moving its"
                            + " images); ECR mounts blobs between repositories of the same encryption only"));
        }
        if (spec.lifecyclePolicy() != null) {
            String policy = lifecyclePolicy(name);
            if (!LifecyclePolicy.sameDocument(spec.lifecyclePolicy(), policy)) {
                drifts.add(new Drift(name, "lifecycle policy", "Freshen's (" + spec.lifecyclePolicy() + ")",
                        policy == null ? "none" : "another policy (" + policy.strip() + ")",
                        "aws ecr put-lifecycle-policy" + registryOption() + " --repository-name " + name
                                + " --lifecycle-policy-text '" + spec.lifecyclePolicy() + "'"));
            }
        }
        return drifts;
    }

    private String lifecyclePolicy(String name) {
        try {
            return ecr.getLifecyclePolicy(r -> r.registryId(registryId).repositoryName(name)).lifecyclePolicyText();
        } catch (LifecyclePolicyNotFoundException e) {
            return null;
        } catch (SdkException e) {
            throw failure("GetLifecyclePolicy", name, e);
        }
    }

    private String registryOption() {
        return registryId == null ? "" : " --registry-id " + registryId;
    }

    private static EncryptionConfiguration encryption(Encryption encryption) {
        return EncryptionConfiguration.builder().encryptionType(encryption.type().name()).kmsKey(encryption.kmsKey()).build();
    }

    private static String onOff(boolean on) {
        return on ? "on" : "off";
    }

    private EcrSetupException failure(String operation, String repository, SdkException e) {
        String where = "ECR " + operation + " for repository " + repository + " in "
                + (registryId == null ? "the default registry" : "registry " + registryId);
        if (e instanceof AwsServiceException service) {
            var details = service.awsErrorDetails();
            String code = details == null || details.errorCode() == null ? "UnknownError" : details.errorCode();
            String message = details == null || details.errorMessage() == null ? "" : ": " + details.errorMessage();
            boolean transientFailure = service.isThrottlingException() || service.statusCode() >= 500
                    || service.statusCode() == 429;
            return new EcrSetupException(where + " failed: " + code + message, transientFailure, e);
        }
        return new EcrSetupException(where + " failed: " + e.getMessage(), isIoOrTimeout(e), e);
    }

    private static boolean isIoOrTimeout(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof IOException || t instanceof UncheckedIOException || t instanceof ApiCallTimeoutException
                    || t instanceof ApiCallAttemptTimeoutException) {
                return true;
            }
        }
        return false;
    }
}
