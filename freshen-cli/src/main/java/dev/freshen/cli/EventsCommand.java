package dev.freshen.cli;

import dev.freshen.events.EventJson;
import dev.freshen.events.FreshenEvent;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

/** {@code freshen events [--follow]}: the events so far in time order, or live as they flow. */
@CommandLine.Command(name = "events", mixinStandardHelpOptions = true,
        description = "Print the events so far in time order (all topics merged), or follow them live with --follow "
                + "(Ctrl-C ends). With -o json: one JSON document per line.")
public class EventsCommand implements Callable<Integer> {

    @CommandLine.Option(names = {"-f", "--follow"}, description = "print new events as they arrive, until Ctrl-C")
    boolean follow;

    @CommandLine.Option(names = "--image", paramLabel = "IMAGE-ID", description = "only events of this image")
    String imageId;

    @CommandLine.Option(names = "--run-id", paramLabel = "RUN-ID", description = "only events of this run")
    String runId;

    @CommandLine.Option(names = "--since", paramLabel = "AGE|TIME",
            description = "only events written this recently (30m, 2h, 7d) or since this time (2026-11-27T10:00:00Z)")
    String since;

    @CommandLine.Mixin
    KafkaOptions kafka;

    @CommandLine.Mixin
    WatcherOption api;

    @CommandLine.Mixin
    OutputOptions output;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        Instant from;
        try {
            from = since == null ? null : Selections.since(since, Instant.now());
        } catch (CliException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        ImageOption.validate(imageId, spec);
        PrintWriter out = spec.commandLine().getOut();
        EventLog log = new EventLog(kafka.settings());
        if (!follow) {
            List<ConsumerRecord<String, byte[]>> records = log.readAll(EventLog.EVENT_TOPICS);
            if (imageId != null) {
                KnownImages.require(imageId, records.stream().map(ConsumerRecord::key).collect(Collectors.toSet()),
                        api.client());
            }
            records.forEach(record -> print(out, record, from));
            return 0;
        }
        if (imageId != null) {
            try {
                KnownImages.require(imageId, api.client());
            } catch (WatcherApi.Unreachable e) {
                // following a new image's events: nothing on the topics yet, and no watcher to ask; follow anyway
            }
        }
        try (EventLog.Tail tail = log.tail(EventLog.EVENT_TOPICS, EventLog.Start.END)) {
            while (!Thread.currentThread().isInterrupted()) {
                tail.poll(Duration.ofMillis(500)).forEach(record -> print(out, record, from));
            }
        }
        return 0;
    }

    private void print(PrintWriter out, ConsumerRecord<String, byte[]> record, Instant from) {
        if (from != null && record.timestamp() < from.toEpochMilli()) {
            return;
        }
        EventLog.decode(record).filter(e -> (imageId == null || e.imageId().equals(imageId))
                && (runId == null || e.runId().equals(runId))).ifPresent(event -> {
                    if (output.json()) {
                        out.println(Json.compact(document(record, event)));
                    } else {
                        out.printf("%s  %-22s %-24s %-28s %s%n", event.occurredAt(), event.type().name(), event.imageId(),
                                event.runId(), RunFormat.describe(RunView.entry(event)));
                    }
                    out.flush();
                });
    }

    /** {@code {"type", "topic", "partition", "offset", "timestamp", "event"}}; the event as on the topic. */
    private static Map<String, Object> document(ConsumerRecord<String, byte[]> record, FreshenEvent event) {
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("type", event.type().name());
        document.put("topic", record.topic());
        document.put("partition", record.partition());
        document.put("offset", record.offset());
        document.put("timestamp", Instant.ofEpochMilli(record.timestamp()));
        try {
            document.put("event", Json.MAPPER.readTree(EventJson.write(event)));
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        return document;
    }
}
