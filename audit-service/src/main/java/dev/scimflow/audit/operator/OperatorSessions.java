package dev.scimflow.audit.operator;

import java.security.SecureRandom;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The web page's sessions, kept in the audit schema so that they survive a restart and work on every instance.
 * A session id is 256 random bits; only its SHA-256 is stored, so reading the table gives no one a session.
 * The operator token itself is never stored, in a session or anywhere else.
 */
@Repository
public class OperatorSessions {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final JdbcClient jdbc;
    private final OperatorSessionProperties properties;

    OperatorSessions(JdbcClient jdbc, OperatorSessionProperties properties) {
        this.jdbc = jdbc;
        this.properties = properties;
    }

    public OperatorSession start() {
        jdbc.sql("delete from audit.operator_sessions where expires_at < now()").update();
        OperatorSession session = new OperatorSession(randomToken(), randomToken());
        jdbc.sql("insert into audit.operator_sessions (session_hash, csrf_token, expires_at) values (:hash, :csrf, :expiresAt)")
                .param("hash", hash(session.id())).param("csrf", session.csrfToken())
                .param("expiresAt", OffsetDateTime.now(ZoneOffset.UTC).plus(properties.lifetime()))
                .update();
        return session;
    }

    public Optional<OperatorSession> find(String id) {
        if (id == null || id.isEmpty()) {
            return Optional.empty();
        }
        return jdbc.sql("select csrf_token from audit.operator_sessions where session_hash = :hash and expires_at > now()")
                .param("hash", hash(id))
                .query((rs, row) -> new OperatorSession(id, rs.getString("csrf_token")))
                .optional();
    }

    public void end(OperatorSession session) {
        jdbc.sql("delete from audit.operator_sessions where session_hash = :hash").param("hash", hash(session.id())).update();
    }

    static String randomToken() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static String hash(String id) {
        return HexFormat.of().formatHex(OperatorTokens.sha256(id));
    }
}
