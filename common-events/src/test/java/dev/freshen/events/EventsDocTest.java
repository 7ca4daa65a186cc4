package dev.freshen.events;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code docs/events.md} names every event type, topic and well-known value that the contracts have. */
class EventsDocTest {

    private static final Path PAGE = Path.of("..", "docs", "events.md");

    @Test
    void thePageNamesEveryTypeTopicAndKnownValue() throws IOException {
        String page = Files.readString(PAGE);
        List<String> missing = new ArrayList<>();
        for (EventType type : EventType.values()) {
            Stream.of("`" + type.recordType().getSimpleName() + "`", "`" + type.topic() + "`", "`" + type.cloudEventType() + "`")
                    .filter(name -> !page.contains(name)).forEach(missing::add);
        }
        Stream.of(Stage.knownValues().stream().map(Stage::id), FailureKind.knownValues().stream().map(FailureKind::id),
                        Trigger.Kind.knownValues().stream().map(Trigger.Kind::id),
                        WatchState.knownValues().stream().map(WatchState::id))
                .flatMap(ids -> ids)
                .map(id -> "| `" + id + "` |")
                .filter(row -> !page.contains(row))
                .forEach(missing::add);
        assertTrue(missing.isEmpty(), PAGE + " does not name " + missing);
    }
}
