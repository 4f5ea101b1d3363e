package dev.scimflow.store;

import java.security.SecureRandom;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import dev.scimflow.scim.RoleAttribute;
import dev.scimflow.store.TenantTokens.TokenPrincipal;

/**
 * Tenants' OAuth clients, which get short-lived access tokens from the ingress with the client credentials grant. A client
 * belongs to one tenant and may hold several active secrets: {@link #rotate} adds one and gives the others an expiry, so
 * that an IdP can be switched over without a gap. A secret is {@value #SECRET_PREFIX} followed by 256 random bits and is
 * stored as its SHA-256 only, like a static token (a secret that long needs no slow hash: nothing can be guessed).
 */
public class OAuthClients {

    /** Recognisable prefix of client secrets, for secret scanners and people. */
    public static final String SECRET_PREFIX = "scimflow_cs_";
    public static final String ID_PREFIX = "oac_";

    private static final SecureRandom RANDOM = new SecureRandom();

    private final JdbcClient jdbc;
    private final TransactionTemplate transaction;

    public OAuthClients(DataSource dataSource) {
        this.jdbc = JdbcClient.create(dataSource);
        this.transaction = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
    }

    /** A client secret as issued: shown once and never again. */
    public record IssuedSecret(String clientId, String tenant, String secretId, String clientSecret) {
    }

    /** A client as operators see it: never a secret. {@code activeSecrets} counts the secrets that work now. */
    public record ClientInfo(String id, String tenant, String label, Instant createdAt, Instant revokedAt, Instant lastUsedAt,
                             int activeSecrets, Instant lastSecretExpiresAt, List<String> redirectUris) {
    }

    /** What the ingress's authorization server needs of an active client: its tenant and its redirect URIs. */
    public record Registration(String tenant, List<String> redirectUris) {
    }

    /** Creates a client for an existing tenant with its first secret. */
    public IssuedSecret create(String tenant, String label) {
        return create(tenant, label, List.of());
    }

    /**
     * Creates a client for an existing tenant with its first secret and the redirect URIs it may use with the authorization
     * code grant (Okta's OAuth mode); with none, it has the client credentials grant only.
     */
    public IssuedSecret create(String tenant, String label, List<String> redirectUris) {
        String clientId = ID_PREFIX + random(12);
        return transaction.execute(status -> {
            jdbc.sql("insert into scim.oauth_clients (id, tenant_id, label, redirect_uris) values (?, ?, ?, ?::text[])")
                    .params(clientId, tenant, label, redirectUris.toArray(String[]::new)).update();
            return addSecret(clientId, tenant);
        });
    }

    /**
     * Replaces an active client's redirect URIs. Codes already issued for a URI no longer listed are refused at the token
     * endpoint (the URI is checked again there). False when there is no such active client.
     */
    public boolean setRedirectUris(String clientId, List<String> redirectUris) {
        return jdbc.sql("update scim.oauth_clients set redirect_uris = ?::text[] where id = ? and revoked_at is null")
                .params(redirectUris.toArray(String[]::new), clientId).update() == 1;
    }

    /**
     * Adds a secret to an active client and lets every secret it already had work for {@code overlap} more (never longer
     * than it would have anyway). Empty when there is no such client or it is revoked.
     */
    public Optional<IssuedSecret> rotate(String clientId, Duration overlap) {
        if (overlap.isNegative()) {
            throw new IllegalArgumentException("the overlap cannot be negative");
        }
        return transaction.execute(status -> {
            Optional<String> tenant = jdbc.sql("select tenant_id from scim.oauth_clients where id = ? and revoked_at is null for update")
                    .param(clientId).query(String.class).optional();
            if (tenant.isEmpty()) {
                return Optional.empty();
            }
            jdbc.sql("""
                    update scim.oauth_client_secrets
                    set expires_at = least(coalesce(expires_at, 'infinity'), now() + make_interval(secs => ?))
                    where client_id = ? and (expires_at is null or expires_at > now())""")
                    .params(overlap.toMillis() / 1000.0, clientId).update();
            return Optional.of(addSecret(clientId, tenant.get()));
        });
    }

