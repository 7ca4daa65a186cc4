package dev.freshen.cli;

import dev.freshen.events.EventType;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.util.Arrays;
import java.util.concurrent.Callable;

/** {@code freshen events [--follow]}: the events so far, or live as they flow. */
@CommandLine.Command(name = "events", description = "Print the events, or follow them live with --follow (Ctrl-C ends).")
public class EventsCommand implements Callable<Integer> {

    @CommandLine.Option(names = {"-f", "--follow"}, description = "print new events as they arrive")
    boolean follow;

    @CommandLine.Mixin
    Connection connection;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        new EventLog(connection.bootstrapServers()).read(Arrays.stream(EventType.values()).map(EventType::topic).toList(),
                follow, record -> EventLog.decode(record, event -> {
                    out.printf("%s  %-22s %-24s %-28s %s%n", event.occurredAt(), event.type().name(), event.imageId(),
                            event.runId(), RunsCommand.describe(event));
                    out.flush();
                }));
        return 0;
    }
}
