package dev.freshen.faults;

import dev.freshen.events.EventJson;
import dev.freshen.events.ImagePublished;
import dev.freshen.events.Topics;
import dev.freshen.testing.ServiceProcess;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A vendor update that touches 20 platform images at once, built by two builder instances; and the events of one
 * image, which must be handled in the order they were sent.
 */
@Order(5)
class BurstIT {

    private static final int IMAGES = 20;
    private static final List<String> IDS = IntStream.rangeClosed(1, IMAGES)
            .mapToObj(i -> "burst/image-%02d".formatted(i)).toList();
    private static final String ORDERED = "faults/ordered";
    private static FaultStack stack;

    @BeforeAll
    static void up() {
        stack = FaultStack.shared();
        stack.updateBase("dotnet/burst");
        IDS.forEach(id -> stack.addImage(id, "dotnet/burst:10.0", "", "teams"));
        stack.addImage(ORDERED, "dotnet/runtime:10.0", "", "teams");
    }

    @Test
    void theRunsOfOneImageAreHandledInTheOrderTheyWereRequested() throws Exception {
        ScenarioReport.run("8 one image's runs stay in order", () -> {
            List<String> runs = new ArrayList<>();
            for (int i = 1; i <= 3; i++) {
                runs.add(stack.forceUpdate(ORDERED, "in order " + i));
            }
            List<String> versions = new ArrayList<>();
            for (String run : runs) {
                versions.add(stack.awaitPublished(run).version());
            }
            assertEquals(List.of("1.0.0", "1.1.0", "1.2.0"), versions, "versions follow the order of the requests");
            EndState end = stack.endState(List.of(ORDERED));
            end.assertConsistent();
            return end.counts();
        });
    }

    @Test
    void twentyImagesUpdatedAtOnceAreAllPublishedOnceWithTheWorkSpreadOverBothBuilders() throws Exception {
        ScenarioReport.run("7 burst: 20 images at once, 2 builders", () -> {
            ServiceProcess first = stack.service("builder");
            ServiceProcess second = stack.secondBuilder();
            stack.awaitGroupMember("builder", "fault-builder-2", Duration.ofSeconds(60));
            long start = System.nanoTime();
            stack.updateBase("dotnet/burst");
            Set<String> runs = new HashSet<>();
            for (String id : IDS) {
                runs.add(stack.check(id));
            }
            assertEquals(IMAGES, runs.size(), "one run per image");
            List<ImagePublished> published = new ArrayList<>();
            stack.topics.awaitRecords(Topics.IMAGE_PUBLISHED, r -> {
                if (r.key() == null || !IDS.contains(r.key())) {
                    return false;
                }
                ImagePublished event = EventJson.read(r.value(), ImagePublished.class);
                return runs.contains(event.runId()) && published.add(event);
            }, IMAGES, Duration.ofMinutes(8));
            long seconds = Duration.ofNanos(System.nanoTime() - start).toSeconds();

            EndState end = stack.endState(IDS);
            end.assertConsistent();
            assertEquals(IMAGES, end.published());
            assertEquals(IMAGES, end.versionTags(), "none twice");
            long byFirst = builtBy(first, runs);
            long bySecond = builtBy(second, runs);
            assertEquals(IMAGES, byFirst + bySecond, "each run built once");
            assertTrue(byFirst > 0 && bySecond > 0, "both builders worked: " + byFirst + " and " + bySecond);
            return end.counts() + " builder-1=" + byFirst + " builder-2=" + bySecond + " all-published-in=" + seconds + "s";
        });
    }

    private static long builtBy(ServiceProcess builder, Set<String> runs) {
        return builder.logText().lines().filter(l -> l.contains("): building with"))
                .filter(l -> runs.stream().anyMatch(r -> l.contains("Run " + r + " "))).count();
    }
}
