package dev.scimflow.ops.stack;

import java.util.Optional;

import dev.scimflow.ops.OperatorError;
import dev.scimflow.ops.OperatorToken;
import dev.scimflow.ops.Progress;
import dev.scimflow.ops.stack.Credentials.TenantToken;
import dev.scimflow.store.TenantTokens;
import dev.scimflow.store.TenantTokens.TokenPrincipal;

/**
 * Gives a starting stack its credentials: the operator token, generated once; the tenant, created if missing; and
 * the tenant's token, which is the one given with {@code --token} (registered if new), or else the one kept from an
 * earlier run as long as it still works, or else a new one.
 */
final class StackCredentials {

    static final String UP_LABEL = "scimflow up";

    record Provisioned(String auditToken, String tenant, TenantToken token) {
    }

    private StackCredentials() {
    }

    static Provisioned provision(DataDir dataDir, TenantTokens tokens, String tenant, String fixedToken, Progress progress) {
        Credentials credentials = Credentials.load(dataDir.credentials());
        Credentials updated = credentials;
        if (updated.auditToken() == null) {
            updated = updated.withAuditToken(OperatorToken.generate());
        }
        if (tokens.createTenant(tenant)) {
            progress.say("created tenant '" + tenant + "'");
        }
        TenantToken kept = updated.tenants().get(tenant);
        TenantToken token = fixedToken != null
                ? registered(tokens, tenant, fixedToken, progress)
                : stillValid(tokens, tenant, kept).orElseGet(() -> {
                    if (kept != null) {
                        progress.say("the token kept for tenant '" + tenant + "' no longer works (revoked?); issuing a new one");
                    }
                    TenantTokens.IssuedToken issued = tokens.issue(tenant, UP_LABEL);
                    return new TenantToken(issued.id(), issued.token());
                });
        if (!token.equals(kept)) {
            updated = updated.withTenant(tenant, token);
        }
        if (!updated.equals(credentials)) {
            updated.save(dataDir.credentials());
        }
        return new Provisioned(updated.auditToken(), tenant, token);
    }

    private static Optional<TenantToken> stillValid(TenantTokens tokens, String tenant, TenantToken kept) {
        if (kept == null) {
            return Optional.empty();
        }
        return tokens.authenticate(kept.token())
                .filter(principal -> principal.tenant().equals(tenant))
                .map(principal -> new TenantToken(principal.tokenId(), kept.token()));
    }

    private static TenantToken registered(TenantTokens tokens, String tenant, String fixedToken, Progress progress) {
        Optional<TokenPrincipal> principal = tokens.authenticate(fixedToken);
        if (principal.isPresent()) {
            if (!principal.get().tenant().equals(tenant)) {
                throw new OperatorError("the --token is already registered for tenant '" + principal.get().tenant()
                        + "', not '" + tenant + "'");
            }
            return new TenantToken(principal.get().tokenId(), fixedToken);
        }
        if (tokens.idOf(fixedToken).isPresent()) {
            throw new OperatorError("the --token was revoked; choose another one");
        }
        TenantTokens.IssuedToken issued = tokens.register(tenant, UP_LABEL + " --token", fixedToken);
        progress.say("registered the --token for tenant '" + tenant + "' as " + issued.id());
        return new TenantToken(issued.id(), fixedToken);
    }
}
