package dev.freshen.cli;

import dev.freshen.events.FreshenEvent;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The two ways to follow a run: polling the watcher's API, or reading the event topics. */
final class RunSources {

    /** How long the watcher may stay unreachable while a run is followed through it. */
    static final Duration API_GRACE = Duration.ofSeconds(60);

    private RunSources() {
    }

    /** Polls {@code GET /api/v1/runs/{id}} once per {@code wait}; a watcher that is briefly away is waited for. */
    static RunFollower.Source api(WatcherApi api, String runId, Clock clock) {
        return new RunFollower.Source() {
            private Instant lastPoll;
            private Instant lostSince;
            private RunView last;

            @Override
            public RunView poll(Duration wait) {
                if (lastPoll != null) {
                    sleep(Duration.between(clock.instant(), lastPoll.plus(wait)));
                }
                lastPoll = clock.instant();
                try {
                    api.run(runId).map(RunView::of).ifPresent(run -> last = run);
                    lostSince = null;
                } catch (WatcherApi.Unreachable e) {
                    lostSince = lostSince == null ? lastPoll : lostSince;
                    if (!clock.instant().isBefore(lostSince.plus(API_GRACE))) {
                        throw new CliException("lost the watcher at " + api.base() + " for " + RunFormat.span(API_GRACE)
                                + " while following run " + runId + "; the run goes on: follow it with 'freshen runs "
                                + runId + " --follow'");
                    }
                }
                return last;
            }

            @Override
            public void close() {
            }
        };
    }

    /**
     * Reads the event topics for {@code runId}: from their beginning, or ({@code fromEnd}) only what is written after
     * this opens. {@code imageId}, when known, skips other images' records before decoding them (it is the key).
     */
    static RunFollower.Source kafka(EventLog log, String runId, String imageId, boolean fromEnd) {
        EventLog.Tail tail = log.tail(EventLog.EVENT_TOPICS, fromEnd ? EventLog.Start.END : EventLog.Start.BEGINNING);
        return new RunFollower.Source() {
            private final List<FreshenEvent> events = new ArrayList<>();

            @Override
            public RunView poll(Duration wait) {
                for (ConsumerRecord<String, byte[]> record : tail.poll(wait)) {
                    if (imageId == null || imageId.equals(record.key())) {
                        EventLog.decode(record).filter(e -> e.runId().equals(runId)).ifPresent(events::add);
                    }
                }
                return RunView.of(events);
            }

            @Override
            public void close() {
                tail.close();
            }
        };
    }

    private static void sleep(Duration duration) {
        if (duration.isNegative() || duration.isZero()) {
            return;
        }
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException("interrupted");
        }
    }
}
