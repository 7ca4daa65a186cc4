package dev.freshen.tester;

import dev.freshen.descriptor.IntegrationTest;
import dev.freshen.events.image.Platform;
import dev.freshen.tester.http.AppProbe;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The words of each test failure (the real apps behind them: MistakesIT). */
class ProblemsTest {

    private static final IntegrationTest TEST = new IntegrationTest("apps/echo", null, "base:1", 8080,
            new IntegrationTest.Request("POST", "/MyService", null, "{}"), new IntegrationTest.Expect(200, "freshen"),
            Duration.ofSeconds(30), false);
    private static final AppProbe.Answer NO_ANSWER = new AppProbe.Answer(AppProbe.Outcome.NO_ANSWER, 0, null, -1,
            Duration.ofSeconds(30), "the connection was closed without an answer");

    @Test
    void anAppThatExitsSaysItsCodeAndPointsAtItsOutput() {
        Problem problem = Problems.ended(TEST, AppState.exited(3), "FATAL: config missing");
        assertEquals("app-exited", problem.code());
        assertEquals("integration test (apps/echo): the app exited with code 3 before answering on port 8080",
                problem.reason());
        assertEquals("Run the app image locally (docker build -t app-test apps/echo && docker run --rm -p 8080:8080 "
                + "app-test) and check its CMD and configuration; its last output is in the log excerpt.", problem.hint());
        assertEquals("FATAL: config missing", problem.excerpt());
    }

    @Test
    void anAppThatFinishesWithZeroIsToldToKeepRunning() {
        Problem problem = Problems.ended(TEST, AppState.exited(0), "");
        assertEquals("integration test (apps/echo): the app exited with code 0 before answering on port 8080",
                problem.reason());
        assertTrue(problem.hint().startsWith("The app's command must keep running and serve HTTP on port 8080, not "
                + "finish: check the CMD of apps/echo/Dockerfile"), problem.hint());
        assertTrue(problem.hint().endsWith("; it printed nothing."), problem.hint());
        assertNull(problem.excerpt());
    }

    @Test
    void anAppKilledForMemorySaysSo() {
        assertTrue(Problems.ended(TEST, new AppState(false, 137, true, null), "x").reason()
                .endsWith("exited with code 137 before answering on port 8080 (killed for lack of memory)"));
    }

    @Test
    void anAppTheEngineCannotStartGetsTheEnginesReasonWithoutItsPlumbing() {
        Problem problem = Problems.ended(TEST, new AppState(false, 127, false, "failed to create shim task: OCI runtime "
                + "create failed: runc create failed: unable to start container process: exec: \"/app/server\": stat "
                + "/app/server: no such file or directory: unknown"), "");
        assertEquals("app-not-started", problem.code());
        assertEquals("integration test (apps/echo): the app could not be started: exec: \"/app/server\": stat "
                + "/app/server: no such file or directory", problem.reason());
        assertTrue(problem.hint().startsWith("Check the CMD and ENTRYPOINT of apps/echo/Dockerfile"), problem.hint());
    }

    @Test
    void anAppOnAnotherPortIsToldWhichOne() {
        Problem problem = Problems.noAnswer(TEST, NO_ANSWER, listening("0.0.0.0:5000", "[::]:5000"), "listening");
        assertEquals("app-port-closed", problem.code());
        assertEquals("integration test (apps/echo): nothing answered on port 8080 within 30s; the container listens "
                + "on 5000", problem.reason());
        assertEquals("Set integrationTest.port to 5000 in platform-image.yaml, or make the app listen on port 8080.",
                problem.hint());
        assertEquals("integration test (apps/echo): nothing answered on port 8080 within 30s; the container listens "
                + "on 5000 and 9090", Problems.noAnswer(TEST, NO_ANSWER, listening("0.0.0.0:5000", "0.0.0.0:9090",
                "127.0.0.1:6000"), "").reason());
    }

