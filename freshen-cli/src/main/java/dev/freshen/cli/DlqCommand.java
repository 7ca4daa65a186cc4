package dev.freshen.cli;

import dev.freshen.events.Topics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code freshen dlq list} / {@code freshen dlq replay}: the records each service could not process, and sending them
 * back to their original topic (original key and CloudEvents headers) once the cause is fixed. Each replay is recorded
 * on {@code freshen.dlq-replays}, so replaying twice sends nothing twice.
 */
@CommandLine.Command(name = "dlq", description = "Dead letters: list them, replay them.",
        subcommands = {DlqCommand.ListCommand.class, DlqCommand.Replay.class})
public class DlqCommand {

    static final String REPLAYS = "freshen.dlq-replays";
    static final Map<String, String> SERVICES = Map.of("watcher", Topics.WATCHER_DLQ, "builder", Topics.BUILDER_DLQ,
            "tester", Topics.TESTER_DLQ, "publisher", Topics.PUBLISHER_DLQ, "notifier", Topics.NOTIFIER_DLQ);
    private static final Pattern RUN_ID = Pattern.compile("\"runId\"\\s*:\\s*\"([^\"]+)\"");

    /** Which dead letters a command is about. */
    static class Selection {
        @CommandLine.Option(names = "--service", description = "watcher, builder, tester, publisher or notifier")
        String service;

        @CommandLine.Option(names = "--run-id", description = "only this run")
        String runId;

        @CommandLine.Option(names = "--image", description = "only this image")
        String imageId;

        @CommandLine.Option(names = "--since", description = "only dead letters younger than this (30m, 2h, 7d) or "
                + "written at or after this time (2026-11-27T10:00:00Z)")
        String since;

        @CommandLine.Option(names = "--offsets", description = "only dead-letter offsets in this range, e.g. 10-20 "
                + "(inclusive; see the ids of `dlq list`: <service>/<partition>@<offset>)")
        String offsets;

        @CommandLine.Option(names = "--partition", description = "with --offsets: only this dead-letter partition")
        Integer partition;

        java.util.List<String> topics() {
            if (service == null) {
                return java.util.List.copyOf(SERVICES.values());
            }
            String topic = SERVICES.get(service);
            if (topic == null) {
                throw new CliException("unknown service '" + service + "' (one of " + SERVICES.keySet() + ")");
            }
            return java.util.List.of(topic);
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

    @CommandLine.Command(name = "list", description = "Dead letters with reason, image, run id and age.")
    static class ListCommand implements Callable<Integer> {
        @CommandLine.Mixin
        Selection selection;
        @CommandLine.Mixin
        Connection connection;
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            Set<String> replayed = replayed(connection);
            Instant now = Instant.now();
            out.printf("%-26s %-8s %-24s %-28s %-10s %s%n", "DEAD LETTER", "AGE", "IMAGE", "RUN", "REPLAYED", "REASON");
            new EventLog(connection.bootstrapServers()).read(selection.topics(), false, record -> {
                if (selection.matches(record, now)) {
                    out.printf("%-26s %-8s %-24s %-28s %-10s %s%n", id(record), age(record), record.key(), runIdOf(record),
                            replayed.contains(id(record)) ? "yes" : "no", header(record, "dead-letter-reason"));
                }
            });
            return 0;
        }
    }

    @CommandLine.Command(name = "replay", description = "Send dead letters back to their original topic (each once).")
    static class Replay implements Callable<Integer> {
        @CommandLine.Mixin
        Selection selection;
        @CommandLine.Option(names = "--all", description = "replay every dead letter not replayed yet (else narrow it "
                + "down with the options above)")
        boolean all;
        @CommandLine.Mixin
        Connection connection;
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            if (!all && !selection.narrowed()) {
                throw new CommandLine.ParameterException(spec.commandLine(),
                        "say what to replay: --run-id, --image, --service, --since, --offsets or --all");
            }
            Set<String> replayed = replayed(connection);
            Instant now = Instant.now();
            java.util.List<ConsumerRecord<String, byte[]>> todo = new ArrayList<>();
            new EventLog(connection.bootstrapServers()).read(selection.topics(), false, record -> {
                if (selection.matches(record, now) && !replayed.contains(id(record)) && header(record, "dead-letter-topic") != null) {
                    todo.add(record);
                }
            });
            try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, connection.bootstrapServers(),
                    ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new ByteArraySerializer())) {
                for (ConsumerRecord<String, byte[]> record : todo) {
                    RecordHeaders headers = new RecordHeaders();
                    for (Header h : record.headers()) {
                        if (!h.key().startsWith("dead-letter-")) {
                            headers.add(h);
                        }
                    }
                    producer.send(new ProducerRecord<>(header(record, "dead-letter-topic"), null, record.key(), record.value(),
                            headers)).get();
                    producer.send(new ProducerRecord<>(REPLAYS, id(record), Instant.now().toString()
                            .getBytes(StandardCharsets.UTF_8))).get();
                    spec.commandLine().getOut().println("replayed " + id(record) + " to " + header(record, "dead-letter-topic"));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CliException("interrupted");
            } catch (ExecutionException e) {
                throw new CliException("replay failed: " + e.getCause().getMessage());
            }
            spec.commandLine().getOut().println(todo.size() + " dead letter(s) replayed");
            return 0;
        }
    }

    static Set<String> replayed(Connection connection) {
        Set<String> ids = new HashSet<>();
        new EventLog(connection.bootstrapServers()).read(java.util.List.of(REPLAYS), false, r -> ids.add(r.key()));
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

    static String age(ConsumerRecord<String, byte[]> record) {
        Duration age = Duration.between(Instant.ofEpochMilli(record.timestamp()), Instant.now());
        return age.toHours() > 0 ? age.toHours() + "h" : age.toMinutes() > 0 ? age.toMinutes() + "m" : age.toSeconds() + "s";
    }
}
