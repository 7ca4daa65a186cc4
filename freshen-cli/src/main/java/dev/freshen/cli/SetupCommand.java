package dev.freshen.cli;

import dev.freshen.descriptor.PlatformImageCatalog;
import dev.freshen.descriptor.Staging;
import dev.freshen.ecr.EcrClients;
import dev.freshen.ecr.setup.EcrSetupException;
import dev.freshen.ecr.setup.Encryption;
import dev.freshen.ecr.setup.LayoutRefusedException;
import dev.freshen.ecr.setup.LayoutSettings;
import dev.freshen.ecr.setup.LifecyclePolicy;
import dev.freshen.ecr.setup.RepositoryLayout;
import dev.freshen.ecr.setup.RepositorySetup;
import dev.freshen.ecr.setup.RepositorySpec;
import dev.freshen.ecr.setup.RepositoryState;
import dev.freshen.ecr.setup.TagMutability;
import dev.freshen.retry.RetryPolicy;
import picocli.CommandLine;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.ecr.EcrClient;

import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@code freshen setup [--dry-run]}: the ECR repositories the platform images need (target and staging, settings
 * computed over every descriptor as the publisher computes them), created ahead of the first build so that neither the
 * builder nor the publisher needs {@code CreateRepository}; existing ones are compared and drift reported, never
 * changed. AWS credentials from the AWS default chain. Exit 0: every repository as wanted (or created); 1: drift, a
 * refused layout, or an ECR failure; 2: bad arguments.
 */
@CommandLine.Command(name = "setup", mixinStandardHelpOptions = true,
        description = {"Create the AWS ECR repositories the platform images publish to, with the settings they must have "
                + "(tag mutability computed over every image sharing a repository, scan on push, encryption, a staging "
                + "repository per target with a lifecycle policy for candidates). Existing repositories are compared and "
                + "any drift is reported with its fix, never changed.",
                "Reads the same settings as the publisher (FRESHEN_TARGET_REGISTRY, FRESHEN_PUBLISHER_ECR_*); AWS "
                        + "credentials from the AWS default chain (environment, profile, SSO, roles).",
                "Exit 0 when every repository is as wanted (or was created), 1 on drift, a layout ECR cannot express, "
                        + "or an ECR failure."})
public class SetupCommand implements Callable<Integer> {

    @CommandLine.Option(names = "--dry-run", description = "print the plan, create nothing")
    boolean dryRun;

    @CommandLine.Option(names = "--platform-images", paramLabel = "DIR",
            defaultValue = "${env:FRESHEN_PLATFORM_IMAGES_DIR:-platform-images}",
            description = "the platform-images folder (default: ${DEFAULT-VALUE}; env FRESHEN_PLATFORM_IMAGES_DIR)")
    Path platformImages;

    @CommandLine.Option(names = "--registry", paramLabel = "HOST", defaultValue = "${env:FRESHEN_TARGET_REGISTRY}",
            description = "the ECR registry host, <account>.dkr.ecr.<region>.amazonaws.com (env FRESHEN_TARGET_REGISTRY)")
    String registry;

    @CommandLine.Option(names = "--region", paramLabel = "REGION", defaultValue = "${env:FRESHEN_PUBLISHER_ECR_REGION}",
            description = "the AWS region (default: from --registry, else the AWS default region chain)")
    String region;

    @CommandLine.Option(names = "--registry-id", paramLabel = "ACCOUNT",
            defaultValue = "${env:FRESHEN_PUBLISHER_ECR_REGISTRY_ID}",
            description = "the registry's AWS account id (default: from --registry, else the credentials' account)")
    String registryId;

    @CommandLine.Option(names = "--endpoint", paramLabel = "URL", defaultValue = "${env:FRESHEN_PUBLISHER_ECR_ENDPOINT}",
            description = "another ECR API endpoint (VPC endpoint, FIPS, a test double)")
    URI endpoint;

    @CommandLine.Option(names = "--tag-mutability", paramLabel = "MODE",
            defaultValue = "${env:FRESHEN_PUBLISHER_ECR_TAG_MUTABILITY:-mutable-with-exclusion}",
            converter = MutabilityConverter.class,
            description = "mutable-with-exclusion, immutable-with-exclusion, immutable or mutable (default: ${DEFAULT-VALUE})")
    TagMutability tagMutability;

