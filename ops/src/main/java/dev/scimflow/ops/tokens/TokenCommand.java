package dev.scimflow.ops.tokens;

import java.io.PrintWriter;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.Callable;

import dev.scimflow.ops.OperatorError;
import dev.scimflow.ops.Progress;
import dev.scimflow.ops.TenantName;
import dev.scimflow.store.TenantTokens;
import dev.scimflow.store.TenantTokens.TokenInfo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code scimflow token}: the SCIM bearer tokens of tenants. */
@Command(name = "token", mixinStandardHelpOptions = true, description = "Manages tenants' SCIM tokens.", subcommands = {
        TokenCommand.Create.class, TokenCommand.Revoke.class, TokenCommand.ListTokens.class,
        TokenRotateCommand.class})
public final class TokenCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "Missing required subcommand");
    }

    @Command(name = "create", mixinStandardHelpOptions = true, description = "Issues another token for an existing tenant and prints it, once.")
    static final class Create implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Option(names = "--tenant", required = true, description = "The tenant the token speaks for.")
        String tenant;

        @Option(names = "--label", defaultValue = "scimflow token create", description = "What the token is for (default: ${DEFAULT-VALUE}).")
        String label;

        @Option(names = "--json", description = "Print {\"tenant\",\"tokenId\",\"token\"} as JSON.")
        boolean json;

        @Mixin
        UserStoreTarget target;

        @Override
        public Integer call() throws Exception {
            TenantName.check(tenant);
            Progress progress = Progress.stderr();
            try (UserStoreTarget.UserStore store = target.open(progress)) {
                store.requireTenant(tenant);
                TenantTokens tokens = new TenantTokens(store.dataSource());
                IssuedTokenOutput.print(spec.commandLine().getOut(), tokens.issue(tenant, label), json);
                progress.say("store the token now, it is not shown again");
            }
            return 0;
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true, description = "Revokes a token by its id: requests with it are refused from then on.")
    static final class Revoke implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "ID", description = "The token id (tok_...), as `token list` shows it.")
        String id;

        @Mixin
        UserStoreTarget target;

        @Override
        public Integer call() throws Exception {
            try (UserStoreTarget.UserStore store = target.open(Progress.stderr())) {
                TenantTokens tokens = new TenantTokens(store.dataSource());
                if (!tokens.revoke(id)) {
                    boolean known = tokens.list(null).stream().anyMatch(token -> token.id().equals(id));
                    throw new OperatorError(known ? "token " + id + " is already revoked" : "unknown token id '" + id + "'");
                }
                spec.commandLine().getOut().println("revoked " + id);
                spec.commandLine().getOut().flush();
            }
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Lists tokens (never their secrets).")
    static final class ListTokens implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Option(names = "--tenant", description = "Only this tenant's tokens.")
        String tenant;

        @Mixin
        UserStoreTarget target;

        @Override
        public Integer call() throws Exception {
            if (tenant != null) {
                TenantName.check(tenant);
            }
            try (UserStoreTarget.UserStore store = target.open(Progress.stderr())) {
                if (tenant != null) {
                    store.requireTenant(tenant);
                }
                TenantTokens tokens = new TenantTokens(store.dataSource());
                print(spec.commandLine().getOut(), tokens.list(tenant));
            }
            return 0;
        }

        private static void print(PrintWriter out, List<TokenInfo> tokens) {
            String format = "%-16s %-20s %-22s %-20s %-20s %s%n";
            out.printf(format, "ID", "TENANT", "LABEL", "CREATED", "REVOKED", "LAST USED");
            for (TokenInfo token : tokens) {
                out.printf(format, token.id(), token.tenant(), token.label(), time(token.createdAt()),
                        time(token.revokedAt()), time(token.lastUsedAt()));
            }
            out.flush();
        }

        private static String time(Instant instant) {
            return instant == null ? "-" : instant.truncatedTo(ChronoUnit.SECONDS).toString();
        }
    }
}
