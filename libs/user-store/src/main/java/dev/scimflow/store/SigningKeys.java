package dev.scimflow.store;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import javax.sql.DataSource;

import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The RSA keys the ingress signs OAuth access tokens with, kept in the user store so that every ingress instance signs
 * with the same key and publishes the same JWKS. The newest key signs. A key stays published after a newer one replaced
 * it for as long as the tokens it signed can live ({@code published(Duration)}), so rotating keys never breaks a token in
 * flight.
 */
public class SigningKeys {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final JdbcClient jdbc;

    public SigningKeys(DataSource dataSource) {
        this.jdbc = JdbcClient.create(dataSource);
    }

    /** A signing key with when it was made; the private key never leaves the ingress. */
    public record SigningKey(String id, RSAPublicKey publicKey, RSAPrivateKey privateKey, Instant createdAt) {
    }

    /**
     * The keys to publish, newest (the one that signs) first: the newest, and every key replaced less than
     * {@code afterReplaced} ago (the longest a token it signed can still be valid).
     */
    public List<SigningKey> published(Duration afterReplaced) {
        return jdbc.sql("""
                select id, public_key, private_key, created_at from (
                    select k.*, lead(created_at) over (order by created_at, id) as replaced_at
                    from scim.oauth_signing_keys k) keys
                where replaced_at is null or replaced_at > now() - make_interval(secs => ?)
                order by created_at desc, id desc""")
                .param(afterReplaced.toMillis() / 1000.0)
                .query((rs, n) -> new SigningKey(rs.getString(1), publicKey(rs.getBytes(2)), privateKey(rs.getBytes(3)),
                        rs.getTimestamp(4).toInstant()))
                .list();
    }

    /**
     * Makes a new key unless the newest is younger than {@code rotation}; true when it made one. Two instances that do so
     * at the same moment each add a key: both are published and the newer one signs, which is harmless.
     */
    public boolean ensureCurrent(Duration rotation) {
        long young = jdbc.sql("select count(*) from scim.oauth_signing_keys where created_at > now() - make_interval(secs => ?)")
                .param(rotation.toMillis() / 1000.0).query(Long.class).single();
        if (young > 0) {
            return false;
        }
        rotate();
        return true;
    }

    /** Makes a new key, which signs from now on; returns its id. */
    public String rotate() {
        KeyPair pair = newPair();
        byte[] id = new byte[9];
        RANDOM.nextBytes(id);
        String kid = "key_" + Base64.getUrlEncoder().withoutPadding().encodeToString(id);
        jdbc.sql("insert into scim.oauth_signing_keys (id, private_key, public_key) values (?, ?, ?)")
                .params(kid, pair.getPrivate().getEncoded(), pair.getPublic().getEncoded()).update();
        return kid;
    }

    private static KeyPair newPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("RSA is part of every JDK", e);
        }
    }

    private static RSAPublicKey publicKey(byte[] encoded) {
        try {
            return (RSAPublicKey) KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(encoded));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("a stored signing key cannot be read", e);
        }
    }

    private static RSAPrivateKey privateKey(byte[] encoded) {
        try {
            return (RSAPrivateKey) KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(encoded));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("a stored signing key cannot be read", e);
        }
    }
}
