package dev.freshen.tester;

import dev.freshen.descriptor.IntegrationTest;
import dev.freshen.docker.PlainText;
import dev.freshen.events.CheckResult;
import dev.freshen.events.Durations;
import dev.freshen.events.image.Platform;
import dev.freshen.tester.http.AppProbe;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The words of every test failure: one {@link Problem} per kind, so that a kind reads the same in every run and every
 * channel. Problem codes of the test stage:
 *
 * <ul>
 *     <li>{@code app-exited}: the test app ended before it answered;</li>
 *     <li>{@code app-not-started}: the engine could not start the test app (its command is not in the image);</li>
 *     <li>{@code app-port-closed}: nothing can be reached on the descriptor's port (the app listens on another port,
 *     on none, or on localhost only);</li>
 *     <li>{@code app-no-answer}: no HTTP answer within the start-up timeout although the port may be open;</li>
 *     <li>{@code app-unexpected-answer}: the app answered with another status, or a body without the expected text;</li>
 *     <li>{@code app-build-failed}, {@code app-build-warnings}: the test app's image did not build, or printed
 *     warnings;</li>
 *     <li>{@code app-dockerfile-invalid}: the test app's Dockerfile cannot be used as it is on disk now;</li>
 *     <li>{@code policy-check-failed}: the candidate failed a check of the descriptor;</li>
 *     <li>{@code descriptor-invalid}, {@code unknown-image}: the tester cannot use the image's descriptor, or finds
 *     none;</li>
 *     <li>{@code candidate-missing}: the candidate is not in the registry any more;</li>
 *     <li>{@code docker-engine-error}: the Docker engine failed, and kept failing through the retries;</li>
 *     <li>{@code registry-error}: the candidate's registry failed (its client retried already);</li>
 *     <li>{@code scan-findings}: the registry's image scan found what the descriptor's {@code scan.failOn} does not
 *     allow ({@link ScanGate});</li>
 *     <li>{@code scan-unavailable}: the descriptor has a {@code scan.failOn} gate, but the candidate has no scan
 *     result to apply it to (not an ECR registry, the scan failed or timed out);</li>
 *     <li>{@code scan-timed-out}: the scan had no result in time and {@code freshen.tester.scan.on-timeout} is
 *     {@code fail};</li>
 *     <li>{@code platform-unsupported}: the Docker engine cannot run a foreign platform's programs (no QEMU user
 *     emulation registered for it).</li>
 * </ul>
 *
 * <p>A problem of one platform of a multi-platform candidate reads {@code "linux/arm64: <reason>"} ({@link #on}).
 */
public final class Problems {

    /** How much of a body the failure carries, and how much of it the one-line reason quotes. */
    static final int BODY_BYTES = 500;
    static final int BODY_IN_REASON = 100;
    /** What a result or failure of an emulated platform says. */
    public static final String UNDER_EMULATION = "under emulation";

    private Problems() {
    }

    /** The app's container ended (with {@code state}) before it answered; {@code log} is its last output. */
    public static Problem ended(IntegrationTest test, AppState state, String log) {
        if (state.startError() != null) {
            return new Problem("app-not-started", prefix(test) + "the app could not be started: "
                    + startError(state.startError()), "Check the CMD and ENTRYPOINT of " + dockerfile(test)
                    + ": they must name a program that is in the image and may run (" + runLocally(test) + ").",
                    blankToNull(log));
        }
        String reason = prefix(test) + "the app exited with code " + state.exitCode() + " before answering on port "
                + test.port() + (state.oomKilled() ? " (killed for lack of memory)" : "");
        String output = output(log);
        String hint = state.exitCode() == 0
                ? "The app's command must keep running and serve HTTP on port " + test.port()
                + ", not finish: check the CMD of " + dockerfile(test) + " (" + runLocally(test) + "); " + output + "."
                : "Run the app image locally (" + runLocally(test) + ") and check its CMD and configuration; "
                + output + ".";
        return new Problem("app-exited", reason, hint, blankToNull(log));
    }

    /**
     * No answer within the start-up timeout; {@code ports} is what the container listens on, {@code log} its last
     * output.
     */
    public static Problem noAnswer(IntegrationTest test, AppProbe.Answer answer, AppPorts ports, String log) {
        return noAnswer(test, test.startupTimeout(), false, answer, ports, log);
    }

    /**
     * No answer within {@code startupTimeout} (the descriptor's, or under emulation that times
     * {@code freshen.tester.emulation.timeout-factor}); {@code ports} is what the container listens on, {@code log}
     * its last output.
     */
    public static Problem noAnswer(IntegrationTest test, Duration startupTimeout, boolean emulated,
                                   AppProbe.Answer answer, AppPorts ports, String log) {
        int port = test.port();
        String underEmulation = emulated ? " " + UNDER_EMULATION : "";
        String within = " within " + Durations.human(startupTimeout) + underEmulation;
        String slow = emulated ? "raise integrationTest.startupTimeout or freshen.tester.emulation.timeout-factor if "
                + "it needs more than " + Durations.human(startupTimeout) + " to start" + underEmulation
                : "raise integrationTest.startupTimeout if it needs more than " + Durations.human(startupTimeout)
                + " to start";
        String nothing = prefix(test) + "nothing answered on port " + port + within;
        String excerpt = blankToNull(log);
        if (ports.listening().isEmpty()) {
            List<Integer> exposed = ports.exposed();
            if (!exposed.isEmpty() && !exposed.contains(port)) {
                return new Problem("app-no-answer", nothing + "; the image declares EXPOSE " + joined(exposed),
                        "Set integrationTest.port to the port the app listens on (the image declares EXPOSE "
                                + joined(exposed) + "), or make the app listen on port " + port + "; or " + slow + ".",
                        excerpt);
            }
            return new Problem("app-no-answer", nothing + lastError(answer),
                    "Check which port the app listens on (" + output(log) + ") and set "
                            + "integrationTest.port to it; or " + slow + ".", excerpt);
        }
        List<AppPorts.Listener> listening = ports.listening().get();
        List<AppPorts.Listener> onPort = listening.stream().filter(l -> l.port() == port).toList();
        if (onPort.stream().anyMatch(l -> !l.loopbackOnly())) {
            return new Problem("app-no-answer", prefix(test) + "the app listens on port " + port + " but did not answer "
                    + what(test) + within + lastError(answer), "Check that the app speaks HTTP on port " + port
                    + " and answers " + what(test) + " (" + output(log) + "); or " + slow + ".",
                    excerpt);
        }
        List<AppPorts.Listener> reachable = listening.stream().filter(l -> !l.loopbackOnly()).toList();
        if (!onPort.isEmpty() || reachable.isEmpty() && !listening.isEmpty()) {
            return new Problem("app-port-closed", nothing + "; the container listens on "
                    + joined(onPort.isEmpty() ? listening : onPort) + " only, which cannot be reached from outside the "
                    + "container", "Make the app listen on port " + port + " on all addresses (0.0.0.0 or [::], e.g. "
                    + "ASPNETCORE_URLS=http://+:" + port + "), not on localhost.", excerpt);
        }
        if (reachable.isEmpty()) {
            return new Problem("app-port-closed", nothing + "; the container listens on no TCP port",
                    "Check that the app starts an HTTP server on port " + port
                            + " (" + output(log) + "); or " + slow + ".", excerpt);
        }
        List<Integer> other = reachable.stream().map(AppPorts.Listener::port).distinct().toList();
        String set = other.size() == 1 ? "Set integrationTest.port to " + other.get(0)
                : "Set integrationTest.port to the port the app serves HTTP on (" + joined(other, "or") + ")";
        return new Problem("app-port-closed", nothing + "; the container listens on " + joined(other),
                set + " in platform-image.yaml, or make the app listen on port " + port + ".", excerpt);
    }

    /**
     * Null when the app's answer is what the descriptor expects, else what was wrong, with the start of the body
     * and the app's last output ({@code log}).
     */
    public static Problem unexpectedAnswer(IntegrationTest test, AppProbe.Answer answer, String log) {
        int expected = test.expect().status();
        String contains = test.expect().bodyContains();
        boolean statusWrong = answer.status() != expected;
        if (!statusWrong && (contains == null || answer.body() != null && answer.body().contains(contains))) {
            return null;
        }
        String body = PlainText.clean(answer.body() == null ? "" : answer.body());
        String quoted = body.isBlank() ? "the body was empty"
                : "body: \"" + PlainText.head(PlainText.oneLine(body), BODY_IN_REASON) + "\"";
        String reason = prefix(test) + what(test) + " answered " + answer.status()
                + (statusWrong ? ", expected " + expected : " but the body does not contain '" + contains + "'")
                + "; " + quoted;
        String hint = statusWrong
                ? "Check that the app serves " + what(test) + " (the body and the app's output are in the log excerpt),"
                + " or change integrationTest.expect.status if " + answer.status() + " is right."
                : "Check what the app answers (the body is in the log excerpt), or change "
                + "integrationTest.expect.bodyContains.";
        StringBuilder excerpt = new StringBuilder();
        if (log != null && !log.isBlank()) {
            excerpt.append("App output (last lines):\n").append(log.strip()).append("\n\n");
        }
        long bytes = answer.bodyBytes();
        excerpt.append("Response body (").append(bytes > BODY_BYTES ? "first " + BODY_BYTES + " of " + bytes + " bytes"
                : bytes + " bytes").append("):\n").append(body.isEmpty() ? "(empty)" : PlainText.head(body, BODY_BYTES));
        return new Problem("app-unexpected-answer", reason, hint, excerpt.toString());
    }

    /** The test app's image did not build: {@code message} says where and why, {@code tail} is the build's end. */
    public static Problem buildFailed(IntegrationTest test, String message, String tail) {
        return new Problem("app-build-failed", prefix(test) + "the app's image " + message,
                "Fix " + dockerfile(test) + " or the files it uses (build it locally: docker build " + test.app()
                        + "); the end of the build output is in the log excerpt.", blankToNull(tail));
    }

    /** The test app's image built with warnings, which the descriptor does not allow. */
    public static Problem buildWarnings(IntegrationTest test, List<String> warnings) {
        return new Problem("app-build-warnings", prefix(test) + "the app's image build printed " + warnings.size()
                + (warnings.size() == 1 ? " warning" : " warnings") + " (allowBuildWarnings is false): "
                + warnings.get(0), "Fix the warnings in " + test.app()
                + ", or set integrationTest.allowBuildWarnings: true in platform-image.yaml.",
                String.join("\n", warnings));
    }

    /** The test app's Dockerfile cannot be used as it is now ({@code why}). */
    public static Problem dockerfileInvalid(IntegrationTest test, String why) {
        return new Problem("app-dockerfile-invalid", prefix(test) + "cannot use " + dockerfile(test) + ": " + why,
                "Fix " + dockerfile(test) + " (its FROM must name integrationTest.replaceFrom, " + test.replaceFrom()
                        + "), then run the image again.", null);
    }

    /** The candidate failed {@code failed} checks of its descriptor. */
    public static Problem policy(List<CheckResult> failed) {
        return new Problem("policy-check-failed", "policy check failed: " + failed.stream()
                .map(c -> c.name() + " (" + c.detail() + ")").collect(Collectors.joining("; ")),
                "Fix the platform image's Dockerfile so that the check passes, or change checks: in "
                        + "platform-image.yaml if the rule does not apply to this image.", null);
    }

    /** The tester cannot use the descriptor of {@code imageId}: {@code error} says why. */
    public static Problem descriptorInvalid(String imageId, String error) {
        return new Problem("descriptor-invalid", "the descriptor of " + imageId + " cannot be used: " + error,
                "Fix it (freshen status lists every descriptor error), then run the image again: freshen force-update "
                        + imageId + ".", null);
    }

    /** The tester finds no descriptor of {@code imageId}. */
    public static Problem unknownImage(String imageId) {
        return new Problem("unknown-image", "unknown platform image " + imageId + ": the tester finds no " + imageId
                + "/platform-image.yaml in its platform-images folder",
                "Give the tester the same platform-images folder as the watcher and the builder "
                        + "(freshen.platform-images-dir).", null);
    }

    /** The candidate could not be pulled because the registry does not have it: {@code message} names it. */
    public static Problem candidateMissing(String imageId, String message) {
        return new Problem("candidate-missing", "cannot test the candidate: " + message,
                "The candidate was removed before it was tested; build it again: freshen force-update " + imageId + ".",
                null);
    }

    /** Docker kept failing ({@code message}, in plain words) through the retries. */
    public static Problem dockerTrouble(String imageId, String message) {
        return new Problem("docker-engine-error", "Docker engine error: " + message,
                "Check the Docker engine the tester uses (DOCKER_HOST, docker info); once it works, run the image "
                        + "again: freshen force-update " + imageId + ".", null);
    }

    /** A registry kept failing ({@code message}) while the candidate was fetched. */
    public static Problem registryTrouble(String imageId, String message) {
        return new Problem("registry-error", "registry error: " + message,
                "Check that the tester can reach the candidate's registry with its credentials (freshen.registries); "
                        + "then run the image again: freshen force-update " + imageId + ".", null);
    }

    /** The descriptor's scan gate cannot be applied: {@code why} (no scan, or none in time). */
    public static Problem scanUnavailable(String imageId, dev.freshen.descriptor.ScanPolicy policy, String why) {
        return new Problem("scan-unavailable", "the image scan gate (scan.failOn: " + policy.failOn()
                + ") cannot be applied: " + why,
                "Turn on scanning for the repository (ECR basic or enhanced scanning, scan on push) and run the image "
                        + "again (freshen force-update " + imageId + "), or remove scan.failOn from platform-image.yaml "
                        + "to publish without a scan result.", null);
    }

    /** The scan had no result in time ({@code reason}), and the tester is set to fail then. */
    public static Problem scanTimedOut(String imageId, String reason) {
        return new Problem("scan-timed-out", "the image scan of the candidate timed out: " + reason,
                "Run the image again once ECR has scanned it (freshen force-update " + imageId + "), or give the scan "
                        + "more time (freshen.tester.scan.timeout) or let runs go on without it "
                        + "(freshen.tester.scan.on-timeout=proceed).", null);
    }

    /**
     * {@code problem} of one platform of a multi-platform candidate: its reason starts with the platform
     * ({@code "linux/arm64: policy check failed: ..."}).
     */
    public static Problem on(Platform platform, Problem problem) {
        return new Problem(problem.code(), platform + ": " + problem.reason(), problem.hint(), problem.excerpt());
    }

    /**
     * The Docker engine cannot run {@code platform}'s programs: {@code where} says what showed it (e.g. "the command
     * sh -c true"), {@code output} is what the engine or the program printed. The reason carries no platform prefix
     * ({@link #on} adds it).
     */
    public static Problem platformUnsupported(String imageId, Platform platform, String where, String output) {
        return new Problem("platform-unsupported", "the Docker engine cannot run " + platform + " programs (" + where
                + ": " + emulatorError(output) + ")", "Register QEMU user emulation for " + platform + " on the tester's "
                + "Docker host with the fix-binary flag (deploy/local/stack.sh up emulation; on Kubernetes the "
                + "binfmt-qemu addon), restart the Docker daemon if BuildKit says no emulator is available, then run "
                + "the image again: freshen force-update " + imageId + ".", blankToNull(output));
    }

    /**
     * Whether {@code output} of a foreign platform's program or build says the engine cannot run it: the kernel's
     * "exec format error" (no binfmt handler) or BuildKit's "no emulator available".
     */
    public static boolean noEmulator(String output) {
        String lower = output == null ? "" : output.toLowerCase(Locale.ROOT);
        return lower.contains("exec format error") || lower.contains("no emulator");
    }

    private static String emulatorError(String output) {
        return output != null && output.toLowerCase(Locale.ROOT).contains("no emulator") ? "no emulator available"
                : "exec format error";
    }

    /** "exec: "/app/server": stat /app/server: no such file or directory", out of the engine's longer reason. */
    static String startError(String engineError) {
        String reason = engineError;
        int start = reason.indexOf("starting container process caused: ");
        if (start >= 0) {
            reason = reason.substring(start + "starting container process caused: ".length());
        } else if ((start = reason.indexOf("unable to start container process: ")) >= 0) {
            reason = reason.substring(start + "unable to start container process: ".length());
        }
        return reason.replaceFirst(":\\s*unknown$", "");
    }

    private static String prefix(IntegrationTest test) {
        return "integration test (" + test.app() + "): ";
    }

    private static String what(IntegrationTest test) {
        return test.request().method() + " " + test.request().path();
    }

    private static String dockerfile(IntegrationTest test) {
        return test.app() + "/" + test.dockerfile();
    }

    private static String runLocally(IntegrationTest test) {
        String file = "Dockerfile".equals(test.dockerfile()) ? "" : " -f " + dockerfile(test);
        return "docker build -t app-test" + file + " " + test.app() + " && docker run --rm -p " + test.port() + ":"
                + test.port() + " app-test";
    }

    private static String lastError(AppProbe.Answer answer) {
        return answer.lastError() == null ? "" : " (last: " + answer.lastError() + ")";
    }

    private static String output(String log) {
        return log == null || log.isBlank() ? "it printed nothing" : "its last output is in the log excerpt";
    }

    private static String blankToNull(String text) {
        return text == null || text.isBlank() ? null : text;
    }

    private static String joined(List<?> items) {
        return joined(items, "and");
    }

    /** "5000", "5000 and 5001", "5000, 5001 and 9090". */
    private static String joined(List<?> items, String last) {
        List<String> words = items.stream().map(String::valueOf).toList();
        return words.size() <= 1 ? String.join("", words)
                : String.join(", ", words.subList(0, words.size() - 1)) + " " + last + " " + words.get(words.size() - 1);
    }
}
