package dev.scimflow.ops;

import dev.scimflow.ops.audit.AuditCommand;
import dev.scimflow.ops.bench.BenchCommand;
import dev.scimflow.ops.dlt.DltCommand;
import dev.scimflow.ops.events.EventsCommand;
import dev.scimflow.ops.recovery.RebuildCommand;
import dev.scimflow.ops.recovery.ReplayCommand;
import dev.scimflow.ops.stack.StatusCommand;
import dev.scimflow.ops.stack.UpCommand;
import dev.scimflow.ops.tokens.OAuthClientCommand;
import dev.scimflow.ops.tokens.OAuthIssuerCommand;
import dev.scimflow.ops.tokens.OperatorTokenCommand;
import dev.scimflow.ops.tokens.TenantCommand;
import dev.scimflow.ops.tokens.TokenCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code scimflow} operator command: runs the local stack and manages tenants and tokens. */
@Command(name = "scimflow", mixinStandardHelpOptions = true, version = "scimflow 0.1.0", description = "Runs scimflow locally, manages its tenants and tokens, replays or rebuilds from Kafka, and benchmarks a stack.", subcommands = {
        UpCommand.class, StatusCommand.class, TenantCommand.class, TokenCommand.class,
        OAuthClientCommand.class, OAuthIssuerCommand.class, OperatorTokenCommand.class, AuditCommand.class, ReplayCommand.class,
        RebuildCommand.class, DltCommand.class, BenchCommand.class, EventsCommand.class,
        CommandLine.HelpCommand.class})
public final class ScimflowCommand implements Runnable {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "Missing required subcommand");
    }

    /** The command line with scimflow's error handling: an {@link OperatorError} is one line on stderr, exit code 1. */
    public static CommandLine commandLine() {
        return new CommandLine(new ScimflowCommand())
                .setExecutionExceptionHandler((exception, commandLine, parseResult) -> {
                    if (exception instanceof OperatorError) {
                        commandLine.getErr().println("scimflow: " + exception.getMessage());
                        commandLine.getErr().flush();
                        return OperatorError.EXIT_CODE;
                    }
                    throw exception;
                });
    }
}
