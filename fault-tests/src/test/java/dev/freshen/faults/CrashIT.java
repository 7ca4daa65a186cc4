package dev.freshen.faults;

import dev.freshen.events.ImagePublished;
import dev.freshen.events.image.ImageReference;
import dev.freshen.testing.ServiceProcess;
import dev.freshen.testing.TcpFaultProxy;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Stages killed with SIGKILL in the middle of their work, then started again: every run completes, once. */
@Order(1)
class CrashIT {

    private static final String SLOW_BUILD = "faults/builder-kill";
    private static final String PUBLISH = "faults/publisher-kill";
    private static FaultStack stack;

    @BeforeAll
    static void up() {
        stack = FaultStack.shared();
        // the build takes a while, so that it can be killed while it runs
        stack.addImage(SLOW_BUILD, "dotnet/runtime:10.0", "RUN sleep 8\n", "teams");
        stack.addImage(PUBLISH, "dotnet/runtime:10.0", "", "teams");
    }

    @Test
    void aBuilderKilledInTheMiddleOfABuildCompletesTheRunOnceAfterARestart() throws Exception {
        ScenarioReport.run("1 builder SIGKILL mid-build, restart", () -> {
            ServiceProcess builder = stack.service("builder");
            String runId = stack.forceUpdate(SLOW_BUILD, "fault: builder killed");
            await().atMost(FaultStack.RUN_TIMEOUT).until(() -> builder.logText()
                    .contains("Run " + runId + " (" + SLOW_BUILD + "): building with"));
            builder.kill();
            builder.restart(FaultStack.READY);

            ImagePublished published = stack.awaitPublished(runId);
            EndState end = stack.endState(List.of(SLOW_BUILD));
            end.assertConsistent();
            assertEquals("1.0.0", published.version());
            assertEquals(1, end.versionTags(), "one version");
            assertEquals(1, end.builtEvents(), "the killed build said nothing; the restarted builder built once");
            return end.counts();
        });
    }

    @Test
    void aPublisherKilledBetweenTaggingTheVersionAndAnnouncingItAnnouncesItOnceAfterARestart() throws Exception {
        ScenarioReport.run("2 publisher SIGKILL after version tag, before event", () -> {
            ServiceProcess publisher = stack.service("publisher");
            // the first extra tag ("10.0") is put right after the version tag: hold it, and the version exists
            // while ImagePublished does not
            TcpFaultProxy.Hold extraTag = stack.proxy.holdFirst("PUT /v2/" + PUBLISH + "/manifests/10.0 ");
            String runId = stack.forceUpdate(PUBLISH, "fault: publisher killed");
            assertTrue(extraTag.awaitHeld(FaultStack.RUN_TIMEOUT), "the publisher never moved the extra tag");
            var version = stack.registry.manifestDigest(ImageReference.parse(stack.proxy.host() + "/" + PUBLISH
                    + ":10.0-1.0.0"));
            assertTrue(version.isPresent(), "the version tag is put before the extra tags");
            publisher.kill();
            extraTag.release();
            publisher.restart(FaultStack.READY);

            ImagePublished published = stack.awaitPublished(runId);
            assertEquals("1.0.0", published.version(), "the version claimed before the crash, not a second one");
            assertEquals(version.get(), published.digest());
            EndState end = stack.endState(List.of(PUBLISH));
            end.assertConsistent();
            assertEquals(1, end.versionTags());
            assertTrue(publisher.logText().contains("is already published as 10.0-1.0.0; announcing it again"));
            return end.counts();
        });
    }
}
