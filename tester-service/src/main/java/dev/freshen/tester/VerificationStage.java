package dev.freshen.tester;

import dev.freshen.descriptor.DescriptorException;
import dev.freshen.descriptor.FromRewriter;
import dev.freshen.descriptor.IntegrationTest;
import dev.freshen.descriptor.PlatformImage;
import dev.freshen.descriptor.PlatformImageCatalog;
import dev.freshen.docker.BuildFailure;
import dev.freshen.docker.BuildLog;
import dev.freshen.docker.BuildSpec;
import dev.freshen.events.CheckResult;
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
import dev.freshen.retry.StopRequested;
import dev.freshen.tester.http.AppProbe;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Proves a candidate, by digest: the descriptor's policy checks against the candidate itself, then the integration-test
 * application built FROM the candidate, run with its port on 127.0.0.1, and sent the descriptor's request. A failing
 * check or test is a real failure (not retried); only Docker trouble is (the candidate's pull, the application build,
 * the containers), the whole attempt again, as {@link TesterSettings#retries()} says; an interrupt throws
 * {@code StopRequested} (the request is left for redelivery). Containers and images of a test
 * are always removed. A redelivered request for a run already tested (same run, same candidate digest; by this
 * instance or, as read from the output topics, by any instance before) is answered with the same outcome.
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
    private final Map<String, Object> locks = new java.util.concurrent.ConcurrentHashMap<>();

    public VerificationStage(Function<String, PlatformImageCatalog.Scan> catalog, CandidateRuntime runtime, AppProbe probe,
                             TesterSettings settings, RunOutcomes outcomes, Clock clock) {
        this.catalog = catalog;
        this.outcomes = outcomes;
        this.runtime = runtime;
        this.probe = probe;
        this.settings = settings;
        this.clock = clock;
        this.retry = Retry.of(settings.retries(), VerificationStage::isDockerTrouble)
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
            String why = scan.errors().stream().filter(e -> e.file().startsWith(built.imageId() + "/"))
                    .map(DescriptorException::getMessage).findFirst().orElse("no such folder with a platform-image.yaml");
            return failed(built, FailureKind.PERMANENT, "unknown platform image: " + why, null);
        }
        try {
            return retry.get("test of run " + built.runId() + " (" + built.imageId() + ")", () -> {
                try {
                    return attempt(built, image.get(), started);
                } catch (BuildFailure | StopRequested e) {
                    throw e;
                } catch (RuntimeException e) {
                    // Docker trouble (a failing check or test is an outcome, not an exception)
                    throw BuildFailure.transientFailure("Docker engine error: " + Failures.plainWords(e), e);
                }
            });
        } catch (BuildFailure failure) {
            return failed(built, failure.kind(), failure.getMessage(), null);
        }
    }

    private FreshenEvent attempt(ImageBuilt built, PlatformImage image, Instant started) {
        ImageReference candidate = built.candidate();
        runtime.pull(candidate);
        List<String> images = new ArrayList<>(List.of(candidate.byDigestOnly().toString()));
        RunningApp app = null;
        try {
            ImageFacts facts = runtime.inspect(candidate);
            List<CheckResult> checks = new ArrayList<>(PolicyChecks.evaluate(image.descriptor().checks(), facts,
                    path -> runtime.fileExists(candidate, path, built.runId()),
                    argv -> runtime.run(candidate, argv, settings.commandTimeout(), built.runId())));
            List<CheckResult> failedChecks = checks.stream().filter(c -> !c.passed()).toList();
            if (!failedChecks.isEmpty()) {
                return failed(built, FailureKind.PERMANENT, "policy check failed: " + failedChecks.stream()
                        .map(c -> c.name() + " (" + c.detail() + ")").collect(Collectors.joining("; ")), null);
            }
            IntegrationTest test = image.descriptor().integrationTest();
            if (test != null) {
                String appTag = "freshen-test/" + image.id().replace('/', '-').toLowerCase() + ":" + built.runId();
                images.add(0, appTag);
                BuildLog log = new BuildLog(settings.logLines());
                String dockerfile = FromRewriter.replace(read(image), ImageReference.parse(test.replaceFrom()),
                        candidate.byDigestOnly());
                try {
                    runtime.buildApp(new BuildSpec(image.appDirectory(), dockerfile,
                                    runtime.labels(built.runId()), java.util.Map.of(), appTag,
                                    settings.buildTimeout()), log,
                            dev.freshen.descriptor.Dockerfile.parse(dockerfile).requiresBuildKit());
                } catch (BuildFailure e) {
                    if (e.kind() != FailureKind.PERMANENT) {
                        throw e;
                    }
                    return failed(built, FailureKind.PERMANENT, "integration-test app build failed: " + e.getMessage(),
                            log.tail());
                }
                if (!log.warnings().isEmpty() && !test.allowBuildWarnings()) {
                    return failed(built, FailureKind.PERMANENT, "integration-test app build has " + log.warnings().size()
                            + " warning(s) (allowBuildWarnings is false): " + log.warnings().get(0),
                            String.join("\n", log.warnings()));
                }
                app = runtime.start(appTag, test.port(), built.runId());
                RunningApp running = app;
                var request = test.request();
                String what = request.method() + " " + request.path();
                AppProbe.Answer answer = probe.await(URI.create("http://127.0.0.1:" + app.hostPort()), request,
                        test.startupTimeout(), () -> runtime.running(running));
                String verdict = verdict(test, answer, what);
                if (verdict != null) {
                    return failed(built, FailureKind.PERMANENT, "integration test failed: " + verdict,
                            runtime.logs(app, settings.logLines()));
                }
                checks.add(new CheckResult("integration-test: " + what, true, "answered " + answer.status() + " after "
                        + answer.readyAfter().toMillis() + " ms"));
            }
            Instant finished = clock.instant();
            List<StageTiming> timings = new ArrayList<>(built.timings());
            timings.add(new StageTiming(Stage.TEST, started, finished));
            LOG.infof("Run %s (%s): verified %s (%d checks)", built.runId(), built.imageId(), candidate, checks.size());
            return new ImageVerified(built.runId(), built.imageId(), 1, finished, built.trigger(), built.baseImages(),
                    candidate, checks, timings);
        } finally {
            runtime.cleanUp(app, images);
        }
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

    /** Null when the answer is what the descriptor expects, else what was wrong. */
    static String verdict(IntegrationTest test, AppProbe.Answer answer, String what) {
        if (!answer.answered()) {
            return what + ": " + answer.problem();
        }
        if (answer.status() != test.expect().status()) {
            return what + " answered " + answer.status() + ", expected " + test.expect().status();
        }
        String expected = test.expect().bodyContains();
        if (expected != null && (answer.body() == null || !answer.body().contains(expected))) {
            return what + " answered " + answer.status() + " but the body does not contain '" + expected + "'";
        }
        return null;
    }

    private PipelineFailed failed(ImageBuilt built, FailureKind kind, String reason, String excerpt) {
        LOG.warnf("Run %s (%s): test failed (%s): %s", built.runId(), built.imageId(), kind.id(), reason);
        return new PipelineFailed(built.runId(), built.imageId(), 1, clock.instant(), Stage.TEST, kind, reason, excerpt,
                built.trigger());
    }

    private static String read(PlatformImage image) {
        try {
            return Files.readString(image.appDockerfilePath());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + image.appDockerfilePath(), e);
        }
    }
}
