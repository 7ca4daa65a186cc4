package dev.freshen.cli;

import io.quarkus.picocli.runtime.PicocliCommandLineFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.util.List;

/**
 * Every failure is one line on standard error, {@code freshen: <cause>; <fix>}: exit code 1 for failures, 2 for bad
 * arguments. No stack traces unless {@code FRESHEN_DEBUG} is set.
 */
@ApplicationScoped
public class CliConfiguration {

    @Produces
    CommandLine commandLine(PicocliCommandLineFactory factory) {
        return factory.create()
                .setExecutionExceptionHandler((e, commandLine, parseResult) -> {
                    PrintWriter err = commandLine.getErr();
                    if (e instanceof CliException) {
                        err.println("freshen: " + e.getMessage());
                    } else {
                        err.println("freshen: unexpected error (" + (e.getMessage() == null ? "no detail" : e.getMessage())
                                + "); rerun with FRESHEN_DEBUG=1 for "
                                + "details and report it");
                        if (System.getenv("FRESHEN_DEBUG") != null) {
                            e.printStackTrace(err);
                        }
                    }
                    err.flush();
                    return 1;
                })
                .setParameterExceptionHandler((e, args) -> {
                    PrintWriter err = e.getCommandLine().getErr();
                    err.println("freshen: " + parameterMessage(e));
                    err.flush();
                    return 2;
                });
    }

    /** The one line for bad arguments: what is wrong, a suggestion when there is one, where the help is. */
    static String parameterMessage(CommandLine.ParameterException e) {
        CommandLine commandLine = e.getCommandLine();
        String command = commandLine.getCommandSpec().qualifiedName();
        String message = e.getMessage();
        if (message.startsWith("Missing required subcommand")) {
            message = "say which command: " + String.join(", ", commandLine.getSubcommands().keySet());
        } else if (e instanceof CommandLine.UnmatchedArgumentException unmatched && !unmatched.getUnmatched().isEmpty()) {
            String argument = unmatched.getUnmatched().get(0);
            List<String> near;
            if (argument.startsWith("-")) {
                String name = argument.contains("=") ? argument.substring(0, argument.indexOf('=')) : argument;
                message = "unknown option '" + name + "'";
                near = near(name, commandLine.getCommandSpec().options().stream()
                        .flatMap(o -> java.util.Arrays.stream(o.names())).toList());
            } else if (!commandLine.getSubcommands().isEmpty() && commandLine.getCommandSpec().positionalParameters().isEmpty()) {
                message = "unknown command '" + argument + "'";
                near = near(argument, List.copyOf(commandLine.getSubcommands().keySet()));
            } else {
                message = "unexpected argument '" + argument + "'";
                near = List.of();
            }
            if (!near.isEmpty()) {
                message += " (did you mean " + String.join(" or ", near) + "?)";
            }
        }
        return message + "; see '" + command + " --help'";
    }

    private static List<String> near(String word, List<String> candidates) {
        return candidates.stream().filter(c -> dev.freshen.events.ImageIds.distance(word, c) <= Math.max(2, word.length() / 4))
                .sorted(java.util.Comparator.comparingInt(c -> dev.freshen.events.ImageIds.distance(word, c))).limit(2).toList();
    }
}
