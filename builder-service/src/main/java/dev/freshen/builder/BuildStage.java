package dev.freshen.builder;

import dev.freshen.docker.ImageBuilder;
import dev.freshen.docker.BuildSpec;
import dev.freshen.docker.BuildLog;
import dev.freshen.docker.BuildFailure;
import dev.freshen.docker.EnginePlatforms;
import dev.freshen.descriptor.FromRewriter;
import dev.freshen.descriptor.Build;
import dev.freshen.descriptor.DescriptorException;
import dev.freshen.descriptor.PlatformImage;
import dev.freshen.descriptor.PlatformImageCatalog;
import dev.freshen.descriptor.Staging;
import dev.freshen.events.BaseImage;
import dev.freshen.events.BasePlatform;
import dev.freshen.events.FailureKind;
import dev.freshen.events.FreshenEvent;
import dev.freshen.events.ImageBuilt;
import dev.freshen.events.ImageLabels;
import dev.freshen.events.PipelineFailed;
import dev.freshen.events.Stage;
import dev.freshen.events.StageTiming;
import dev.freshen.events.image.Digest;
import dev.freshen.events.image.ImageReference;
import dev.freshen.events.image.Platform;
import dev.freshen.events.image.PlatformDigest;
import dev.freshen.registry.Credentials;
import dev.freshen.registry.CredentialsProvider;
import dev.freshen.registry.ImageConfig;
import dev.freshen.registry.ImageIndexes;
import dev.freshen.registry.Manifest;
import dev.freshen.registry.RegistryException;
import dev.freshen.retry.Failures;
import dev.freshen.retry.Retry;
import dev.freshen.retry.RetryMetrics;
import dev.freshen.retry.StopRequested;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Builds one run's platform image pinned to the run's base digests, pushes it as a candidate by digest, and says so:
 * {@code ImageBuilt}, or {@code PipelineFailed} (stage build) with the failing step and the end of the log.
 *
 * <p>Platforms: first the Docker engine is checked to build every platform of the image ({@link EnginePlatforms}: a
 * foreign platform needs a passing probe build under emulation; one that cannot be built fails the run permanently,
 * {@code platform-unsupported}, before anything is built or pushed). An image of one platform (native or foreign)
 * builds as a plain image manifest. An image of two or more platforms builds once per platform, in the descriptor's
 * order, always with BuildKit and {@code --platform}: each build pinned to that platform's manifests of the bases and
 * labelled with them, pushed as {@code candidate-<runId>-<os>-<arch>} and read back (its config must name the
 * platform); then an OCI image index of the children is put as {@code candidate-<runId>}, and the candidate is the
 * index.
 * One build per image at a time; a run whose build outcome was stated before ({@link BuildOutcomes}, kept on Kafka)
 * is answered with that outcome again without building (the candidate tag is not looked at: it is deleted once the
 * run has ended).
 *
 * <p>Retries (one layer per kind of failure): Docker engine trouble (the engine unreachable or failing a build or a
 * push transiently) is retried here, the whole attempt again, as {@link BuildSettings#retries()} says. Registry
 * lookups are not: the registry client retried each request already, so a transient registry failure ends the run
 * ({@code transient-exhausted}) at once. An interrupt (the service stopping) throws {@code StopRequested}: the
 * request is left for redelivery, no {@code PipelineFailed} is sent.
 */
public class BuildStage {

    private static final Logger LOG = Logger.getLogger(BuildStage.class);

    private final Function<String, PlatformImageCatalog.Scan> catalog;
    private final CandidateStore store;
    private final ImageBuilder engineApi;
    private final ImageBuilder buildKit;
    private final Function<java.nio.file.Path, Optional<String>> revisions;
    private final BuildSettings settings;
    private final Clock clock;
    private final CredentialsProvider credentials;
    private final Retry retry;
    private final BuildOutcomes outcomes;
    private final EnginePlatforms platforms;
    private final Map<String, Object> locks = new ConcurrentHashMap<>();

    public BuildStage(Function<String, PlatformImageCatalog.Scan> catalog, CandidateStore store, ImageBuilder engineApi,
                      ImageBuilder buildKit, Function<java.nio.file.Path, Optional<String>> revisions,
                      BuildSettings settings, Clock clock) {
        this(catalog, store, engineApi, buildKit, revisions, settings, clock, CredentialsProvider.NONE,
                new BuildOutcomes());
    }

    /**
     * @param credentials the credentials of a registry host, handed to the engine for the pulls of a build from it
     *                    (only for the registries of the build's bases)
     * @param outcomes    the final build outcomes stated before (by any instance); this stage adds its own
     */
    public BuildStage(Function<String, PlatformImageCatalog.Scan> catalog, CandidateStore store, ImageBuilder engineApi,
                      ImageBuilder buildKit, Function<java.nio.file.Path, Optional<String>> revisions,
                      BuildSettings settings, Clock clock, CredentialsProvider credentials, BuildOutcomes outcomes) {
        this(catalog, store, engineApi, buildKit, revisions, settings, clock, credentials, outcomes,
                new EnginePlatforms(settings::defaultPlatform, (platform, program) -> Optional.empty()));
    }

    /**
     * @param platforms the platforms the Docker engine builds (the other constructors trust the engine to build every
     *                  platform, its own being {@code freshen.registries.platform})
     */
    public BuildStage(Function<String, PlatformImageCatalog.Scan> catalog, CandidateStore store, ImageBuilder engineApi,
                      ImageBuilder buildKit, Function<java.nio.file.Path, Optional<String>> revisions,
                      BuildSettings settings, Clock clock, CredentialsProvider credentials, BuildOutcomes outcomes,
                      EnginePlatforms platforms) {
        this.platforms = platforms;
        this.catalog = catalog;
        this.outcomes = outcomes;
        this.credentials = credentials;
        this.store = store;
        this.engineApi = engineApi;
        this.buildKit = buildKit;
        this.revisions = revisions;
        this.settings = settings;
        this.clock = clock;
        this.retry = Retry.of(settings.retries(), BuildStage::isEngineTrouble)
                .operation("build")
                .reasonedBy(e -> RetryMetrics.reason(e, "docker-engine"))
                .describedBy(e -> e.getMessage() == null ? Failures.plainWords(e) : e.getMessage());
    }

    public FreshenEvent build(BuildRequest request) {
        Instant started = clock.instant();
        PlatformImageCatalog.Scan scan = catalog.apply(request.imageId());
        Optional<PlatformImage> found = scan.image(request.imageId());
        if (found.isEmpty()) {
            Optional<String> why = scan.errors().stream().filter(e -> e.file().startsWith(request.imageId() + "/"))
                    .map(DescriptorException::getMessage).findFirst();
            return failed(request, FailureKind.PERMANENT, why.isPresent() ? BuildProblems.DESCRIPTOR_INVALID
                    : BuildProblems.UNKNOWN_IMAGE, "unknown platform image: "
                    + why.orElse("no such folder with a platform-image.yaml"), null);
        }
        PlatformImage image = found.get();
        synchronized (locks.computeIfAbsent(image.id(), id -> new Object())) {
            Optional<FreshenEvent> known = outcomes.of(request);
            if (known.isPresent()) {
                LOG.infof("Run %s (%s): built before, answering %s again without building", request.runId(),
                        image.id(), known.get().type());
                return known.get();
            }
            String own = image.definition().hash();
            if (request.definition() != null && !request.definition().equals(own)) {
                // not remembered: the same request, redelivered once the folders agree, builds
                return failed(request, FailureKind.TRANSIENT_EXHAUSTED, BuildProblems.DEFINITION_MISMATCH, "the run was "
                        + "started for definition " + request.definition() + " of " + image.id() + ", but the builder's "
                        + "platform-images folder defines " + own + ": building it would label the image with what the "
                        + "run does not name", null);
            }
            FreshenEvent outcome;
            try {
                outcome = retry.get("build of run " + request.runId() + " (" + image.id() + ")",
                        () -> attempt(request, image, started));
            } catch (BuildFailure e) {
                LoggedBuildFailure logged = e instanceof LoggedBuildFailure l ? l : null;
                Platform platform = logged == null ? null : logged.platform;
                PipelineFailed failed = failed(request, e.kind(), e.code(), platform == null ? e.getMessage()
                        : platform + ": " + e.getMessage(), logged == null ? null : logged.excerpt);
                outcome = platform == null ? failed : failed.withPlatform(platform);
            }
            outcomes.remember(outcome);
            return outcome;
        }
    }

    /** Docker engine trouble: a transient build failure that no registry lookup caused (those were retried below). */
    static boolean isEngineTrouble(RuntimeException failure) {
        if (!(failure instanceof BuildFailure build) || build.kind() == FailureKind.PERMANENT) {
            return false;
        }
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof RegistryException) {
                return false;
            }
        }
        return true;
    }

    private FreshenEvent attempt(BuildRequest request, PlatformImage image, Instant started) {
        List<Platform> targets = image.descriptor().platformsOr(settings.defaultPlatform());
        platforms.check(targets);
        return targets.size() == 1 ? single(request, image, targets.get(0), started)
                : multi(request, image, targets, started);
    }

    /** One platform: a plain image manifest, as before multi-platform images. */
    private FreshenEvent single(BuildRequest request, PlatformImage image, Platform platform, Instant started) {
        String repository = settings.candidateRepository(image.descriptor().target().repository());
        String tag = Staging.candidateTag(request.runId());
        List<BaseImage> bases = bases(request, image, platform);
        Map<Platform, Map<ImageReference, ImageReference>> pins = new HashMap<>();
        Map<ImageReference, ImageReference> pinned = new LinkedHashMap<>();
        bases.forEach(b -> pinned.put(b.reference(), b.pinned()));
        pins.put(platform, pinned);
        Build build = image.descriptor().build();
        String dockerfile = pinned(image, platform, pins, bases, build);
        String localTag = localTag(request, image);
        ImageBuilder builder = build.buildkit() == Build.BuildKit.ALWAYS
                || build.buildkit() == Build.BuildKit.AUTO && image.dockerfile().requiresBuildKit() ? buildKit : engineApi;
        BuildLog log = new BuildLog(settings.logLines());
        LOG.infof("Run %s (%s): building with %s for %s from %s", request.runId(), image.id(), builder.name(), platform,
                pinned.values());
        try {
            builder.build(new BuildSpec(image.directory(), dockerfile, labels(request, image, bases, clock.instant(),
                    revisions.apply(image.directory())), build.args(), localTag, settings.buildTimeout(),
                    platform.toString(), registryCredentials(image)), log);
        } catch (BuildFailure e) {
            store.removeLocal(localTag);
            throw new LoggedBuildFailure(frontendUnavailable(e, image), log.tail(), null);
        }
        Digest digest = store.pushAndRemove(localTag, repository, tag);
        LOG.infof("Run %s (%s): candidate %s@%s (%d log lines, %d warnings)", request.runId(), image.id(), repository,
                digest, log.lineCount(), log.warnings().size());
        return built(request, bases, ImageReference.parse(repository + "@" + digest), log.warnings(), started);
    }

    /**
     * Two or more platforms: one BuildKit build per platform, in order, each pushed as its platform's candidate tag and
     * checked; then the index of them as the candidate.
     */
    private FreshenEvent multi(BuildRequest request, PlatformImage image, List<Platform> targets, Instant started) {
        String repository = settings.candidateRepository(image.descriptor().target().repository());
        List<BaseImage> bases = bases(request, image, targets);
        Map<Platform, Map<ImageReference, ImageReference>> pins = new HashMap<>();
        Instant created = clock.instant();
        Optional<String> revision = revisions.apply(image.directory());
        List<ImageIndexes.Entry> entries = new ArrayList<>();
        List<Digest> pushed = new ArrayList<>();
        Set<String> warnings = new LinkedHashSet<>();
        Digest index;
        try {
            for (Platform platform : targets) {
                entries.add(child(request, image, platform, bases, pins, created, revision, repository, pushed, warnings));
            }
            Map<String, String> annotations = new LinkedHashMap<>();
            annotations.put(ImageLabels.CREATED, created.toString());
            revision.ifPresent(r -> annotations.put(ImageLabels.REVISION, r));
            annotations.put(ImageLabels.RUN_ID, request.runId());
            annotations.put(ImageLabels.IMAGE_ID, image.id());
            index = store.putIndex(repository, Staging.candidateTag(request.runId()), entries, annotations);
        } catch (RuntimeException e) {
            // no index names them: the children pushed so far would be left in staging
            pushed.forEach(digest -> store.deleteStaged(repository, digest));
            throw e;
        }
        LOG.infof("Run %s (%s): candidate %s@%s, an image index of %s", request.runId(), image.id(), repository, index,
                targets);
        return built(request, bases, ImageReference.parse(repository + "@" + index), List.copyOf(warnings), started)
                .withManifests(entries.stream().map(e -> new PlatformDigest(e.platform(), e.digest())).toList());
    }

    /**
     * Builds {@code platform}'s image of a multi-platform candidate with BuildKit, pushes it under its platform's
     * candidate tag (its digest added to {@code pushed}) and checks that its config names the platform.
     *
     * @return its entry in the index: the final base of the platform and all its bases as annotations
     */
    private ImageIndexes.Entry child(BuildRequest request, PlatformImage image, Platform platform, List<BaseImage> bases,
                                     Map<Platform, Map<ImageReference, ImageReference>> pins, Instant created,
                                     Optional<String> revision, String repository, List<Digest> pushed,
                                     Set<String> warnings) {
        Build build = image.descriptor().build();
        List<BaseImage> own = bases.stream().map(b -> forPlatform(b, platform)).toList();
        String dockerfile = pinned(image, platform, pins, bases, build);
        String localTag = localTag(request, image) + "-" + platform.toString().replace('/', '-');
        BuildLog log = new BuildLog(settings.logLines());
        LOG.infof("Run %s (%s): building with %s for %s (%s) from %s", request.runId(), image.id(), buildKit.name(),
                platform, platforms.isNative(platform) ? "native" : "under emulation",
                own.stream().map(BaseImage::pinned).toList());
        try {
            buildKit.build(new BuildSpec(image.directory(), dockerfile, labels(request, image, own, created, revision),
                    build.args(), localTag, settings.buildTimeout(), platform.toString(), registryCredentials(image)), log);
        } catch (BuildFailure e) {
            store.removeLocal(localTag);
            throw new LoggedBuildFailure(frontendUnavailable(e, image), log.tail(), platform);
        }
        Manifest child = store.pushPlatform(localTag, repository, Staging.platformCandidateTag(request.runId(), platform));
        pushed.add(child.digest());
        ImageConfig config = store.childConfig(ImageReference.parse(repository + "@" + child.digest()));
        if (!platform.equals(config.platform())) {
            throw new LoggedBuildFailure(new BuildFailure(FailureKind.PERMANENT, BuildProblems.PLATFORM_UNSUPPORTED,
                    "the Docker engine built an image for " + (config.platform() == null ? "no platform"
                    : config.platform()) + " when asked for " + platform, null), log.tail(), platform);
        }
        warnings.addAll(log.warnings());
        LOG.infof("Run %s (%s): %s image %s@%s (%d log lines)", request.runId(), image.id(), platform, repository,
                child.digest(), log.lineCount());
        return ImageIndexes.entryOf(child, platform, baseAnnotations(image, own));
    }

    private static String localTag(BuildRequest request, PlatformImage image) {
        return "freshen-build/" + image.id().replace('/', '-').toLowerCase() + ":" + request.runId();
    }

    /** The annotations of a platform's entry in the index: the final base of that platform, and all its bases. */
    private static Map<String, String> baseAnnotations(PlatformImage image, List<BaseImage> bases) {
        Map<String, String> annotations = new LinkedHashMap<>();
        finalBase(image, bases).ifPresent(b -> {
            annotations.put(ImageLabels.BASE_NAME, b.reference().toString());
            annotations.put(ImageLabels.BASE_DIGEST, b.digest().toString());
        });
        annotations.put(ImageLabels.BASE_IMAGES, ImageLabels.baseImagesValue(bases.stream().map(BaseImage::pinned).toList()));
        return annotations;
    }

    private static Optional<BaseImage> finalBase(PlatformImage image, List<BaseImage> bases) {
        ImageReference finalBase = image.dockerfile().finalBase();
        return finalBase == null ? Optional.empty()
                : bases.stream().filter(b -> b.reference().equals(finalBase)).findFirst();
    }

    /** {@code base} as a single-platform base of {@code platform} (what that platform's build is labelled with). */
    private static BaseImage forPlatform(BaseImage base, Platform platform) {
        BasePlatform own = base.platforms().stream().filter(p -> p.platform().equals(platform)).findFirst()
                .orElseThrow(() -> new IllegalStateException("base " + base.reference() + " not resolved for " + platform));
        return new BaseImage(base.reference(), own.digest(), own.previousDigest(), platform)
                .withPinnedInDockerfile(base.pinnedInDockerfile());
    }

    /**
     * The credentials of the registries the image's build pulls from (its bases, watched and pinned, and its
     * {@code # syntax=} frontend), to pull them with; no others.
     */
    private Map<String, Credentials> registryCredentials(PlatformImage image) {
        Map<String, Credentials> byHost = new LinkedHashMap<>();
        image.dockerfile().registries().forEach(host -> credentials.credentialsFor(host).ifPresent(c -> byHost.put(host, c)));
        return byHost;
    }

    /**
     * The run's bases; a forced run (or a Dockerfile that gained a base since) resolves current digests first, and
     * takes the previous digest of each from the labels of the newest published version (where that is not known, it
     * stays unknown: the build does not depend on it). A base whose Dockerfile reference carries a digest too
     * ({@code name:tag@sha256:…}) says which ({@link BaseImage#pinnedInDockerfile()}): the run pins it again.
     * Digests resolved here are {@code platform}'s image manifests, as the watcher's are.
     */
    private List<BaseImage> bases(BuildRequest request, PlatformImage image, Platform platform) {
        Map<ImageReference, BaseImage> given = new LinkedHashMap<>();
        request.baseImages().forEach(b -> given.put(b.reference(), b));
        List<BaseImage> bases = new ArrayList<>();
        Map<ImageReference, Digest> published = null;
        for (ImageReference ref : image.baseImages()) {
            BaseImage base = given.get(ref);
            if (base == null) {
                Digest now = store.platformDigest(ref, platform).orElseThrow(() -> BuildFailure.permanent(
                        BuildFailure.IMAGE_MISSING, "base image " + ref + " does not exist upstream"));
                published = published != null ? published : publishedBases(request, image, platform);
                base = new BaseImage(ref, now, published.get(ref), platform);
            }
            bases.add(base.withPinnedInDockerfile(writtenDigest(image, ref)));
        }
        return bases;
    }

    /**
     * The run's bases for an image of several platforms, each resolved for every platform ({@link
     * BaseImage#platforms()}, in {@code targets} order; {@code digest}, {@code previousDigest} and {@code platform}
     * repeat the first). A platform the request did not resolve (a forced run, a base new in the Dockerfile, a request
     * from a watcher that resolved one platform) is resolved here, and its previous digest taken from the newest
     * published version's image of that platform.
     */
    private List<BaseImage> bases(BuildRequest request, PlatformImage image, List<Platform> targets) {
        Map<ImageReference, BaseImage> given = new LinkedHashMap<>();
        request.baseImages().forEach(b -> given.put(b.reference(), b));
        Map<Platform, Map<ImageReference, Digest>> published = new HashMap<>();
        List<BaseImage> bases = new ArrayList<>();
        for (ImageReference ref : image.baseImages()) {
            BaseImage base = given.get(ref);
            List<BasePlatform> resolved = new ArrayList<>();
            for (Platform platform : targets) {
                BasePlatform known = base == null ? null : resolvedFor(base, platform, targets.get(0));
                if (known == null) {
                    Digest now = store.platformDigest(ref, platform).orElseThrow(() -> BuildFailure.permanent(
                            BuildFailure.IMAGE_MISSING, "base image " + ref + " does not exist upstream"));
                    known = new BasePlatform(platform, now, published.computeIfAbsent(platform,
                            p -> publishedBases(request, image, p)).get(ref));
                }
                resolved.add(known);
            }
            BasePlatform first = resolved.get(0);
            BaseImage complete = base != null && base.platforms().equals(resolved) ? base
                    : new BaseImage(ref, first.digest(), first.previousDigest(), first.platform()).withPlatforms(resolved);
            bases.add(complete.withPinnedInDockerfile(writtenDigest(image, ref)));
        }
        return bases;
    }

    /**
     * What the request says {@code base} is for {@code platform}: its platforms entry, or, for a base resolved for one
     * platform only, its digest when that is {@code platform}'s (a base of unknown platform counts as the first's).
     */
    private static BasePlatform resolvedFor(BaseImage base, Platform platform, Platform first) {
        if (!base.platforms().isEmpty()) {
            return base.platforms().stream().filter(p -> p.platform().equals(platform)).findFirst().orElse(null);
        }
        Platform own = base.platform() == null ? first : base.platform();
        return own.equals(platform) ? new BasePlatform(platform, base.digest(), base.previousDigest()) : null;
    }

    /** What BuildKit says when it could not fetch an image (here: the frontend image). */
    private static final Pattern FETCH_FAILED = Pattern.compile(
            "failed to do request|failed to resolve|pull access denied|no such host|unauthorized|manifest unknown|not found");

    /**
     * {@code failure} as {@link BuildProblems#FRONTEND_UNAVAILABLE} when the Dockerfile names a frontend with
     * {@code # syntax=} and the build failed before reading it, on fetching that image (BuildKit fails "with frontend
     * gateway.v0" on a request for the image, naming its repository): the file is not at fault, the engine's access
     * to the frontend is. Any other failure as it is.
     */
    static BuildFailure frontendUnavailable(BuildFailure failure, PlatformImage image) {
        String syntax = image.dockerfile().syntax();
        String reason = failure.getMessage() == null ? "" : failure.getMessage();
        if (syntax == null || !reason.contains("gateway.v0") || !FETCH_FAILED.matcher(reason).find()) {
            return failure;
        }
        String repository = syntax.replaceFirst("[:@].*$", "");
        if (!reason.contains(repository)) {
            return failure;
        }
        return new BuildFailure(FailureKind.PERMANENT, BuildProblems.FRONTEND_UNAVAILABLE, "the Docker engine cannot fetch "
                + "the Dockerfile frontend " + syntax + " that the '# syntax=' line of " + image.id() + "/"
                + image.descriptor().build().dockerfile() + " names: " + reason, failure);
    }

    /** The digest the Dockerfile's first reference to {@code base} carries ({@code name:tag@digest}), or null. */
    private static Digest writtenDigest(PlatformImage image, ImageReference base) {
        return image.dockerfile().images().stream()
                .filter(i -> i.read() && base.equals(i.watched()) && i.reference().isPinned())
                .map(i -> i.reference().digest()).findFirst().orElse(null);
    }

    private Map<ImageReference, Digest> publishedBases(BuildRequest request, PlatformImage image, Platform platform) {
        var target = image.descriptor().target();
        try {
            return store.publishedBases(settings.targetRegistry(), target.repository(), target.tagPrefix(), platform);
        } catch (StopRequested e) {
            throw e;
        } catch (RuntimeException e) {
            LOG.warnf("Run %s (%s): what the published version was built from is not known (%s); the bases' previous "
                    + "digests stay unknown", request.runId(), image.id(), e.getMessage() == null ? Failures.plainWords(e)
                    : e.getMessage());
            return Map.of();
        }
    }

    /** The labels of a build from {@code bases} (of its platform), created at {@code created}. */
    private static Map<String, String> labels(BuildRequest request, PlatformImage image, List<BaseImage> bases,
                                              Instant created, Optional<String> revision) {
        Map<String, String> labels = new LinkedHashMap<>(baseAnnotations(image, bases));
        labels.put(ImageLabels.CREATED, created.toString());
        revision.ifPresent(r -> labels.put(ImageLabels.REVISION, r));
        labels.put(ImageLabels.RUN_ID, request.runId());
        labels.put(ImageLabels.IMAGE_ID, image.id());
        labels.put(ImageLabels.DEFINITION, image.definition().hash());
        image.definition().filesLabel().ifPresent(files -> labels.put(ImageLabels.DEFINITION_FILES, files));
        return labels;
    }

    private ImageBuilt built(BuildRequest request, List<BaseImage> bases, ImageReference candidate, List<String> warnings,
                             Instant started) {
        Instant finished = clock.instant();
        return new ImageBuilt(request.runId(), request.imageId(), 1, finished, request.trigger(), bases, candidate, warnings,
                List.of(new StageTiming(Stage.BUILD, started, finished)));
    }

    private PipelineFailed failed(BuildRequest request, FailureKind kind, String code, String reason, String excerpt) {
        LOG.warnf("Run %s (%s): build failed (%s, %s): %s", request.runId(), request.imageId(), kind.id(), code, reason);
        return new PipelineFailed(request.runId(), request.imageId(), 1, clock.instant(), Stage.BUILD, kind, reason, excerpt,
                request.trigger()).withProblem(code, BuildProblems.hint(code, request.imageId(), settings));
    }

    /**
     * The image's Dockerfile with every watched base pinned to the run's digest for {@code platform} (only the
     * references change); a {@code FROM --platform=$BUILDPLATFORM} (or another platform) is pinned to that platform's
     * manifest, resolved here when the run has none for it ({@link FromRewriter#pinAll(String, Platform, Platform,
     * BiFunction, Map)}).
     *
     * @param pins the pinned bases by platform, filled in as needed
     * @throws BuildFailure {@link BuildProblems#DOCKERFILE_INVALID}, permanent, when the file cannot be read or pinned
     *                      (it changed on disk since the catalog read it): never an exception that would
     *                      dead-letter the request
     */
    private String pinned(PlatformImage image, Platform platform, Map<Platform, Map<ImageReference, ImageReference>> pins,
                          List<BaseImage> bases, Build build) {
        String shown = image.id() + "/" + build.dockerfile();
        String text;
        try {
            text = Files.readString(image.dockerfilePath());
        } catch (IOException e) {
            throw BuildFailure.permanent(BuildProblems.DOCKERFILE_INVALID, "cannot read " + shown + " ("
                    + Failures.plainWords(e) + ")");
        }
        BiFunction<ImageReference, Platform, ImageReference> pinnedFor = (base, p) -> pins
                .computeIfAbsent(p, q -> new LinkedHashMap<>()).computeIfAbsent(base, ref -> {
                    Optional<BaseImage> run = bases.stream().filter(b -> b.reference().equals(ref)).findFirst();
                    Optional<Digest> known = run.flatMap(b -> b.platforms().stream()
                            .filter(e -> e.platform().equals(p)).map(BasePlatform::digest).findFirst());
                    return ref.withDigest(known.orElseGet(() -> store.platformDigest(ref, p).orElseThrow(() ->
                            BuildFailure.permanent(BuildFailure.IMAGE_MISSING, "base image " + ref + " has no image for "
                                    + p + " upstream"))));
                });
        try {
            return FromRewriter.pinAll(text, platform, platforms.nativePlatform(), pinnedFor, build.args());
        } catch (IllegalArgumentException e) {
            throw BuildFailure.permanent(BuildProblems.DOCKERFILE_INVALID, "cannot pin the bases of " + shown + ": "
                    + e.getMessage());
        }
    }

    /** A build failure with the end of its log, and the platform whose build failed (null: not one of several). */
    private static final class LoggedBuildFailure extends BuildFailure {
        private final String excerpt;
        private final Platform platform;

        LoggedBuildFailure(BuildFailure cause, String excerpt, Platform platform) {
            super(cause.kind(), cause.code(), cause.getMessage(), cause);
            this.excerpt = excerpt;
            this.platform = platform;
        }
    }
}
