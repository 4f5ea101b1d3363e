package dev.scimflow.store;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * What the ingress's authorization server keeps of the authorization code grant (Okta's OAuth mode), shared by every
 * ingress instance: authorizations, each found by its id or by the SHA-256 of its consent state, code or refresh token,
 * and the consents tenants' administrators gave clients. The authorization itself is opaque here (the ingress serializes
 * it, with hashes in place of its token values). Nothing of a revoked client is found, and nothing past its expiry.
 */
public class OAuthAuthorizations {

    /** The hashed value an authorization is found by. */
    public enum Key {
        STATE("state_hash"), CODE("code_hash"), REFRESH_TOKEN("refresh_token_hash");

        private final String column;

        Key(String column) {
            this.column = column;
        }
    }

    /** An authorization as stored: hashes may be null (no such token yet, or no longer). */
    public record StoredAuthorization(String id, String clientId, String tenant, byte[] stateHash, byte[] codeHash,
                                      byte[] refreshTokenHash, byte[] content, Instant expiresAt) {
    }

    private final JdbcClient jdbc;

    public OAuthAuthorizations(DataSource dataSource) {
        this.jdbc = JdbcClient.create(dataSource);
    }

    /** Inserts or replaces an authorization; a replaced refresh token or code is no longer found. */
    public void save(StoredAuthorization authorization) {
        jdbc.sql("""
                insert into scim.oauth_authorizations
                    (id, client_id, tenant_id, state_hash, code_hash, refresh_token_hash, content, expires_at)
                values (?, ?, ?, ?, ?, ?, ?, ?)
                on conflict (id) do update set state_hash = excluded.state_hash, code_hash = excluded.code_hash,
                    refresh_token_hash = excluded.refresh_token_hash, content = excluded.content, expires_at = excluded.expires_at""")
                .params(authorization.id(), authorization.clientId(), authorization.tenant(), authorization.stateHash(),
                        authorization.codeHash(), authorization.refreshTokenHash(), authorization.content(),
                        Timestamp.from(authorization.expiresAt()))
                .update();
        // what expired is of no use to anyone: each save clears its client's
        jdbc.sql("delete from scim.oauth_authorizations where client_id = ? and expires_at < now()").param(authorization.clientId())
                .update();
    }

    public Optional<byte[]> byId(String id) {
        return find("a.id = ?", id);
    }

    public Optional<byte[]> byHash(Key key, byte[] hash) {
        return find("a." + key.column + " = ?", hash);
    }

    public void remove(String id) {
        jdbc.sql("delete from scim.oauth_authorizations where id = ?").param(id).update();
    }

    private Optional<byte[]> find(String condition, Object value) {
        return jdbc.sql("""
                select a.content from scim.oauth_authorizations a join scim.oauth_clients c on c.id = a.client_id
                where c.revoked_at is null and a.expires_at > now() and\s""" + condition)
                .param(value).query(byte[].class).optional();
    }

    /** Records what a tenant's administrator consented to a client doing. */
    public void consent(String clientId, String tenant, List<String> authorities) {
        jdbc.sql("""
                insert into scim.oauth_consents (client_id, tenant_id, authorities) values (?, ?, ?::text[])
                on conflict (client_id, tenant_id) do update set authorities = excluded.authorities""")
                .params(clientId, tenant, authorities.toArray(String[]::new)).update();
    }

    /** What a tenant's administrator consented to an active client doing; empty when nothing. */
    public List<String> consented(String clientId, String tenant) {
        return jdbc.sql("""
                select k.authorities from scim.oauth_consents k join scim.oauth_clients c on c.id = k.client_id
                where c.revoked_at is null and k.client_id = ? and k.tenant_id = ?""")
                .params(clientId, tenant).query((rs, n) -> List.of((String[]) rs.getArray(1).getArray())).optional().orElse(List.of());
    }

    public void withdrawConsent(String clientId, String tenant) {
        jdbc.sql("delete from scim.oauth_consents where client_id = ? and tenant_id = ?").params(clientId, tenant).update();
    }
}
