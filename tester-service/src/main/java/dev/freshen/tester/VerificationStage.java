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
     * descriptor's scan gate makes of it.
     */
    private FreshenEvent scanned(ImageBuilt built, PlatformImage image, ImageVerified verified) {
        ScanCheck.Result scan = scanCheck.check(built.imageId(), built.candidate(), image.descriptor().target(),
                image.descriptor().scan());
        if (scan.problem() != null) {
            return failed(built, scan.kind(), scan.problem());
        }
        if (scan.findings() == null) {
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
                verified.baseImages(), verified.candidate(), verified.checks(), timings, scan.findings());
    }

    private FreshenEvent attempt(ImageBuilt built, PlatformImage image, Instant started) {
        ImageReference candidate = built.candidate();
        try {
            runtime.pull(candidate);
        } catch (BuildFailure e) {
            if (e.kind() == FailureKind.PERMANENT) {
                return failed(built, FailureKind.PERMANENT, Problems.candidateMissing(built.imageId(), e.getMessage()));
            }
            throw e;
        }
        List<String> images = new ArrayList<>(List.of(candidate.byDigestOnly().toString()));
        try {
            ImageFacts facts = runtime.inspect(candidate);
            List<CheckResult> checks = new ArrayList<>(PolicyChecks.evaluate(image.descriptor().checks(), facts,
                    path -> runtime.fileExists(candidate, path, built.runId()),
                    argv -> runtime.run(candidate, argv, settings.commandTimeout(), built.runId())));
            List<CheckResult> failedChecks = checks.stream().filter(c -> !c.passed()).toList();
            if (!failedChecks.isEmpty()) {
                return failed(built, FailureKind.PERMANENT, Problems.policy(failedChecks));
            }
            IntegrationTest test = image.descriptor().integrationTest();
            if (test != null) {
                String appTag = "freshen-test/" + image.id().replace('/', '-').toLowerCase() + ":" + built.runId();
                images.add(0, appTag);
                Problem problem = integrationTest(built, image, test, appTag, checks);
                if (problem != null) {
                    return failed(built, FailureKind.PERMANENT, problem);
                }
            }
            Instant finished = clock.instant();
            List<StageTiming> timings = new ArrayList<>(built.timings());
            timings.add(new StageTiming(Stage.TEST, started, finished));
            LOG.infof("Run %s (%s): verified %s (%d checks)", built.runId(), built.imageId(), candidate, checks.size());
            return new ImageVerified(built.runId(), built.imageId(), 1, finished, built.trigger(), built.baseImages(),
                    candidate, checks, timings);
        } finally {
            runtime.cleanUp(null, images);
        }
    }

    /**
     * Builds the test app FROM the candidate (as {@code appTag}), runs it and asks it; null when it answered as
     * expected (its check is added to {@code checks}), else why not. The app's container is removed again.
     */
    private Problem integrationTest(ImageBuilt built, PlatformImage image, IntegrationTest test, String appTag,
                                    List<CheckResult> checks) {
        String dockerfile;
        boolean buildKit;
        try {
            dockerfile = FromRewriter.replace(Files.readString(image.appDockerfilePath()),
                    ImageReference.parse(test.replaceFrom()), built.candidate().byDigestOnly());
            buildKit = Dockerfile.parse(dockerfile).requiresBuildKit();
        } catch (IOException e) {
            return Problems.dockerfileInvalid(test, "cannot read it (" + Failures.plainWords(e) + ")");
        } catch (DescriptorException | IllegalArgumentException e) {
            return Problems.dockerfileInvalid(test, e.getMessage());
        }
        BuildLog log = new BuildLog(settings.logLines());
        try {
            runtime.buildApp(new BuildSpec(image.appDirectory(), dockerfile, runtime.labels(built.runId()), Map.of(),
                    appTag, settings.buildTimeout()), log, buildKit);
        } catch (BuildFailure e) {
            if (e.kind() != FailureKind.PERMANENT) {
                throw e;
            }
            return Problems.buildFailed(test, e.getMessage(), log.tail());
        }
        if (!log.warnings().isEmpty() && !test.allowBuildWarnings()) {
            return Problems.buildWarnings(test, log.warnings());
        }
        RunningApp running = runtime.start(appTag, test.port(), built.runId());
        try {
            if (!running.published()) {
                return ended(test, running);
            }
            var request = test.request();
            AppProbe.Answer answer = probe.await(URI.create("http://127.0.0.1:" + running.hostPort()), request,
                    test.startupTimeout(), () -> runtime.state(running).running());
            switch (answer.outcome()) {
                case STOPPED:
                    return ended(test, running);
                case NO_ANSWER:
                    return Problems.noAnswer(test, answer, runtime.ports(running),
                            runtime.logs(running, settings.logLines()));
                default:
                    Problem unexpected = Problems.unexpectedAnswer(test, answer,
                            runtime.logs(running, settings.logLines()));
                    if (unexpected != null) {
                        return unexpected;
                    }
                    checks.add(new CheckResult("integration-test: " + request.method() + " " + request.path(), true,
                            "answered " + answer.status() + " after " + Durations.human(answer.after())));
                    return null;
            }
        } finally {
            runtime.cleanUp(running, List.of());
        }
    }

    /** The app's container ended before it answered: how, with its last output. */
    private Problem ended(IntegrationTest test, RunningApp app) {
        AppState state = runtime.state(app);
        if (state.running()) {
            throw new IllegalStateException("the Docker engine reports the test app's container as running, but not "
                    + "its published port " + test.port());
        }
        return Problems.ended(test, state, runtime.logs(app, settings.logLines()));
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

    private PipelineFailed failed(ImageBuilt built, FailureKind kind, Problem problem) {
        LOG.warnf("Run %s (%s): test failed (%s, %s): %s", built.runId(), built.imageId(), kind.id(), problem.code(),
                problem.reason());
        return new PipelineFailed(built.runId(), built.imageId(), 1, clock.instant(), Stage.TEST, kind, problem.reason(),
                problem.excerpt(), built.trigger()).withProblem(problem.code(), problem.hint())
                .withCandidate(built.candidate());
    }
}
