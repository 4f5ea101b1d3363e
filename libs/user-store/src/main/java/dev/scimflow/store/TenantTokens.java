package dev.scimflow.store;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

import javax.sql.DataSource;

import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Tenants and their SCIM bearer tokens. A token is {@value #PREFIX} followed by 256 random bits; only its
 * SHA-256 is stored, so a leaked database cannot be replayed against the ingress. A token is looked up by
 * its hash (an index lookup, no per-byte comparison of secrets), and maps to exactly one tenant.
 */
public class TenantTokens {

    /** Recognisable prefix, so that secret scanners and people can tell a scimflow token when they see one. */
    public static final String PREFIX = "scimflow_";

    private static final SecureRandom RANDOM = new SecureRandom();

    private final JdbcClient jdbc;

    public TenantTokens(DataSource dataSource) {
        this.jdbc = JdbcClient.create(dataSource);
    }

    /** A token as issued: the secret is shown once and never again. */
    public record IssuedToken(String id, String tenant, String token) {
    }

    /** Who a valid token speaks for. */
    public record TokenPrincipal(String tokenId, String tenant) {
    }

    /** A token as operators see it: never the secret. */
    public record TokenInfo(String id, String tenant, String label, Instant createdAt, Instant revokedAt, Instant lastUsedAt) {
    }

    /** Creates the tenant if it does not exist yet; returns true when it was created. */
    public boolean createTenant(String tenant) {
        return jdbc.sql("insert into scim.tenants (id) values (?) on conflict do nothing").param(tenant).update() == 1;
    }

    public boolean tenantExists(String tenant) {
        return jdbc.sql("select count(*) from scim.tenants where id = ?").param(tenant).query(Long.class).single() > 0;
    }

    /** Issues a new random token for an existing tenant. */
    public IssuedToken issue(String tenant, String label) {
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        return register(tenant, label, PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(secret));
    }

    /** Registers a token chosen by the operator (e.g. {@code scimflow up --token}); it must be long enough to be a secret. */
    public IssuedToken register(String tenant, String label, String token) {
        if (token.length() < 16) {
            throw new IllegalArgumentException("a token must have at least 16 characters");
        }
        byte[] id = new byte[9];
        RANDOM.nextBytes(id);
        String tokenId = "tok_" + Base64.getUrlEncoder().withoutPadding().encodeToString(id);
        jdbc.sql("insert into scim.tenant_tokens (id, tenant_id, token_hash, label) values (?, ?, ?, ?)")
                .params(tokenId, tenant, hash(token), label).update();
        return new IssuedToken(tokenId, tenant, token);
    }

    /** The tenant a token belongs to, if the token exists and is not revoked. */
    public Optional<TokenPrincipal> authenticate(String token) {
        return jdbc.sql("select id, tenant_id from scim.tenant_tokens where token_hash = ? and revoked_at is null")
                .param(hash(token))
                .query((rs, n) -> new TokenPrincipal(rs.getString(1), rs.getString(2)))
                .optional();
    }

    /** The token's id if this exact token is registered (revoked or not). */
    public Optional<String> idOf(String token) {
        return jdbc.sql("select id from scim.tenant_tokens where token_hash = ?").param(hash(token)).query(String.class).optional();
    }

    /** Revokes a token by id; returns false when there is no such active token. */
    public boolean revoke(String tokenId) {
        return jdbc.sql("update scim.tenant_tokens set revoked_at = now() where id = ? and revoked_at is null")
                .param(tokenId).update() == 1;
    }

    public List<TokenInfo> list(String tenant) {
        return jdbc.sql("""
                        select id, tenant_id, label, created_at, revoked_at, last_used_at from scim.tenant_tokens
                        where (?::text is null or tenant_id = ?) order by created_at, id""")
                .params(tenant, tenant)
                .query((rs, n) -> new TokenInfo(rs.getString(1), rs.getString(2), rs.getString(3),
                        instant(rs.getTimestamp(4)), instant(rs.getTimestamp(5)), instant(rs.getTimestamp(6))))
                .list();
    }

    /** SHA-256 of a token: the only form in which tokens are stored or compared. */
    public static byte[] hash(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    private static Instant instant(java.sql.Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}