    @CommandLine.Option(names = "--exclusion-filter", paramLabel = "FILTER", split = ",",
            defaultValue = "${env:FRESHEN_PUBLISHER_ECR_EXCLUSION_FILTERS}",
            description = "a wildcard filter added to the computed ones; repeat or separate with commas")
    List<String> exclusionFilters;

    @CommandLine.Option(names = "--scan-on-push", paramLabel = "true|false", arity = "1",
            defaultValue = "${env:FRESHEN_PUBLISHER_ECR_SCAN_ON_PUSH:-true}",
            description = "whether repositories scan each image on push (default: ${DEFAULT-VALUE})")
    boolean scanOnPush;

    @CommandLine.Option(names = "--encryption", paramLabel = "aes256|kms",
            defaultValue = "${env:FRESHEN_PUBLISHER_ECR_ENCRYPTION:-aes256}", converter = EncryptionConverter.class,
            description = "the encryption of new repositories (default: ${DEFAULT-VALUE})")
    Encryption.Type encryption;

    @CommandLine.Option(names = "--kms-key", paramLabel = "KEY", defaultValue = "${env:FRESHEN_PUBLISHER_ECR_KMS_KEY}",
            description = "with --encryption kms: the key (ARN, id or alias; default the AWS-managed key aws/ecr)")
    String kmsKey;

    @CommandLine.Option(names = "--staging-repository", paramLabel = "TEMPLATE",
            defaultValue = "${env:FRESHEN_BUILDER_STAGING_REPOSITORY:-" + Staging.DEFAULT_TEMPLATE + "}",
            description = "the builder's staging repository ({repository} stands for each target repository; "
                    + "default: ${DEFAULT-VALUE})")
    String stagingRepository;

