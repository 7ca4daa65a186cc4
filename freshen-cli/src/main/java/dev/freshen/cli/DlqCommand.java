package dev.freshen.cli;

import dev.freshen.events.Topics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code freshen dlq list} / {@code freshen dlq replay}: the records each service could not process, and sending them
 * back to their original topic (original key and CloudEvents headers) once the cause is fixed. Each replay is recorded
 * on {@code freshen.dlq-replays}, so replaying twice sends nothing twice.
 */
@CommandLine.Command(name = "dlq", mixinStandardHelpOptions = true, description = "Dead letters: list them, replay them.",
        subcommands = {DlqCommand.ListCommand.class, DlqCommand.Replay.class})
public class DlqCommand {

    static final String REPLAYS = "freshen.dlq-replays";
    static final Map<String, String> SERVICES = Map.of("watcher", Topics.WATCHER_DLQ, "builder", Topics.BUILDER_DLQ,
            "tester", Topics.TESTER_DLQ, "publisher", Topics.PUBLISHER_DLQ, "notifier", Topics.NOTIFIER_DLQ);
    private static final Pattern RUN_ID = Pattern.compile("\"runId\"\\s*:\\s*\"([^\"]+)\"");

    /** Which dead letters a command is about. */
    static class Selection {
        @CommandLine.Option(names = "--service", paramLabel = "SERVICE", description = "watcher, builder, tester, publisher or notifier")
        String service;

        @CommandLine.Option(names = "--run-id", paramLabel = "RUN-ID", description = "only this run")
        String runId;

        @CommandLine.Option(names = "--image", paramLabel = "IMAGE-ID", description = "only this image")
        String imageId;

        @CommandLine.Option(names = "--since", paramLabel = "AGE|TIME", description = "only dead letters younger than this (30m, 2h, 7d) or "
                + "written at or after this time (2026-11-27T10:00:00Z)")
        String since;

        @CommandLine.Option(names = "--offsets", paramLabel = "FROM-TO", description = "only dead-letter offsets in this range, e.g. 10-20 "
                + "(inclusive; see the ids of `dlq list`: <service>/<partition>@<offset>)")
        String offsets;

        @CommandLine.Option(names = "--partition", paramLabel = "P", description = "with --offsets: only this dead-letter partition")
        Integer partition;

        @CommandLine.Mixin
        WatcherOption watcher;

        /** With {@code --image}: refuses an id that is neither on the dead-letter topics read nor watched. */
        void requireKnownImage(List<ConsumerRecord<String, byte[]>> records, CommandLine.Model.CommandSpec spec) {
            ImageOption.validate(imageId, spec);
            if (imageId != null) {
                Set<String> keys = new HashSet<>();
                records.forEach(r -> keys.add(r.key()));
                KnownImages.require(imageId, keys, watcher.client());
            }
        }

        List<String> topics() {
            if (service == null) {
                return List.copyOf(SERVICES.values());
            }
            String topic = SERVICES.get(service);
            if (topic == null) {
                throw new CliException("unknown service '" + service + "' (one of " + SERVICES.keySet() + ")");
            }
            return List.of(topic);
        }

        boolean matches(ConsumerRecord<String, byte[]> record, Instant now) {
            return (imageId == null || imageId.equals(record.key())) && (runId == null || runId.equals(runIdOf(record)))
                    && (since == null || record.timestamp() >= Selections.since(since, now).toEpochMilli())
                    && (offsets == null || Selections.offsetRange(offsets).contains(record.offset()))
                    && (partition == null || partition == record.partition());
        }

        boolean narrowed() {
            return runId != null || imageId != null || service != null || since != null || offsets != null;
        }
    }

    /** A dead letter as {@code dlq list -o json} shows it. */
    record DeadLetter(String id, String service, String topic, int partition, long offset, Instant timestamp,
                      String imageId, String runId, String reason, String originalTopic, boolean replayed) {
    }

