package dev.scimflow.ops.tokens;

import java.util.concurrent.Callable;

import dev.scimflow.ops.OperatorError;
import dev.scimflow.ops.Progress;
import dev.scimflow.ops.TenantName;
import dev.scimflow.store.TenantTokens;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code scimflow tenant}: tenants of the user store. */
@Command(name = "tenant", mixinStandardHelpOptions = true, description = "Manages tenants.",
        subcommands = TenantCommand.Create.class)
public final class TenantCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "Missing required subcommand");
    }

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = {"Creates a tenant and prints a new SCIM token for it, once: the database keeps only its hash."})
    static final class Create implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "NAME", description = "1-63 lower-case letters, digits and dashes.")
        String name;

        @Option(names = "--label", defaultValue = "scimflow tenant create", description = "What the token is for (default: ${DEFAULT-VALUE}).")
        String label;

        @Option(names = "--json", description = "Print {\"tenant\",\"tokenId\",\"token\"} as JSON.")
        boolean json;

        @Mixin
        UserStoreTarget target;

        @Override
        public Integer call() throws Exception {
            TenantName.check(name);
            Progress progress = Progress.stderr();
            try (UserStoreTarget.UserStore store = target.open(progress)) {
                TenantTokens tokens = new TenantTokens(store.dataSource());
                if (!tokens.createTenant(name)) {
                    throw new OperatorError("tenant '" + name + "' already exists; `scimflow token create --tenant " + name
                            + "` issues another token for it");
                }
                IssuedTokenOutput.print(spec.commandLine().getOut(), tokens.issue(name, label), json);
                progress.say("created tenant '" + name + "'; store the token now, it is not shown again");
            }
            return 0;
        }
    }
}
