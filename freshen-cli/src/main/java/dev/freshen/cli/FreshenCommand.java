package dev.freshen.cli;

import io.quarkus.picocli.runtime.annotations.TopCommand;
import picocli.CommandLine;

/**
 * {@code freshen}: the operator's command. Exit codes: 0 done, 1 failed (unreachable broker or API, unknown image,
 * refused request), 2 bad arguments.
 */
@TopCommand
@CommandLine.Command(name = "freshen", mixinStandardHelpOptions = true, version = "freshen 0.1.0",
        description = "Keeps platform images fresh: force rebuilds, see status, follow runs and events.",
        subcommands = {ForceUpdateCommand.class, StatusCommand.class, RunsCommand.class, EventsCommand.class,
                DlqCommand.class})
public class FreshenCommand {
}