    @Test
    void anAppOnLocalhostIsToldToListenOnAllAddresses() {
        Problem problem = Problems.noAnswer(TEST, NO_ANSWER, listening("127.0.0.1:8080", "0.0.0.0:9090"), "");
        assertEquals("app-port-closed", problem.code());
        assertEquals("integration test (apps/echo): nothing answered on port 8080 within 30s; the container listens "
                + "on 127.0.0.1:8080 only, which cannot be reached from outside the container", problem.reason());
        assertTrue(problem.hint().startsWith("Make the app listen on port 8080 on all addresses"), problem.hint());
        assertTrue(Problems.noAnswer(TEST, NO_ANSWER, listening("[::1]:5000"), "").reason()
                .endsWith("the container listens on [::1]:5000 only, which cannot be reached from outside the container"));
    }

    @Test
    void anAppListeningNowhereIsToldSo() {
        Problem problem = Problems.noAnswer(TEST, NO_ANSWER, listening(), "");
        assertEquals("integration test (apps/echo): nothing answered on port 8080 within 30s; the container listens "
                + "on no TCP port", problem.reason());
        assertEquals("Check that the app starts an HTTP server on port 8080 (it printed nothing); or raise "
                + "integrationTest.startupTimeout if it needs more than 30s to start.", problem.hint());
    }

    @Test
    void anAppWithThePortOpenButNoAnswerIsNoPortProblem() {
        Problem problem = Problems.noAnswer(TEST, NO_ANSWER, listening("[::]:8080"), "started");
        assertEquals("app-no-answer", problem.code());
        assertEquals("integration test (apps/echo): the app listens on port 8080 but did not answer POST /MyService "
                + "within 30s (last: the connection was closed without an answer)", problem.reason());
    }

    @Test
    void withoutTheSocketsTheExposeListIsTheHint() {
        Problem problem = Problems.noAnswer(TEST, NO_ANSWER, new AppPorts(Optional.empty(), List.of(5000)), "");
        assertEquals("app-no-answer", problem.code());
        assertEquals("integration test (apps/echo): nothing answered on port 8080 within 30s; the image declares "
                + "EXPOSE 5000", problem.reason());
        assertEquals("integration test (apps/echo): nothing answered on port 8080 within 30s (last: the connection "
                + "was closed without an answer)", Problems.noAnswer(TEST, NO_ANSWER,
                new AppPorts(Optional.empty(), List.of(8080)), "").reason());
    }

    @Test
    void theExpectedAnswerIsNoProblem() {
        assertNull(Problems.unexpectedAnswer(TEST, AppProbe.Answer.answered(200, "hello freshen", 13,
                Duration.ofMillis(5)), "log"));
    }

    @Test
    void aWrongStatusCarriesTheBodyCleanedAndTheAppsOutput() {
        String body = "\u001B[31mboom\u001B[0m\r\nstack\u0007 trace";
        Problem problem = Problems.unexpectedAnswer(TEST, AppProbe.Answer.answered(500, body, body.length(),
                Duration.ZERO), "handling POST /MyService");
        assertEquals("app-unexpected-answer", problem.code());
        assertEquals("integration test (apps/echo): POST /MyService answered 500, expected 200; body: \"boom stack "
                + "trace\"", problem.reason());
        assertEquals("Check that the app serves POST /MyService (the body and the app's output are in the log "
                + "excerpt), or change integrationTest.expect.status if 500 is right.", problem.hint());
        assertEquals("App output (last lines):\nhandling POST /MyService\n\nResponse body (" + body.length()
                + " bytes):\nboom\nstack trace", problem.excerpt());
    }

    @Test
    void aBodyWithoutTheExpectedTextIsQuotedAndCutAt500Bytes() {
        String body = "hello world ".repeat(100);
        Problem problem = Problems.unexpectedAnswer(TEST, AppProbe.Answer.answered(200, body, body.length(),
                Duration.ZERO), "");
        assertEquals("integration test (apps/echo): POST /MyService answered 200 but the body does not contain "
                + "'freshen'; body: \"" + body.substring(0, 100) + "…\"", problem.reason());
        assertEquals("Response body (first 500 of 1200 bytes):\n" + body.substring(0, 500) + "…", problem.excerpt());
        assertTrue(Problems.unexpectedAnswer(TEST, AppProbe.Answer.answered(200, "", 0, Duration.ZERO), "")
                .reason().endsWith("; the body was empty"));
    }

