package dev.freshen.watcher;

import dev.freshen.descriptor.PlatformImageCatalog;
import dev.freshen.events.ImageWatchChanged;
import dev.freshen.events.RunIds;
import dev.freshen.events.WatchState;
import dev.freshen.events.image.ImageReference;
import dev.freshen.testing.SampleEvents;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link WatchStates}: one event per change of an image's watch state, judged against the last one written. */
class WatchStatesTest {

    static final String ID = "net10/runtime";
    static final ImageReference PUBLISHED = ImageReference.parse("127.0.0.1:5000/platform/dotnet/runtime:10.0-noble-1.4.0@"
            + SampleEvents.digest('9'));
    static final Function<String, Optional<ImageReference>> LAST_PUBLISHED = id -> Optional.of(PUBLISHED);

    @TempDir
    Path root;
    Instant now = Instant.parse("2026-12-01T09:00:00Z");

    @Test
    void becomingInvalidIsAnnouncedOnceWithEveryProblemAndBeingFixedOnce() throws IOException {
        WatchStates states = new WatchStates();
        valid();
        assertEquals(List.of(), changes(states), "a valid image with no event yet is watched: nothing to say");

        write("target:\n  repository: platform/dotnet/runtime\n  tagPrefix: 10.0-noble\nnotfy: [platform-team]\n"
                + "schedule: hourly\n");
        List<ImageWatchChanged> broken = changes(states);
        assertEquals(1, broken.size());
        ImageWatchChanged invalid = broken.get(0);
        assertEquals(WatchState.INVALID, invalid.state());
        assertEquals(WatchState.WATCHED, invalid.previousState(), "it was seen valid");
        assertEquals(List.of("descriptor-unknown-key", "descriptor-invalid-cron"),
                invalid.problems().stream().map(ImageWatchChanged.Problem::code).toList());
        assertEquals(4, invalid.problems().get(0).line());
        assertEquals(PUBLISHED, invalid.lastPublished());
        assertTrue(invalid.runId().startsWith("w-"), invalid.runId());
        states.apply(invalid);

        assertEquals(List.of(), changes(states), "still invalid: no second event");
        write("target:\n  repository: platform/dotnet/runtime\n  tagPrefix: 10.0-noble\nnotfy: [platform-team]\n");
        assertEquals(List.of(), changes(states), "one of two problems fixed: still invalid, nothing new to announce");

        valid();
        List<ImageWatchChanged> fixed = changes(states);
        assertEquals(1, fixed.size());
        assertEquals(WatchState.WATCHED, fixed.get(0).state());
        assertEquals(WatchState.INVALID, fixed.get(0).previousState());
        assertEquals(List.of(), fixed.get(0).problems());
        states.apply(fixed.get(0));
        assertEquals(List.of(), changes(states));
    }

    @Test
    void aRestartedWatcherThatReadItsLastEventsBackAnnouncesNothingAgain() throws IOException {
        WatchStates before = new WatchStates();
        write("target: {repository: platform/x}\n");
        ImageWatchChanged invalid = changes(before).get(0);
        before.apply(invalid);

        WatchStates restarted = new WatchStates();
        restarted.apply(invalid); // read back from the topic
        assertEquals(List.of(), changes(restarted));
    }

    @Test
    void theSameBreakageAfterAFixIsAnotherChangeWithAnotherId() throws IOException {
        WatchStates states = new WatchStates();
        write("target: {repository: platform/x}\n");
        ImageWatchChanged first = changes(states).get(0);
        states.apply(first);
        valid();
        now = now.plusSeconds(60);
        ImageWatchChanged fixed = changes(states).get(0);
        states.apply(fixed);
        write("target: {repository: platform/x}\n");
        now = now.plusSeconds(60);
        ImageWatchChanged again = changes(states).get(0);
        assertEquals(first.problems(), again.problems());
        assertNotEquals(first.runId(), again.runId(), "announced again, not swallowed as a duplicate");
        assertEquals(RunIds.forWatchChange(ID, WatchState.INVALID, again.problems(), fixed.runId()), again.runId());
        assertEquals(first.runId(), changes(new WatchStates()).get(0).runId(), "the same change has the same id");
    }

    @Test
    void aNewFolderInvalidFromTheStartHasNoPreviousState() throws IOException {
        write("- not a mapping\n");
        ImageWatchChanged invalid = new WatchStates().changes(new PlatformImageCatalog(root).scan(), now,
                id -> Optional.empty(), id -> false).get(0);
        assertNull(invalid.previousState());
        assertNull(invalid.lastPublished());
        assertEquals("descriptor-not-a-mapping", invalid.problems().get(0).code());
    }

    @Test
    void anOlderEventReadAgainDoesNotReplaceANewerOne() throws IOException {
        WatchStates states = new WatchStates();
        write("target: {repository: platform/x}\n");
        ImageWatchChanged invalid = changes(states).get(0);
        states.apply(invalid);
        valid();
        now = now.plusSeconds(60);
        ImageWatchChanged fixed = changes(states).get(0);
        states.apply(fixed);
        states.apply(invalid); // a follower that reconnected reads the topic from the start
        assertEquals(fixed, states.last(ID).orElseThrow());
        assertEquals(List.of(), changes(states));
    }

    @Test
    void aStateThisVersionDoesNotKnowIsLeftAloneForAValidImage() throws IOException {
        WatchStates states = new WatchStates();
        states.apply(new ImageWatchChanged("w-0123456789abcdef01234567", ID, 1, now, WatchState.of("checks-failing"),
                WatchState.WATCHED, List.of(), null));
        valid();
        assertEquals(List.of(), changes(states));
    }

    private List<ImageWatchChanged> changes(WatchStates states) {
        return states.changes(new PlatformImageCatalog(root).scan(), now, LAST_PUBLISHED, id -> true);
    }

    private void valid() throws IOException {
        write("target:\n  repository: platform/dotnet/runtime\n  tagPrefix: 10.0-noble\nnotify: [platform-team]\n");
    }

    private void write(String descriptor) throws IOException {
        Path folder = Files.createDirectories(root.resolve(ID));
        Files.writeString(folder.resolve("Dockerfile"), "FROM 127.0.0.1:5000/dotnet/runtime:10.0\n");
        Files.writeString(folder.resolve("platform-image.yaml"), descriptor);
    }
}
