package dev.freshen.cli;

import io.quarkus.picocli.runtime.annotations.TopCommand;
import picocli.CommandLine;

/**
 * {@code freshen}: the operator's command (docs/cli.md). Exit codes: 0 done (and, when following a run, published),
 * 1 failed (unreachable broker or API, unknown image, refused request, a run that failed or timed out), 2 bad
 * arguments.
 */
@TopCommand
@CommandLine.Command(name = "freshen", mixinStandardHelpOptions = true, version = "freshen 0.1.0",
        description = "Keeps platform images fresh: force rebuilds, roll back, check images, see status, follow runs "
                + "and events, replay dead letters, set up the ECR repositories.",
        footer = {"", "Exit codes: 0 done (a followed run was published), 1 failed (a followed run failed or timed out), "
                + "2 bad arguments. See docs/cli.md."},
        subcommands = {ForceUpdateCommand.class, RollbackCommand.class, CheckCommand.class, StatusCommand.class,
                RunsCommand.class, EventsCommand.class, DlqCommand.class, SetupCommand.class, CompletionCommand.class,
                CommandLine.HelpCommand.class})
public class FreshenCommand {
}
