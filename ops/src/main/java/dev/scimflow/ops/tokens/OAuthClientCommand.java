package dev.scimflow.ops.tokens;

import java.io.PrintWriter;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import dev.scimflow.ops.Json;
import dev.scimflow.ops.OperatorError;
import dev.scimflow.ops.Progress;
import dev.scimflow.ops.TenantName;
import dev.scimflow.store.OAuthClients;
import dev.scimflow.store.OAuthClients.ClientInfo;
import dev.scimflow.store.OAuthClients.IssuedSecret;
import dev.scimflow.store.SigningKeys;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code scimflow oauth-client}: tenants' OAuth 2.0 clients, which get short-lived access tokens from the ingress's
 * {@code /oauth2/token} with the client credentials grant (what Entra's app gallery asks for) or, given redirect URIs, the
 * authorization code grant with refresh tokens (Okta's OAuth mode), and the keys those tokens are signed with.
 */
@Command(name = "oauth-client", mixinStandardHelpOptions = true, description = "Manages tenants' OAuth 2.0 clients.", subcommands = {
        OAuthClientCommand.Create.class, OAuthClientCommand.ListClients.class, OAuthClientCommand.Rotate.class,
        OAuthClientCommand.Revoke.class, OAuthClientCommand.RedirectUris.class, OAuthClientCommand.RotateKey.class})
public final class OAuthClientCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "Missing required subcommand");
    }

    @Command(name = "create", mixinStandardHelpOptions = true, description = "Creates an OAuth client for an existing tenant and prints its client_id and client_secret, once.")
    static final class Create implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Option(names = "--tenant", required = true, description = "The tenant the client's tokens speak for.")
        String tenant;

        @Option(names = "--label", defaultValue = "scimflow oauth-client create", description = "What the client is for (default: ${DEFAULT-VALUE}).")
        String label;

        @Option(names = "--redirect-uri", paramLabel = "URI", description = {
                "A URI the IdP may have the administrator's browser sent back to with a code (the authorization code grant, Okta's"
                        + " OAuth mode); repeatable; matched exactly. Without one, the client has the client credentials grant only."})
        List<String> redirectUris = new ArrayList<>();

        @Option(names = "--json", description = "Print {\"tenant\",\"clientId\",\"clientSecret\",\"secretId\"} as JSON.")
        boolean json;

        @Mixin
        UserStoreTarget target;

        @Override
        public Integer call() throws Exception {
            TenantName.check(tenant);
            checkRedirectUris(spec, redirectUris);
            Progress progress = Progress.stderr();
            try (UserStoreTarget.UserStore store = target.open(progress)) {
                store.requireTenant(tenant);
                print(spec.commandLine().getOut(), new OAuthClients(store.dataSource()).create(tenant, label, redirectUris), json);
                progress.say("store the client secret now, it is not shown again");
            }
            return 0;
        }
    }

    @Command(name = "rotate", mixinStandardHelpOptions = true, description = {
            "Adds a new secret to a client and prints it, once. The client's other secrets keep working for the"
                    + " overlap, then are refused; `oauth-client revoke` ends the whole client at once."})
    static final class Rotate implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "CLIENT_ID", description = "The client id (oac_...), as `oauth-client list` shows it.")
        String id;

        @Option(names = "--overlap", defaultValue = "24h", converter = TokenRotateCommand.Overlap.class, paramLabel = "DURATION", description = "How long the client's other secrets keep working: e.g. 24h, 90m, 7d, 0 (default: ${DEFAULT-VALUE}).")
        Duration overlap;

        @Option(names = "--json", description = "Print {\"tenant\",\"clientId\",\"clientSecret\",\"secretId\"} as JSON.")
        boolean json;

        @Mixin
        UserStoreTarget target;

        @Override
        public Integer call() throws Exception {
            Progress progress = Progress.stderr();
            try (UserStoreTarget.UserStore store = target.open(progress)) {
                OAuthClients clients = new OAuthClients(store.dataSource());
                IssuedSecret issued = clients.rotate(id, overlap).orElseThrow(() -> new OperatorError(known(clients, id)
                        ? "client " + id + " is revoked; `scimflow oauth-client create` makes a new one"
                        : "unknown client id '" + id + "'"));
                print(spec.commandLine().getOut(), issued, json);
                progress.say("the client's other secrets keep working until " + Instant.now().plus(overlap).truncatedTo(ChronoUnit.SECONDS)
                        + "; store the new secret now, it is not shown again");
            }
            return 0;
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true, description = "Revokes a client: it gets no more tokens, and every ingress refuses the tokens it has within the token cache's time to live.")
    static final class Revoke implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "CLIENT_ID", description = "The client id (oac_...), as `oauth-client list` shows it.")
        String id;

        @Mixin
        UserStoreTarget target;

        @Override
        public Integer call() throws Exception {
            try (UserStoreTarget.UserStore store = target.open(Progress.stderr())) {
                OAuthClients clients = new OAuthClients(store.dataSource());
                if (!clients.revoke(id)) {
                    throw new OperatorError(known(clients, id) ? "client " + id + " is already revoked" : "unknown client id '" + id + "'");
                }
                spec.commandLine().getOut().println("revoked " + id);
                spec.commandLine().getOut().flush();
            }
            return 0;
        }
    }

    @Command(name = "redirect-uris", mixinStandardHelpOptions = true, description = {
            "Replaces a client's redirect URIs (the authorization code grant). Codes issued for a URI no longer listed are"
                    + " refused; with none left (--none), the client has the client credentials grant only."})
    static final class RedirectUris implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "CLIENT_ID", description = "The client id (oac_...), as `oauth-client list` shows it.")
        String id;

        @Option(names = "--redirect-uri", paramLabel = "URI", description = "A redirect URI the client may use; repeatable.")
        List<String> redirectUris = new ArrayList<>();

        @Option(names = "--none", description = "Remove every redirect URI.")
        boolean none;

        @Mixin
        UserStoreTarget target;

        @Override
        public Integer call() throws Exception {
            if (none == !redirectUris.isEmpty()) {
                throw new ParameterException(spec.commandLine(), "give --redirect-uri (one or more) or --none");
            }
            checkRedirectUris(spec, redirectUris);
            try (UserStoreTarget.UserStore store = target.open(Progress.stderr())) {
                OAuthClients clients = new OAuthClients(store.dataSource());
                if (!clients.setRedirectUris(id, redirectUris)) {
                    throw new OperatorError(known(clients, id) ? "client " + id + " is revoked" : "unknown client id '" + id + "'");
                }
                spec.commandLine().getOut()
                        .println(id + " redirect URIs: " + (redirectUris.isEmpty() ? "none" : String.join(" ", redirectUris)));
                spec.commandLine().getOut().flush();
            }
            return 0;
        }
    }

    /**
     * A redirect URI is absolute, without a fragment (RFC 6749 §3.1.2), and https unless it goes to this machine: a code
     * sent in clear text could be read on the way.
     */
    static void checkRedirectUris(CommandSpec spec, List<String> uris) {
        for (String text : uris) {
            URI uri;
            try {
                uri = new URI(text);
            } catch (URISyntaxException e) {
                throw new ParameterException(spec.commandLine(), "--redirect-uri " + text + " is not a URI");
            }
            boolean local = "http".equals(uri.getScheme())
                    && List.of("localhost", "127.0.0.1", "[::1]").contains(String.valueOf(uri.getHost()));
            if (!uri.isAbsolute() || uri.getHost() == null || uri.getFragment() != null || !("https".equals(uri.getScheme()) || local)) {
                throw new ParameterException(spec.commandLine(),
                        "--redirect-uri must be an absolute https URI without a fragment (http only to localhost): " + text);
            }
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Lists OAuth clients (never their secrets).")
    static final class ListClients implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Option(names = "--tenant", description = "Only this tenant's clients.")
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
                print(spec.commandLine().getOut(), new OAuthClients(store.dataSource()).list(tenant));
            }
            return 0;
        }

        private static void print(PrintWriter out, List<ClientInfo> clients) {
            String format = "%-20s %-20s %-22s %-20s %-20s %-20s %-30s %s%n";
            out.printf(format, "CLIENT ID", "TENANT", "LABEL", "CREATED", "REVOKED", "LAST TOKEN", "ACTIVE SECRETS", "REDIRECT URIS");
            for (ClientInfo client : clients) {
                String secrets = client.activeSecrets() + (client.lastSecretExpiresAt() == null
                        ? ""
                        : " (one expires " + time(client.lastSecretExpiresAt()) + ")");
                out.printf(format, client.id(), client.tenant(), client.label(), time(client.createdAt()), time(client.revokedAt()),
                        time(client.lastUsedAt()), secrets,
                        client.redirectUris().isEmpty() ? "-" : String.join(" ", client.redirectUris()));
            }
            out.flush();
        }
    }

    @Command(name = "rotate-key", mixinStandardHelpOptions = true, description = {
            "Makes a new signing key for access tokens; every ingress signs with it within a minute. Tokens"
                    + " signed with the old key stay valid until they expire (the ingresses keep publishing it)."})
    static final class RotateKey implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Mixin
        UserStoreTarget target;

        @Override
        public Integer call() throws Exception {
            try (UserStoreTarget.UserStore store = target.open(Progress.stderr())) {
                spec.commandLine().getOut().println("new signing key " + new SigningKeys(store.dataSource()).rotate());
                spec.commandLine().getOut().flush();
            }
            return 0;
        }
    }

    private static boolean known(OAuthClients clients, String id) {
        return clients.list(null).stream().anyMatch(client -> client.id().equals(id));
    }

    private static void print(PrintWriter out, IssuedSecret issued, boolean json) {
        if (json) {
            Map<String, String> fields = new LinkedHashMap<>();
            fields.put("tenant", issued.tenant());
            fields.put("clientId", issued.clientId());
            fields.put("clientSecret", issued.clientSecret());
            fields.put("secretId", issued.secretId());
            out.println(Json.line(fields));
        } else {
            out.println("tenant:        " + issued.tenant());
            out.println("client_id:     " + issued.clientId());
            out.println("client_secret: " + issued.clientSecret());
        }
        out.flush();
    }

    private static String time(Instant instant) {
        return instant == null ? "-" : instant.truncatedTo(ChronoUnit.SECONDS).toString();
    }
}