    @CommandLine.Command(name = "list", mixinStandardHelpOptions = true,
            description = "Dead letters, oldest first, with reason, image, run id, age and whether replayed.")
    static class ListCommand implements Callable<Integer> {
        @CommandLine.Mixin
        Selection selection;
        @CommandLine.Mixin
        KafkaOptions kafka;
        @CommandLine.Mixin
        OutputOptions output;
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            EventLog log = new EventLog(kafka.settings());
            List<String> topics = selection.topics();
            Set<String> replayed = replayed(log);
            Instant now = Instant.now();
            List<DeadLetter> letters = new ArrayList<>();
            List<ConsumerRecord<String, byte[]>> records = log.readAll(topics);
            selection.requireKnownImage(records, spec);
            for (ConsumerRecord<String, byte[]> record : records) {
                if (selection.matches(record, now)) {
                    String id = id(record);
                    letters.add(new DeadLetter(id, id.substring(0, id.indexOf('/')), record.topic(), record.partition(),
                            record.offset(), Instant.ofEpochMilli(record.timestamp()), record.key(), runIdOf(record),
                            header(record, "dead-letter-reason"), header(record, "dead-letter-topic"), replayed.contains(id)));
                }
            }
            if (output.json()) {
                Json.print(out, Map.of("deadLetters", letters));
                return 0;
            }
            out.printf("%-26s %-8s %-24s %-28s %-10s %s%n", "DEAD LETTER", "AGE", "IMAGE", "RUN", "REPLAYED", "REASON");
            for (DeadLetter letter : letters) {
                out.printf("%-26s %-8s %-24s %-28s %-10s %s%n", letter.id(), age(letter.timestamp(), now), letter.imageId(),
                        letter.runId(), letter.replayed() ? "yes" : "no", letter.reason());
            }
            return 0;
        }
    }

    @CommandLine.Command(name = "replay", mixinStandardHelpOptions = true,
            description = "Send dead letters back to their original topic (each once).")
    static class Replay implements Callable<Integer> {
        @CommandLine.Mixin
        Selection selection;
        @CommandLine.Option(names = "--all", description = "replay every dead letter not replayed yet (else narrow it "
                + "down with the options above)")
        boolean all;
        @CommandLine.Mixin
        KafkaOptions kafka;
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            if (!all && !selection.narrowed()) {
                throw new CommandLine.ParameterException(spec.commandLine(),
                        "say what to replay: --run-id, --image, --service, --since, --offsets or --all");
            }
            EventLog log = new EventLog(kafka.settings());
            List<String> topics = selection.topics();
            Set<String> replayed = replayed(log);
            Instant now = Instant.now();
            List<ConsumerRecord<String, byte[]>> records = log.readAll(topics);
            selection.requireKnownImage(records, spec);
            List<ConsumerRecord<String, byte[]>> todo = records.stream()
                    .filter(r -> selection.matches(r, now) && !replayed.contains(id(r)) && header(r, "dead-letter-topic") != null)
                    .toList();
            List<ProducerRecord<String, byte[]>> sends = new ArrayList<>();
            for (ConsumerRecord<String, byte[]> record : todo) {
                RecordHeaders headers = new RecordHeaders();
                for (Header h : record.headers()) {
                    if (!h.key().startsWith("dead-letter-")) {
                        headers.add(h);
                    }
                }
                // the record, then the note that it was replayed: each acknowledged before the next
                sends.add(new ProducerRecord<>(header(record, "dead-letter-topic"), null, record.key(), record.value(), headers));
                sends.add(new ProducerRecord<>(REPLAYS, id(record), Instant.now().toString().getBytes(StandardCharsets.UTF_8)));
            }
            log.send(sends);
            for (ConsumerRecord<String, byte[]> record : todo) {
                spec.commandLine().getOut().println("replayed " + id(record) + " to " + header(record, "dead-letter-topic"));
            }
            spec.commandLine().getOut().println(todo.size() + " dead letter(s) replayed");
            return 0;
        }
    }

    static Set<String> replayed(EventLog log) {
        Set<String> ids = new HashSet<>();
        log.readAll(List.of(REPLAYS)).forEach(r -> ids.add(r.key()));
        return ids;
    }

    static String id(ConsumerRecord<String, byte[]> record) {
        return record.topic().replace("freshen.", "").replace(".dlq", "") + "/" + record.partition() + "@" + record.offset();
    }

    static String runIdOf(ConsumerRecord<String, byte[]> record) {
        Matcher m = RUN_ID.matcher(new String(record.value() == null ? new byte[0] : record.value(), StandardCharsets.UTF_8));
        return m.find() ? m.group(1) : "-";
    }

    static String header(ConsumerRecord<String, byte[]> record, String name) {
        Header h = record.headers().lastHeader(name);
        return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    static String age(Instant timestamp, Instant now) {
        Duration age = Duration.between(timestamp, now);
        return age.toHours() > 0 ? age.toHours() + "h" : age.toMinutes() > 0 ? age.toMinutes() + "m" : age.toSeconds() + "s";
    }
}
