package dev.scimflow.ops.tokens;

import java.io.PrintWriter;
import java.net.URI;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.Callable;

import dev.scimflow.ops.OperatorError;
import dev.scimflow.ops.Progress;
import dev.scimflow.ops.TenantName;
import dev.scimflow.store.TrustedIssuers;
import dev.scimflow.store.TrustedIssuers.TrustedIssuer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code scimflow oauth-issuer}: external token issuers a tenant trusts, e.g. Entra's workload identity federation: a
 * JWT of the issuer, for the audience, about the subject, signed by a key of the JWKS, speaks for the tenant.
 */
@Command(name = "oauth-issuer", mixinStandardHelpOptions = true, description = "Manages the external token issuers tenants trust.", subcommands = {
        OAuthIssuerCommand.Trust.class, OAuthIssuerCommand.ListTrusts.class, OAuthIssuerCommand.Remove.class})
public final class OAuthIssuerCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "Missing required subcommand");
    }

    @Command(name = "trust", mixinStandardHelpOptions = true, description = "Lets the tokens of an external issuer for one audience and subject speak for a tenant.")
    static final class Trust implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Option(names = "--tenant", required = true, description = "The tenant such tokens speak for.")
        String tenant;

        @Option(names = "--issuer", required = true, description = "The tokens' iss, e.g. https://login.microsoftonline.com/<tenant id>/v2.0")
        String issuer;

        @Option(names = "--audience", required = true, description = "A value the tokens' aud must contain.")
        String audience;

        @Option(names = "--subject", required = true, description = "The tokens' sub, e.g. the object id of Entra's service principal.")
        String subject;

        @Option(names = "--jwks-uri", required = true, description = "Where the issuer publishes its keys (https).")
        String jwksUri;

        @Mixin
        UserStoreTarget target;

        @Override
        public Integer call() throws Exception {
            TenantName.check(tenant);
            checkJwksUri(jwksUri);
            try (UserStoreTarget.UserStore store = target.open(Progress.stderr())) {
                store.requireTenant(tenant);
                TrustedIssuer trust = new TrustedIssuers(store.dataSource()).add(tenant, issuer, audience, subject, jwksUri);
                spec.commandLine().getOut().println("trusted " + trust.id() + ": tokens of " + issuer + " for " + audience + " about "
                        + subject + " speak for " + tenant);
                spec.commandLine().getOut().flush();
            }
            return 0;
        }
    }

    @Command(name = "remove", mixinStandardHelpOptions = true, description = "Ends a trust: every ingress refuses such tokens within the token cache's time to live.")
    static final class Remove implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "ID", description = "The trust's id (tri_...), as `oauth-issuer list` shows it.")
        String id;

        @Mixin
        UserStoreTarget target;

        @Override
        public Integer call() throws Exception {
            try (UserStoreTarget.UserStore store = target.open(Progress.stderr())) {
                if (!new TrustedIssuers(store.dataSource()).remove(id)) {
                    throw new OperatorError("no trust '" + id + "' in force");
                }
                spec.commandLine().getOut().println("removed " + id);
                spec.commandLine().getOut().flush();
            }
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Lists the trusted issuers.")
    static final class ListTrusts implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Option(names = "--tenant", description = "Only this tenant's.")
        String tenant;

        @Mixin
        UserStoreTarget target;

        @Override
        public Integer call() throws Exception {
            try (UserStoreTarget.UserStore store = target.open(Progress.stderr())) {
                PrintWriter out = spec.commandLine().getOut();
                String format = "%-16s %-16s %-20s %-20s %-24s %s%n";
                out.printf(format, "ID", "TENANT", "CREATED", "REMOVED", "SUBJECT", "ISSUER / AUDIENCE / JWKS");
                for (TrustedIssuer trust : new TrustedIssuers(store.dataSource()).list(tenant)) {
                    out.printf(format, trust.id(), trust.tenant(), time(trust.createdAt()), time(trust.removedAt()), trust.subject(),
                            trust.issuer() + " " + trust.audience() + " " + trust.jwksUri());
                }
                out.flush();
            }
            return 0;
        }
    }

    /** The keys must come over https; plain http only from this machine (a test issuer). */
    static void checkJwksUri(String value) {
        URI uri;
        try {
            uri = URI.create(value);
        } catch (IllegalArgumentException e) {
            throw new OperatorError("--jwks-uri is not a URL: " + value);
        }
        boolean loopback = "localhost".equals(uri.getHost()) || "127.0.0.1".equals(uri.getHost()) || "[::1]".equals(uri.getHost());
        if (!"https".equals(uri.getScheme()) && !("http".equals(uri.getScheme()) && loopback)) {
            throw new OperatorError("--jwks-uri must be https (http only to localhost): " + value);
        }
    }

    private static String time(Instant instant) {
        return instant == null ? "-" : instant.truncatedTo(ChronoUnit.SECONDS).toString();
    }
}