    /**
     * Revokes a client: it gets no more tokens, and the ingress refuses the ones it has; its codes, refresh tokens and
     * consents are deleted with it. False when it is not active.
     */
    public boolean revoke(String clientId) {
        return transaction.execute(status -> {
            if (jdbc.sql("update scim.oauth_clients set revoked_at = now() where id = ? and revoked_at is null").param(clientId)
                    .update() != 1) {
                return false;
            }
            jdbc.sql("delete from scim.oauth_authorizations where client_id = ?").param(clientId).update();
            jdbc.sql("delete from scim.oauth_consents where client_id = ?").param(clientId).update();
            return true;
        });
    }

    /** The client's tenant if the client is active and {@code secret} is one of its unexpired secrets (database clock). */
    public Optional<String> authenticate(String clientId, String secret) {
        return jdbc.sql("""
                select c.tenant_id
                from scim.oauth_client_secrets s join scim.oauth_clients c on c.id = s.client_id
                where s.secret_hash = ? and c.id = ? and c.revoked_at is null
                  and (s.expires_at is null or s.expires_at > now())""")
                .params(TenantTokens.hash(secret), clientId)
                .query(String.class)
                .optional();
    }

    /** The tenant of an active client. */
    public Optional<String> tenantOf(String clientId) {
        return registration(clientId).map(Registration::tenant);
    }

    /** The tenant and redirect URIs of an active client. */
    public Optional<Registration> registration(String clientId) {
        return jdbc.sql("select tenant_id, redirect_uris from scim.oauth_clients where id = ? and revoked_at is null").param(clientId)
                .query((rs, n) -> new Registration(rs.getString(1), List.of((String[]) rs.getArray(2).getArray()))).optional();
    }

    /** Who an active client's access tokens speak for, with its tenant's settings, as a static token's would. */
    public Optional<TokenPrincipal> principal(String clientId) {
        return jdbc.sql("""
                select c.id, c.tenant_id, t.role_attribute
                from scim.oauth_clients c join scim.tenants t on t.id = c.tenant_id
                where c.id = ? and c.revoked_at is null""")
                .param(clientId)
                .query((rs, n) -> new TokenPrincipal(rs.getString(1), rs.getString(2), RoleAttribute.of(rs.getString(3))))
                .optional();
    }

    /** Records that a client got a token at {@code at}; never moves the recorded time backwards. */
    public void recordUse(String clientId, Instant at) {
        jdbc.sql("update scim.oauth_clients set last_used_at = ? where id = ? and (last_used_at is null or last_used_at < ?)")
                .params(Timestamp.from(at), clientId, Timestamp.from(at)).update();
    }

    public List<ClientInfo> list(String tenant) {
        return jdbc.sql("""
                select c.id, c.tenant_id, c.label, c.created_at, c.revoked_at, c.last_used_at,
                       count(s.id) filter (where s.expires_at is null or s.expires_at > now()),
                       max(s.expires_at) filter (where s.expires_at > now()), c.redirect_uris
                from scim.oauth_clients c left join scim.oauth_client_secrets s on s.client_id = c.id
                where (?::text is null or c.tenant_id = ?)
                group by c.id order by c.created_at, c.id""")
                .params(tenant, tenant)
                .query((rs, n) -> new ClientInfo(rs.getString(1), rs.getString(2), rs.getString(3), instant(rs.getTimestamp(4)),
                        instant(rs.getTimestamp(5)), instant(rs.getTimestamp(6)), rs.getInt(7), instant(rs.getTimestamp(8)),
                        List.of((String[]) rs.getArray(9).getArray())))
                .list();
    }

    private IssuedSecret addSecret(String clientId, String tenant) {
        String secret = SECRET_PREFIX + random(32);
        String secretId = "sec_" + random(9);
        jdbc.sql("insert into scim.oauth_client_secrets (id, client_id, secret_hash) values (?, ?, ?)")
                .params(secretId, clientId, TenantTokens.hash(secret)).update();
        return new IssuedSecret(clientId, tenant, secretId, secret);
    }

    private static String random(int bytes) {
        byte[] value = new byte[bytes];
        RANDOM.nextBytes(value);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(value);
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}