    @CommandLine.Option(names = "--candidate-expiry-days", paramLabel = "DAYS",
            defaultValue = "${env:FRESHEN_PUBLISHER_ECR_CANDIDATE_EXPIRY_DAYS:-7}",
            description = "days after their push when staging repositories expire candidate and untagged images "
                    + "(default: ${DEFAULT-VALUE})")
    int candidateExpiryDays;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        LayoutSettings settings = settings();
        if (!Files.isDirectory(platformImages)) {
            throw new CliException("the platform-images folder " + platformImages.toAbsolutePath() + " does not exist; "
                    + "run from the folder holding it, or set --platform-images or FRESHEN_PLATFORM_IMAGES_DIR");
        }
        PlatformImageCatalog.Scan scan = new PlatformImageCatalog(platformImages).scan();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        scan.errors().forEach(e -> err.println("freshen: skipped " + e.file() + ": " + e.getMessage()));
        RepositoryLayout layout;
        try {
            layout = RepositoryLayout.ofImages(scan.images().values(), settings);
        } catch (LayoutRefusedException e) {
            throw new CliException("the ECR repositories cannot be set up for these platform images:\n  "
                    + String.join("\n  ", e.problems()));
        }
        String host = registry == null || registry.isBlank() ? null : registry.strip();
        String account = registryId != null && !registryId.isBlank() ? registryId
                : host == null ? null : EcrClients.accountOf(host).orElse(null);
        Optional<String> awsRegion = Optional.ofNullable(region).filter(r -> !r.isBlank())
                .or(() -> host == null ? Optional.empty() : EcrClients.regionOf(host));
        int created = 0;
        int drifted = 0;
        int upToDate = 0;
        int missing = 0;
        try (EcrClient ecr = client(awsRegion)) {
            RepositorySetup setup = new RepositorySetup(ecr, account);
            out.println((dryRun ? "Plan for " : "Setting up ") + (account == null ? "the default registry"
                    : "registry " + account) + " (" + scan.images().size() + " platform images, "
                    + layout.repositories().size() + " repositories):");
            for (RepositorySpec repository : layout.repositories()) {
                RepositoryState state = setup.check(repository);
                switch (state.status()) {
                    case UP_TO_DATE -> {
                        upToDate++;
                        out.println("  up to date  " + repository.name());
                    }
                    case MISSING -> {
                        if (dryRun) {
                            missing++;
                            out.println("  to create   " + describe(repository, settings));
                        } else {
                            RepositoryState after = setup.create(repository);
                            if (after.status() == RepositoryState.Status.DRIFT) {
                                drifted++;
                                printDrift(out, after);
                            } else {
                                created++;
                                out.println("  created     " + describe(repository, settings));
                            }
                        }
                    }
                    case DRIFT -> {
                        drifted++;
                        printDrift(out, state);
                    }
                }
                out.flush();
            }
            Optional<Boolean> mounting = setup.blobMounting();
            if (mounting.isPresent() && !mounting.get()) {
                out.println("Blob mounting is off in this registry: the publisher copies candidates into target "
                        + "repositories instead of mounting them; turn it on with "
                        + "'aws ecr put-account-setting --name BLOB_MOUNTING --value ENABLED'");
            }
        } catch (EcrSetupException e) {
            throw new CliException(e.getMessage() + "; check the AWS credentials, region and the IAM policy "
                    + "(docs/production.md)");
        } catch (SdkException e) {
            throw new CliException("the ECR API cannot be used: " + e.getMessage() + "; check the AWS credentials and "
                    + "region (--region, AWS_REGION)");
        }
        List<String> summary = new ArrayList<>();
        if (created > 0) {
            summary.add(created + " created");
        }
        if (missing > 0) {
            summary.add(missing + " to create");
        }
        summary.add(upToDate + " up to date");
        if (drifted > 0) {
            summary.add(drifted + " with drift (fix each as shown; Freshen never changes an existing repository)");
        }
        out.println(String.join(", ", summary) + (dryRun ? "; nothing was changed (--dry-run)" : ""));
        out.flush();
        return drifted > 0 ? 1 : 0;
    }

    private LayoutSettings settings() {
        List<String> filters = exclusionFilters == null ? List.of()
                : exclusionFilters.stream().map(String::strip).filter(f -> !f.isEmpty()).toList();
        try {
            return new LayoutSettings(tagMutability, filters, scanOnPush, new Encryption(encryption, kmsKey),
                    staging()::repositoryFor, candidateExpiryDays);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    /** The builder's staging naming ({@code --staging-repository}), checked. */
    private Staging staging() {
        try {
            return new Staging(Optional.empty(), stagingRepository);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--staging-repository: " + e.getMessage());
        }
    }

    private EcrClient client(Optional<String> awsRegion) {
        try {
            return EcrClients.create(awsRegion, Optional.ofNullable(endpoint), Duration.ofSeconds(30),
                    new RetryPolicy(4, Duration.ofSeconds(1), Duration.ofSeconds(20)));
        } catch (IllegalStateException e) {
            throw new CliException("no AWS region for ECR; set --region, AWS_REGION, or --registry to an ECR host "
                    + "(<account>.dkr.ecr.<region>.amazonaws.com)");
        }
    }

    private static void printDrift(PrintWriter out, RepositoryState state) {
        out.println("  drift       " + state.spec().name());
        state.drifts().forEach(d -> out.println("      " + d.setting() + ": is " + d.found() + ", wanted " + d.wanted()
                + "\n        fix: " + d.fix()));
    }

    private static String describe(RepositorySpec repository, LayoutSettings settings) {
        StringBuilder text = new StringBuilder(repository.name()).append(": ").append(repository.describeMutability())
                .append(", scan on push ").append(repository.scanOnPush() ? "on" : "off")
                .append(", encryption ").append(repository.encryption());
        if (repository.lifecyclePolicy() != null) {
            text.append(", lifecycle policy: ").append(LifecyclePolicy.describe(settings.candidateExpiryDays()));
        }
        text.append(" (").append(String.join(", ", repository.imageIds())).append(")");
        return text.toString();
    }

    /** {@code mutable-with-exclusion} as typed (and the ECR spelling {@code MUTABLE_WITH_EXCLUSION}). */
    static final class MutabilityConverter implements CommandLine.ITypeConverter<TagMutability> {
        @Override
        public TagMutability convert(String value) {
            try {
                return TagMutability.valueOf(value.strip().toUpperCase(Locale.ROOT).replace('-', '_'));
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException("'" + value + "' is not one of mutable-with-exclusion, "
                        + "immutable-with-exclusion, immutable, mutable");
            }
        }
    }

    /** {@code aes256} or {@code kms}, any case. */
    static final class EncryptionConverter implements CommandLine.ITypeConverter<Encryption.Type> {
        @Override
        public Encryption.Type convert(String value) {
            try {
                return Encryption.Type.valueOf(value.strip().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException("'" + value + "' is not one of aes256, kms");
            }
        }
    }
}
