package dev.freshen.faults;

import dev.freshen.events.ImagePublished;
import dev.freshen.events.image.ImageReference;
import dev.freshen.testing.ServiceProcess;
import dev.freshen.testing.TcpFaultProxy;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Stages killed with SIGKILL in the middle of their work, then started again: every run completes, once, and the
 * restarted stage takes its work back within {@link Recovery#BUDGET} with the shipped consumer settings (the table
 * shows the times).
 */
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
            String building = "Run " + runId + " (" + SLOW_BUILD + "): building with";
            await().atMost(FaultStack.RUN_TIMEOUT).until(() -> builder.logText().contains(building));
            Recovery recovery = Recovery.killAndRestart(builder);
            // the restarted builder builds the run again: its consumer has the partition back
            await("the restarted builder takes the run back").atMost(FaultStack.RUN_TIMEOUT)
                    .pollInterval(Duration.ofMillis(100)).until(() -> builder.logCount(building) >= 2);
            recovery.tookBack();

            ImagePublished published = stack.awaitPublished(runId);
            recovery.published();
            EndState end = stack.endState(List.of(SLOW_BUILD));
            end.assertConsistent();
            assertEquals("1.0.0", published.version());
            assertEquals(1, end.versionTags(), "one version");
            assertEquals(1, end.builtEvents(), "the killed build said nothing; the restarted builder built once");
            recovery.assertWithinBudget();
            return end.counts() + " " + recovery;
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
            Recovery recovery = Recovery.killAndRestart(publisher, extraTag::release);
            // the restarted publisher's first act on the run is to announce it
            ImagePublished published = stack.awaitPublished(runId);
            recovery.tookBack();
            recovery.published();
            assertEquals("1.0.0", published.version(), "the version claimed before the crash, not a second one");
            assertEquals(version.get(), published.digest());
            EndState end = stack.endState(List.of(PUBLISH));
            end.assertConsistent();
            assertEquals(1, end.versionTags());
            assertTrue(publisher.logText().contains("is already published as 10.0-1.0.0; announcing it again"));
            recovery.assertWithinBudget();
            return end.counts() + " " + recovery;
        });
    }

    /**
     * The times of one kill and restart, from the kill: the restarted process ready ({@code /q/health/ready}), its work
     * taken back (the run's record handled again), the run published.
     */
    private static final class Recovery {

        /** Issue 22: a restarted stage takes its work back within this, counted from its start-up being done. */
        static final Duration BUDGET = Duration.ofSeconds(10);
        private final long killed = System.nanoTime();
        private long ready;
        private long tookBack;
        private long published;

        static Recovery killAndRestart(ServiceProcess service) {
            return killAndRestart(service, () -> { });
        }

        /** SIGKILLs {@code service}, runs {@code afterKill}, starts it again and waits until it is ready. */
        static Recovery killAndRestart(ServiceProcess service, Runnable afterKill) {
            service.kill();
            Recovery recovery = new Recovery();
            afterKill.run();
            service.restart(FaultStack.READY);
            recovery.ready = System.nanoTime();
            return recovery;
        }

        void tookBack() {
            tookBack = System.nanoTime();
        }

        void published() {
            published = System.nanoTime();
        }

        void assertWithinBudget() {
            Duration afterReady = Duration.ofNanos(tookBack - ready);
            assertTrue(afterReady.compareTo(BUDGET) < 0, "the restarted instance took its work back "
                    + seconds(tookBack - ready) + " after it was ready; the budget is " + BUDGET.toSeconds() + " s");
        }

        @Override
        public String toString() {
            return "recovery: ready %s, work taken back %s (%s after ready), published %s after the kill".formatted(
                    seconds(ready - killed), seconds(tookBack - killed), seconds(tookBack - ready),
                    seconds(published - killed));
        }

        private static String seconds(long nanos) {
            return "%.1f s".formatted(nanos / 1e9);
        }
    }
}
