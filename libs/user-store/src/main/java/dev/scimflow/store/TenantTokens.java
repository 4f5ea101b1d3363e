package dev.scimflow.store;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

import org.springframework.jdbc.core.simple.JdbcClient;

import dev.scimflow.scim.RoleAttribute;

/**
 * Tenants and their SCIM bearer tokens. A token is {@value #PREFIX} followed by 256 random bits; only its
 * SHA-256 is stored, so a leaked database cannot be replayed against the ingress. A token is looked up by
 * its hash (an index lookup, no per-byte comparison of secrets), and maps to exactly one tenant.
 *
 * <p>Why an index lookup is as good as a constant-time comparison here: what the database compares is the
 * SHA-256 of what the caller sent, never the secret itself. Timing can at best tell an attacker how many
 * leading bytes of that hash matched a stored hash, which is worthless without inverting SHA-256.
 *
 * <p>A tenant may hold several active tokens. {@link #rotate} issues a new one and gives the old one an expiry,
 * so that an IdP can be switched over without a gap. {@link #authenticate} asks the database each time; an ingress
 * instance trusts a token it checked for its token cache's time to live (1 s by default), so a revoked or expired token
 * is refused by every instance within that bound.
 *
 * <p>A tenant's settings that the ingress needs on every request (where responses carry Zulip's role) come with the
 * token, in the same query, so that they cost no round trip of their own.
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

    /** Who a valid token speaks for, and the tenant's choice of where responses carry Zulip's role. */
    public record TokenPrincipal(String tokenId, String tenant, RoleAttribute roleAttribute) {
    }

    /** A token as operators see it: never the secret. {@code replacedBy} is the token a rotation issued for it. */
    public record TokenInfo(String id, String tenant, String label, Instant createdAt, Instant revokedAt, Instant lastUsedAt,
                            Instant expiresAt, String replacedBy) {
    }

    /** Creates the tenant if it does not exist yet, with role in the extension; returns true when it was created. */
    public boolean createTenant(String tenant) {
        return createTenant(tenant, RoleAttribute.EXTENSION);
    }

    /** Creates the tenant if it does not exist yet; returns true when it was created. */
    public boolean createTenant(String tenant, RoleAttribute roleAttribute) {
        return jdbc.sql("insert into scim.tenants (id, role_attribute) values (?, ?) on conflict do nothing")
                .params(tenant, roleAttribute.label()).update() == 1;
    }

    /** Where the tenant's responses carry role; empty when there is no such tenant. */
    public Optional<RoleAttribute> roleAttribute(String tenant) {
        return jdbc.sql("select role_attribute from scim.tenants where id = ?").param(tenant).query(String.class).optional()
                .map(RoleAttribute::of);
    }

    /**
     * Changes where the tenant's responses carry role; false when there is no such tenant. Ingress instances see the
     * change when their cached authentication of the tenant's token expires (within the token cache's time to live).
     */
    public boolean setRoleAttribute(String tenant, RoleAttribute roleAttribute) {
        return jdbc.sql("update scim.tenants set role_attribute = ? where id = ?").params(roleAttribute.label(), tenant).update() == 1;
    }

    public boolean tenantExists(String tenant) {
        return jdbc.sql("select count(*) from scim.tenants where id = ?").param(tenant).query(Long.class).single() > 0;
    }

    /** Issues a new random token for an existing tenant. */
    public IssuedToken issue(String tenant, String label) {
        return register(tenant, label, newToken());
    }

    /** Registers a token chosen by the operator (e.g. {@code scimflow up --token}); it must be long enough to be a secret. */
    public IssuedToken register(String tenant, String label, String token) {
        if (token.length() < 16) {
            throw new IllegalArgumentException("a token must have at least 16 characters");
        }
        String tokenId = newTokenId();
        jdbc.sql("insert into scim.tenant_tokens (id, tenant_id, token_hash, label) values (?, ?, ?, ?)")
                .params(tokenId, tenant, hash(token), label).update();
        return new IssuedToken(tokenId, tenant, token);
    }

    /**
     * Replaces an active token in one statement: issues a new one for the same tenant and label, and lets the
     * old one work for {@code overlap} more (never longer than it would have anyway). Empty when there is no
     * such token or it is already revoked or expired.
     */
    public Optional<IssuedToken> rotate(String tokenId, Duration overlap) {
        if (overlap.isNegative()) {
            throw new IllegalArgumentException("the overlap cannot be negative");
        }
        String token = newToken();
        String newId = newTokenId();
        return jdbc.sql("""
                with old as (
                    update scim.tenant_tokens
                    set expires_at = least(coalesce(expires_at, 'infinity'), now() + make_interval(secs => ?)),
                        replaced_by = ?
                    where id = ? and revoked_at is null and (expires_at is null or expires_at > now())
                    returning tenant_id, label)
                insert into scim.tenant_tokens (id, tenant_id, token_hash, label)
                select ?, tenant_id, ?, label from old
                returning tenant_id""")
                .params(overlap.toMillis() / 1000.0, newId, tokenId, newId, hash(token))
                .query(String.class)
                .optional()
                .map(tenant -> new IssuedToken(newId, tenant, token));
    }

    /**
     * The tenant a token belongs to, with its settings, if the token exists and is neither revoked nor expired (by the
     * database's clock).
     */
    public Optional<TokenPrincipal> authenticate(String token) {
        return jdbc.sql("""
                select k.id, k.tenant_id, t.role_attribute
                from scim.tenant_tokens k join scim.tenants t on t.id = k.tenant_id
                where k.token_hash = ? and k.revoked_at is null and (k.expires_at is null or k.expires_at > now())""")
                .param(hash(token))
                .query((rs, n) -> new TokenPrincipal(rs.getString(1), rs.getString(2), RoleAttribute.of(rs.getString(3))))
                .optional();
    }

    /** Records that a token was used at {@code at}; never moves the recorded time backwards. */
    public void recordUse(String tokenId, Instant at) {
        jdbc.sql("update scim.tenant_tokens set last_used_at = ? where id = ? and (last_used_at is null or last_used_at < ?)")
                .params(Timestamp.from(at), tokenId, Timestamp.from(at)).update();
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
                select id, tenant_id, label, created_at, revoked_at, last_used_at, expires_at, replaced_by
                from scim.tenant_tokens where (?::text is null or tenant_id = ?) order by created_at, id""")
                .params(tenant, tenant)
                .query((rs, n) -> new TokenInfo(rs.getString(1), rs.getString(2), rs.getString(3),
                        instant(rs.getTimestamp(4)), instant(rs.getTimestamp(5)), instant(rs.getTimestamp(6)),
                        instant(rs.getTimestamp(7)), rs.getString(8)))
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

    private static String newToken() {
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
    }

    private static String newTokenId() {
        byte[] id = new byte[9];
        RANDOM.nextBytes(id);
        return "tok_" + Base64.getUrlEncoder().withoutPadding().encodeToString(id);
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}