    @Test
    void aPlatformTheEngineCannotRunNamesThePlatformAndTheFix() {
        Platform arm64 = Platform.parse("linux/arm64");
        Problem problem = Problems.on(arm64, Problems.platformUnsupported("net10/runtime", arm64, "the test app's build",
                "#5 [2/2] RUN dotnet --info\nERROR: failed to solve: no emulator available for linux/arm64"));
        assertEquals("platform-unsupported", problem.code());
        assertEquals("linux/arm64: the Docker engine cannot run linux/arm64 programs (the test app's build: no emulator "
                + "available)", problem.reason());
        assertTrue(problem.hint().startsWith("Register QEMU user emulation for linux/arm64 on the tester's Docker host "
                + "with the fix-binary flag (deploy/local/stack.sh up emulation; on Kubernetes the binfmt-qemu addon)"),
                problem.hint());
        assertTrue(problem.hint().endsWith("freshen force-update net10/runtime."), problem.hint());
        assertTrue(problem.excerpt().contains("no emulator available"));
    }

    @Test
    void theEnginesWordsForAMissingEmulatorAreRecognised() {
        assertTrue(Problems.noEmulator("standard_init_linux.go:228: exec user process caused: exec format error"));
        assertTrue(Problems.noEmulator("exec /bin/busybox: exec format error"));
        assertTrue(Problems.noEmulator("ERROR: failed to solve: No emulator available"));
        assertTrue(!Problems.noEmulator("sh: uname: not found") && !Problems.noEmulator(null));
    }

    @Test
    void anAppSlowUnderEmulationIsToldAboutTheFactor() {
        Problem problem = Problems.noAnswer(TEST, Duration.ofSeconds(150), true, NO_ANSWER, listening(), "");
        assertTrue(problem.reason().startsWith("integration test (apps/echo): nothing answered on port 8080 within "
                + "2m 30s under emulation"), problem.reason());
        assertTrue(problem.hint().endsWith("raise integrationTest.startupTimeout or "
                + "freshen.tester.emulation.timeout-factor if it needs more than 2m 30s to start under emulation."),
                problem.hint());
    }

    @Test
    void noTextHoldsAnIsoDurationOrAClassName() {
        List<Problem> all = List.of(Problems.ended(TEST, AppState.exited(1), "x"),
                Problems.noAnswer(TEST, NO_ANSWER, listening(), ""),
                Problems.noAnswer(TEST, NO_ANSWER, new AppPorts(Optional.empty(), List.of()), ""),
                Problems.buildFailed(TEST, "build timed out after 15m 00s and was cancelled", "Step 2/2"),
                Problems.buildWarnings(TEST, List.of("warning CS0168")),
                Problems.dockerfileInvalid(TEST, "no FROM base:1 to replace"),
                Problems.descriptorInvalid("net10/runtime", "platform-image.yaml: unknown key notfy"),
                Problems.unknownImage("net10/runtime"),
                Problems.dockerTrouble("net10/runtime", "connection refused"),
                Problems.noAnswer(TEST, Duration.ofMinutes(5), true, NO_ANSWER, listening(), ""),
                Problems.platformUnsupported("net10/runtime", Platform.parse("linux/arm64"), "the test app",
                        "exec format error"));
        for (Problem problem : all) {
            for (String text : List.of(problem.reason(), problem.hint())) {
                assertTrue(!text.matches("(?s).*\\bPT\\d.*") && !text.contains("Exception") && !text.contains("java."),
                        text);
            }
        }
    }

    private static AppPorts listening(String... sockets) {
        return new AppPorts(Optional.of(Arrays.stream(sockets).map(ProblemsTest::listener).toList()), List.of());
    }

    private static AppPorts.Listener listener(String socket) {
        int colon = socket.lastIndexOf(':');
        try {
            return new AppPorts.Listener(InetAddress.getByName(socket.substring(0, colon).replace("[", "").replace("]", "")),
                    Integer.parseInt(socket.substring(colon + 1)));
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(socket, e);
        }
    }
}
