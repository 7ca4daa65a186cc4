package dev.freshen.tester;

import dev.freshen.descriptor.DescriptorException;
import dev.freshen.descriptor.Dockerfile;
import dev.freshen.descriptor.FromRewriter;
import dev.freshen.descriptor.IntegrationTest;
import dev.freshen.descriptor.PlatformImage;
import dev.freshen.descriptor.PlatformImageCatalog;
import dev.freshen.docker.BuildFailure;
import dev.freshen.docker.BuildLog;
import dev.freshen.docker.BuildSpec;
import dev.freshen.docker.EngineErrors;
import dev.freshen.events.CheckResult;
import dev.freshen.events.Durations;
import dev.freshen.events.FailureKind;
import dev.freshen.events.FreshenEvent;
import dev.freshen.events.ImageBuilt;
import dev.freshen.events.ImageVerified;
import dev.freshen.events.PipelineFailed;
import dev.freshen.events.Stage;
import dev.freshen.events.StageTiming;
import dev.freshen.events.image.ImageReference;
import dev.freshen.events.image.Platform;
import dev.freshen.events.image.PlatformDigest;
import dev.freshen.registry.RegistryException;
import dev.freshen.retry.Failures;
import dev.freshen.retry.Retry;
import dev.freshen.retry.RetryMetrics;
import dev.freshen.retry.StopRequested;
import dev.freshen.tester.http.AppProbe;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Proves a candidate, by digest: the descriptor's policy checks against the candidate itself, then the integration-test
 * application built FROM the candidate, run with its port on 127.0.0.1, and sent the descriptor's request. A failing
 * check or test is a real failure, ended at once as permanent with the problem's code, reason and hint
 * ({@link Problems}): the app's mistakes (it exits, cannot start, listens elsewhere, answers wrongly, does not build)
 * are told apart from the engine's trouble. Only Docker trouble is retried (the candidate's pull, the application
 * build, the containers), the whole attempt again, as {@link TesterSettings#retries()} says; an interrupt throws
 * {@code StopRequested} (the request is left for redelivery). Containers and images of a test are always removed.
 * A redelivered request for a run already tested (same run, same candidate digest; by this
 * instance or, as read from the output topics, by any instance before) is answered with the same outcome.
 *
 * <p>Once checks and test passed (and the candidate's containers and images are removed), the registry's scan of the
 * candidate is waited for and judged ({@link ScanCheck}): its result goes into {@code ImageVerified.scan}, and the
 * descriptor's {@code scan.failOn} may still end the run.
 *
 * <p><b>Multi-platform candidates</b> ({@code ImageBuilt.manifests} not empty; the candidate is an image index): each
 * platform's child is tested by its own digest, the engine's own platform first (a cheap failure comes first), then
 * the others in index order, each pulled, checked and run for its platform. File, label, user and environment checks
 * read created containers, so they need no emulation; check commands and the integration-test app run under QEMU user
 * emulation on a foreign platform, whose app is built with BuildKit for it. There the app build, a check command and
 * the app's start-up may take {@link TesterSettings#emulationTimeoutFactor()} times longer, and the results say
 * "under emulation". The app is tested on the platforms of {@code integrationTest.platforms} (default: all). Every
 * result names its platform; the first failing platform ends the run, {@code PipelineFailed.platform} names it and
 * its reason starts with it ("linux/arm64: ..."). A foreign platform the engine cannot run ("exec format error", "no
 * emulator available") fails permanently as {@code platform-unsupported}. Each child is scanned and gated; the first
 * platform's findings go into {@code ImageVerified.scan}. A single-platform candidate is tested as it always was.
 */
public class VerificationStage {

    private static final Logger LOG = Logger.getLogger(VerificationStage.class);

    private final Function<String, PlatformImageCatalog.Scan> catalog;
    private final CandidateRuntime runtime;
    private final AppProbe probe;
    private final TesterSettings settings;
    private final Clock clock;
    private final RunOutcomes outcomes;
    private final Retry retry;
    private final ScanCheck scanCheck;
    private final Map<String, Object> locks = new java.util.concurrent.ConcurrentHashMap<>();

    /** A stage that reads no image scans. */
    public VerificationStage(Function<String, PlatformImageCatalog.Scan> catalog, CandidateRuntime runtime, AppProbe probe,
                             TesterSettings settings, RunOutcomes outcomes, Clock clock) {
        this(catalog, runtime, probe, settings, outcomes, clock, ScanCheck.NONE);
    }

    public VerificationStage(Function<String, PlatformImageCatalog.Scan> catalog, CandidateRuntime runtime, AppProbe probe,
                             TesterSettings settings, RunOutcomes outcomes, Clock clock, ScanCheck scanCheck) {
        this.catalog = catalog;
        this.scanCheck = scanCheck;
        this.outcomes = outcomes;
        this.runtime = runtime;
        this.probe = probe;
        this.settings = settings;
        this.clock = clock;
        this.retry = Retry.of(settings.retries(), VerificationStage::isDockerTrouble)
                .operation("test")
                .reasonedBy(e -> RetryMetrics.reason(e, "docker-engine"))
                .describedBy(e -> e.getMessage() == null ? Failures.plainWords(e) : e.getMessage());
    }

    /** Tests one candidate; one image is tested once at a time, different images in parallel. */
    public FreshenEvent verify(ImageBuilt built) {
        synchronized (locks.computeIfAbsent(built.imageId(), id -> new Object())) {
            Optional<FreshenEvent> known = outcomes.of(built);
            if (known.isPresent()) {
                LOG.infof("Run %s (%s): %s already tested, answering %s again", built.runId(), built.imageId(),
                        built.candidate().digest().shortHex(), known.get().type());
                return known.get();
            }
            FreshenEvent outcome = verifyOnce(built);
            outcomes.remember(outcome);
            return outcome;
        }
    }

    private FreshenEvent verifyOnce(ImageBuilt built) {
        Instant started = clock.instant();
        PlatformImageCatalog.Scan scan = catalog.apply(built.imageId());
        Optional<PlatformImage> image = scan.image(built.imageId());
        if (image.isEmpty()) {
            return failed(built, FailureKind.PERMANENT, scan.errors().stream()
                    .filter(e -> e.file().startsWith(built.imageId() + "/")).map(DescriptorException::getMessage)
                    .findFirst().map(error -> Problems.descriptorInvalid(built.imageId(), error))
                    .orElseGet(() -> Problems.unknownImage(built.imageId())));
        }
        FreshenEvent outcome;
        try {
            outcome = retry.get("test of run " + built.runId() + " (" + built.imageId() + ")", () -> {
                try {
                    return attempt(built, image.get(), started);
                } catch (BuildFailure | StopRequested e) {
                    throw e;
                } catch (RuntimeException e) {
                    // Docker trouble (a failing check or test is an outcome, not an exception)
                    throw BuildFailure.transientFailure(BuildFailure.ENGINE_ERROR, EngineErrors.plainWords(e), e);
                }
            });
        } catch (BuildFailure failure) {
            return failed(built, failure.kind(), isDockerTrouble(failure)
                    ? Problems.dockerTrouble(built.imageId(), failure.getMessage())
                    : Problems.registryTrouble(built.imageId(), failure.getMessage()));
        }
        return outcome instanceof ImageVerified verified ? scanned(built, image.get(), verified) : outcome;
    }

    /**
     * {@code verified} with the candidate's scan (its test timing ending after the wait), or the failure the
     * descriptor's scan gate makes of it. A multi-platform candidate is scanned per child (ECR scans image manifests,
     * not indexes), in index order, and the gate applied to each; the first child's findings go into the event.
     */
    private FreshenEvent scanned(ImageBuilt built, PlatformImage image, ImageVerified verified) {
        ScanCheck.Result scan = null;
        for (Child child : scanOrder(built)) {
            ScanCheck.Result result = scanCheck.check(built.imageId(), child.image(), image.descriptor().target(),
                    image.descriptor().scan());
            if (result.problem() != null) {
                // a registry that does not scan (no findings) is no platform's problem
                return child.platform() == null || result.findings() == null
                        ? failed(built, result.kind(), result.problem())
                        : failed(built, result.kind(), child.platform(), result.problem());
            }
            scan = scan == null ? result : scan;
        }
        if (scan == null || scan.findings() == null) {
            return verified;
        }
        Instant finished = clock.instant();
        List<StageTiming> timings = new ArrayList<>(verified.timings());
        StageTiming test = timings.remove(timings.size() - 1);
        timings.add(new StageTiming(test.stage(), test.startedAt(), finished));
        LOG.infof("Run %s (%s): scan of %s: %s%s", built.runId(), built.imageId(), built.candidate().digest().shortHex(),
                scan.findings().countsText(), scan.findings().hasDelta() ? "; " + scan.findings().deltaText()
                        + " against " + scan.findings().comparedWith() : "");
        return new ImageVerified(verified.runId(), verified.imageId(), verified.attempt(), finished, verified.trigger(),
                verified.baseImages(), verified.candidate(), verified.checks(), timings, scan.findings())
                .withManifests(verified.manifests());
    }

    /**
     * One image the stage tests: the candidate itself ({@code platform} null: a single-platform run, as the engine
     * chooses), or one child of a multi-platform candidate by its own digest; {@code emulated} when the engine runs
     * it under QEMU, and then its time-outs are {@code factor} times longer.
     */
    private record Child(Platform platform, ImageReference image, boolean emulated, int factor) {

        Duration timeout(Duration nativeTimeout) {
            return emulated ? nativeTimeout.multipliedBy(factor) : nativeTimeout;
        }

        /** " under emulation" for an emulated child, else "". */
        String under() {
            return emulated ? " " + Problems.UNDER_EMULATION : "";
        }

        /** {@code result} of this child: with its platform, and a command's exit "under emulation". */
        CheckResult mark(CheckResult result) {
            if (platform == null) {
                return result;
            }
            String detail = emulated && result.name().startsWith("command: ")
                    ? result.detail().replaceFirst("^(exit -?\\d+)", "$1" + under()) : result.detail();
            return new CheckResult(result.name(), result.passed(), detail).withPlatform(platform);
        }

        /** A tag of this child's test app: {@code appTag} itself for a single-platform run. */
        String tag(String appTag) {
            return platform == null ? appTag : appTag + "-" + platform.toString().replace('/', '-');
        }
    }

    /** The images to test: the candidate, or its children with the engine's own platform first, then index order. */
    private List<Child> testOrder(ImageBuilt built) {
        if (built.manifests().isEmpty()) {
            return List.of(new Child(null, built.candidate(), false, 1));
        }
        Platform own = runtime.nativePlatform();
        List<Child> children = new ArrayList<>(children(built, own));
        children.sort(java.util.Comparator.comparing(c -> c.emulated()));
        return children;
    }

    /** The images to scan: the candidate, or its children in index order. */
    private List<Child> scanOrder(ImageBuilt built) {
        return built.manifests().isEmpty() ? List.of(new Child(null, built.candidate(), false, 1))
                : children(built, null);
    }

    private List<Child> children(ImageBuilt built, Platform own) {
        return built.manifests().stream().map(m -> new Child(m.platform(), built.candidate().withDigest(m.digest()),
                own != null && !m.platform().equals(own), settings.emulationTimeoutFactor())).toList();
    }

    private FreshenEvent attempt(ImageBuilt built, PlatformImage image, Instant started) {
        List<CheckResult> checks = new ArrayList<>();
        IntegrationTest test = image.descriptor().integrationTest();
        List<Platform> appPlatforms = test == null || built.manifests().isEmpty() ? List.of()
                : test.platformsOr(built.manifests().stream().map(PlatformDigest::platform).toList());
        for (Child child : testOrder(built)) {
            boolean withApp = test != null && (child.platform() == null || appPlatforms.contains(child.platform()));
            Problem problem = verify(built, image, child, withApp ? test : null, checks);
            if (problem != null) {
                return child.platform() == null ? failed(built, FailureKind.PERMANENT, problem)
                        : failed(built, FailureKind.PERMANENT, child.platform(), problem);
            }
            if (child.platform() != null) {
                LOG.infof("Run %s (%s): %s (%s) passed%s", built.runId(), built.imageId(), child.platform(),
                        child.image().digest().shortHex(), child.under());
            }
        }
        Instant finished = clock.instant();
        List<StageTiming> timings = new ArrayList<>(built.timings());
        timings.add(new StageTiming(Stage.TEST, started, finished));
        LOG.infof("Run %s (%s): verified %s (%d checks)", built.runId(), built.imageId(), built.candidate(), checks.size());
        return new ImageVerified(built.runId(), built.imageId(), 1, finished, built.trigger(), built.baseImages(),
                built.candidate(), checks, timings).withManifests(built.manifests());
    }

    /**
     * Pulls one image, runs the policy checks against it and, with a {@code test}, the integration-test app FROM it;
     * null when all passed (their results are added to {@code checks}), else why not. Its images are removed again.
     */
    private Problem verify(ImageBuilt built, PlatformImage image, Child child, IntegrationTest test,
                           List<CheckResult> checks) {
        ImageReference pinned = child.image();
        try {
            runtime.pull(pinned, child.platform());
        } catch (BuildFailure e) {
            if (e.kind() == FailureKind.PERMANENT) {
                return Problems.candidateMissing(built.imageId(), e.getMessage());
            }
            throw e;
        }
        List<String> images = new ArrayList<>(List.of(pinned.byDigestOnly().toString()));
        try {
            ImageFacts facts = runtime.inspect(pinned);
            Duration commandTimeout = child.timeout(settings.commandTimeout());
            List<String> unsupported = new ArrayList<>(); // the first command the engine could not run, its output
            List<CheckResult> results = PolicyChecks.evaluate(image.descriptor().checks(), facts,
                    path -> runtime.fileExists(pinned, path, built.runId(), child.platform()),
                    argv -> {
                        CommandResult result = runtime.run(pinned, argv, commandTimeout, built.runId(), child.platform());
                        if (child.emulated() && result.exitCode() != 0 && Problems.noEmulator(result.output())) {
                            unsupported.addAll(List.of("the command " + String.join(" ", argv), result.output()));
                        }
                        return result;
                    }).stream().map(child::mark).toList();
            if (!unsupported.isEmpty()) {
                return Problems.platformUnsupported(built.imageId(), child.platform(), unsupported.get(0),
                        unsupported.get(1));
            }
            checks.addAll(results);
            List<CheckResult> failedChecks = results.stream().filter(c -> !c.passed()).toList();
            if (!failedChecks.isEmpty()) {
                return Problems.policy(failedChecks);
            }
            if (test != null) {
                String appTag = child.tag("freshen-test/" + image.id().replace('/', '-').toLowerCase() + ":"
                        + built.runId());
                images.add(0, appTag);
                return integrationTest(built, image, test, child, appTag, checks);
            }
            return null;
        } finally {
            runtime.cleanUp(null, images);
        }
    }

    /**
     * Builds the test app FROM {@code child} (as {@code appTag}), runs it and asks it; null when it answered as
     * expected (its check is added to {@code checks}), else why not. The app's container is removed again. An emulated
     * child's app is built with BuildKit for its platform, and may take the emulation factor times longer.
     */
    private Problem integrationTest(ImageBuilt built, PlatformImage image, IntegrationTest test, Child child,
                                    String appTag, List<CheckResult> checks) {
        String dockerfile;
        boolean buildKit;
        try {
            dockerfile = FromRewriter.replace(Files.readString(image.appDockerfilePath()),
                    ImageReference.parse(test.replaceFrom()), child.image().byDigestOnly());
            buildKit = child.emulated() || Dockerfile.parse(dockerfile).requiresBuildKit();
        } catch (IOException e) {
            return Problems.dockerfileInvalid(test, "cannot read it (" + Failures.plainWords(e) + ")");
        } catch (DescriptorException | IllegalArgumentException e) {
            return Problems.dockerfileInvalid(test, e.getMessage());
        }
        BuildLog log = new BuildLog(settings.logLines());
        try {
            runtime.buildApp(new BuildSpec(image.appDirectory(), dockerfile, runtime.labels(built.runId()), Map.of(),
                    appTag, child.timeout(settings.buildTimeout()),
                    child.emulated() ? child.platform().toString() : null), log, buildKit);
        } catch (BuildFailure e) {
            if (e.kind() != FailureKind.PERMANENT) {
                throw e;
            }
            if (child.emulated() && Problems.noEmulator(e.getMessage() + "\n" + log.tail())) {
                return Problems.platformUnsupported(built.imageId(), child.platform(), "the test app's build",
                        log.tail());
            }
            return Problems.buildFailed(test, e.getMessage(), log.tail());
        }
        if (!log.warnings().isEmpty() && !test.allowBuildWarnings()) {
            return Problems.buildWarnings(test, log.warnings());
        }
        RunningApp running = runtime.start(appTag, test.port(), built.runId(), child.platform());
        try {
            if (!running.published()) {
                return ended(built, test, child, running);
            }
            var request = test.request();
            Duration startup = child.timeout(test.startupTimeout());
            AppProbe.Answer answer = probe.await(URI.create("http://127.0.0.1:" + running.hostPort()), request,
                    startup, () -> runtime.state(running).running());
            switch (answer.outcome()) {
                case STOPPED:
                    return ended(built, test, child, running);
                case NO_ANSWER:
                    return Problems.noAnswer(test, startup, child.emulated(), answer, runtime.ports(running),
                            runtime.logs(running, settings.logLines()));
                default:
                    Problem unexpected = Problems.unexpectedAnswer(test, answer,
                            runtime.logs(running, settings.logLines()));
                    if (unexpected != null) {
                        return unexpected;
                    }
                    checks.add(child.mark(new CheckResult("integration-test: " + request.method() + " "
                            + request.path(), true, "answered " + answer.status() + " after "
                            + Durations.human(answer.after()) + child.under())));
                    return null;
            }
        } finally {
            runtime.cleanUp(running, List.of());
        }
    }

    /**
     * The app's container ended before it answered: how, with its last output; on an emulated platform whose programs
     * the engine cannot run, that.
     */
    private Problem ended(ImageBuilt built, IntegrationTest test, Child child, RunningApp app) {
        AppState state = runtime.state(app);
        if (state.running()) {
            throw new IllegalStateException("the Docker engine reports the test app's container as running, but not "
                    + "its published port " + test.port());
        }
        String log = runtime.logs(app, settings.logLines());
        if (child.emulated() && Problems.noEmulator(state.startError() + "\n" + log)) {
            return Problems.platformUnsupported(built.imageId(), child.platform(), "the test app",
                    state.startError() == null ? log : state.startError());
        }
        return Problems.ended(test, state, log);
    }

    /**
     * Docker trouble: a transient failure that no registry login caused (ECR logins were retried by the AWS SDK
     * already, per call).
     */
    static boolean isDockerTrouble(RuntimeException failure) {
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

    /** The run fails on {@code platform} of a multi-platform candidate: the reason starts with the platform. */
    private PipelineFailed failed(ImageBuilt built, FailureKind kind, Platform platform, Problem problem) {
        return failed(built, kind, Problems.on(platform, problem)).withPlatform(platform);
    }

    private PipelineFailed failed(ImageBuilt built, FailureKind kind, Problem problem) {
        LOG.warnf("Run %s (%s): test failed (%s, %s): %s", built.runId(), built.imageId(), kind.id(), problem.code(),
                problem.reason());
        return new PipelineFailed(built.runId(), built.imageId(), 1, clock.instant(), Stage.TEST, kind, problem.reason(),
                problem.excerpt(), built.trigger()).withProblem(problem.code(), problem.hint())
                .withCandidate(built.candidate());
    }
}
