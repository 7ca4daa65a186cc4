package dev.freshen.faults;

import dev.freshen.events.ImagePublished;
import dev.freshen.testing.TcpFaultProxy;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Infrastructure going away in the middle of a run: the company registry, the Kafka broker. */
@Order(2)
class OutageIT {

    private static final String REGISTRY_DOWN = "faults/registry-down";
    private static final String KAFKA_RESTART = "faults/kafka-restart";
    private static final Duration OUTAGE = Duration.ofSeconds(30);
    private static FaultStack stack;

    @BeforeAll
    static void up() {
        stack = FaultStack.shared();
        stack.addImage(REGISTRY_DOWN, "dotnet/runtime:10.0", "", "teams");
        stack.addImage(KAFKA_RESTART, "dotnet/runtime:10.0", "RUN sleep 3\n", "teams");
    }

    @Test
    void aRegistryDownForThirtySecondsDuringPromotionIsRetriedUntilItIsBack() throws Exception {
        ScenarioReport.run("3 registry down 30 s during promotion", () -> {
            // the publisher's first request of the run: hold it, take the registry down, let it fail
            String runId = stack.forceUpdate(REGISTRY_DOWN, "fault: registry down");
            stack.awaitBuilding(runId, REGISTRY_DOWN);
            TcpFaultProxy.Hold promotion = stack.proxy.holdFirst("GET /v2/" + REGISTRY_DOWN + "/tags/list");
            assertTrue(promotion.awaitHeld(FaultStack.RUN_TIMEOUT), "the publisher never started the promotion");
            long down = System.nanoTime();
            stack.company.stop();
            try {
                promotion.release();
                // the registry client retries the request itself (the one retry layer of registry requests)
                String retried = "/v2/" + REGISTRY_DOWN + "/tags/list (attempt 2 of ";
                await("the registry has been down for " + OUTAGE).atMost(OUTAGE.plusSeconds(30))
                        .until(() -> System.nanoTime() - down >= OUTAGE.toNanos()
                                && stack.service("publisher").logText().contains(retried));
            } finally {
                stack.company.restart(); // also when the scenario fails: the scenarios after it need the registry
            }

            ImagePublished published = stack.awaitPublished(runId);
            assertEquals("1.0.0", published.version());
            EndState end = stack.endState(List.of(REGISTRY_DOWN));
            end.assertConsistent();
            assertEquals(1, end.versionTags());
            return end.counts();
        });
    }

    @Test
    void aKafkaBrokerRestartedInTheMiddleOfARunDoesNotLoseIt() throws Exception {
        ScenarioReport.run("4 Kafka broker restarted mid-run", () -> {
            String runId = stack.forceUpdate(KAFKA_RESTART, "fault: broker restart");
            stack.awaitBuilding(runId, KAFKA_RESTART);
            stack.kafka.restart();

            ImagePublished published = stack.awaitPublished(runId);
            assertEquals("1.0.0", published.version());
            EndState end = stack.endState(List.of(KAFKA_RESTART));
            end.assertConsistent();
            assertEquals(1, end.versionTags());
            return end.counts();
        });
    }
}
