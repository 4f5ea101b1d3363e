package dev.scimflow.store;

import java.security.SecureRandom;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import javax.sql.DataSource;

import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * External token issuers a tenant trusts, which is how Entra's workload identity federation presents itself: a JWT of
 * {@code issuer}, for {@code audience}, about {@code subject}, signed with a key published at {@code jwksUri}, speaks for
 * the tenant. Each trust is a row added by an operator; removing it ends it.
 */
public class TrustedIssuers {

    public static final String ID_PREFIX = "tri_";
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String SELECT = "select id, tenant_id, issuer, audience, subject, jwks_uri, created_at, removed_at"
            + " from scim.oauth_trusted_issuers";

    private final JdbcClient jdbc;

    public TrustedIssuers(DataSource dataSource) {
        this.jdbc = JdbcClient.create(dataSource);
    }

    /** A trust; {@code removedAt} is null while it holds. */
    public record TrustedIssuer(String id, String tenant, String issuer, String audience, String subject, String jwksUri,
                                Instant createdAt, Instant removedAt) {
    }

    public TrustedIssuer add(String tenant, String issuer, String audience, String subject, String jwksUri) {
        byte[] random = new byte[9];
        RANDOM.nextBytes(random);
        String id = ID_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        jdbc.sql("insert into scim.oauth_trusted_issuers (id, tenant_id, issuer, audience, subject, jwks_uri) values (?, ?, ?, ?, ?, ?)")
                .params(id, tenant, issuer, audience, subject, jwksUri).update();
        return list(tenant).stream().filter(trust -> trust.id().equals(id)).findFirst().orElseThrow();
    }

    /** Ends a trust; false when there is no such trust in force. */
    public boolean remove(String id) {
        return jdbc.sql("update scim.oauth_trusted_issuers set removed_at = now() where id = ? and removed_at is null").param(id)
                .update() == 1;
    }

    /** The trusts in force for tokens of {@code issuer} about {@code subject}. */
    public List<TrustedIssuer> inForce(String issuer, String subject) {
        return jdbc.sql(SELECT + " where issuer = ? and subject = ? and removed_at is null order by created_at, id")
                .params(issuer, subject).query((rs, n) -> row(rs)).list();
    }

    public List<TrustedIssuer> list(String tenant) {
        return jdbc.sql(SELECT + " where (?::text is null or tenant_id = ?) order by created_at, id")
                .params(tenant, tenant).query((rs, n) -> row(rs)).list();
    }

    private static TrustedIssuer row(ResultSet rs) throws SQLException {
        return new TrustedIssuer(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6),
                instant(rs.getTimestamp(7)), instant(rs.getTimestamp(8)));
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}
