package dev.scimflow.ssf.token;

import java.sql.Timestamp;
import java.text.ParseException;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;

import dev.scimflow.ssf.EventsProperties;

/**
 * The keys SETs are signed with (ES256), shared by every instance through {@code events.signing_keys}. The newest key
 * whose time has come signs; every key not yet retired is published at {@code jwks_uri} — a new one before it signs and
 * an old one after it stopped — so a rotation ({@code scimflow events rotate-key}) never leaves a receiver with a SET it
 * cannot verify. The first start creates a key if there is none. Keys are reloaded every
 * {@code scimflow.events.keys.reload-interval}.
 */
@Component
public class SigningKeys {

    private static final Logger log = LoggerFactory.getLogger(SigningKeys.class);

    private final JdbcClient jdbc;
    private final TransactionTemplate transaction;
    private final EventsProperties properties;
    private volatile List<StoredKey> keys = List.of();
    private volatile Instant loadedAt = Instant.EPOCH;

    record StoredKey(String kid, ECKey key, Instant activatesAt, Instant retiresAt) {

        boolean published(Instant now) {
            return retiresAt == null || retiresAt.isAfter(now);
        }

        boolean signs(Instant now) {
            return published(now) && !activatesAt.isAfter(now);
        }
    }

    SigningKeys(JdbcClient jdbc, TransactionTemplate transaction, EventsProperties properties) {
        this.jdbc = jdbc;
        this.transaction = transaction;
        this.properties = properties;
    }

    /** The key that signs now: the newest active one; one is created if there is none. */
    public ECKey signingKey() {
        Instant now = Instant.now();
        if (now.isAfter(loadedAt.plus(properties.keys().reloadInterval()))) {
            reload();
        }
        return keys.stream().filter(key -> key.signs(now)).max(Comparator.comparing(StoredKey::activatesAt))
                .orElseGet(() -> {
                    ensureKey();
                    reload();
                    return keys.stream().filter(key -> key.signs(Instant.now())).max(Comparator.comparing(StoredKey::activatesAt))
                            .orElseThrow(() -> new IllegalStateException("no signing key"));
                }).key();
    }

    /** The public keys receivers verify with: every key not retired. */
    public JWKSet publicKeys() {
        Instant now = Instant.now();
        if (now.isAfter(loadedAt.plus(properties.keys().reloadInterval()))) {
            reload();
        }
        return new JWKSet(keys.stream().filter(key -> key.published(now)).map(key -> (JWK) key.key().toPublicJWK()).toList());
    }

    /** At start: a key to sign with and publish from the first request on (if the database is there; else at first use). */
    @EventListener(ApplicationReadyEvent.class)
    void keyReady() {
        try {
            ensureKey();
            reload();
        } catch (RuntimeException e) {
            log.warn("signing keys not ready yet ({}); they are created at first use", e.toString());
        }
    }

    /** Creates the first key, once across instances (under an advisory lock), if no key signs now. */
    public void ensureKey() {
        transaction.executeWithoutResult(status -> {
            jdbc.sql("select pg_advisory_xact_lock(hashtext('scimflow-events-signing-keys'))").query(Object.class).single();
            long usable = jdbc.sql("""
                    select count(*) from events.signing_keys
                    where activates_at <= now() and (retires_at is null or retires_at > now())""")
                    .query(Long.class).single();
            if (usable == 0) {
                ECKey key = newKey();
                jdbc.sql("insert into events.signing_keys (kid, jwk) values (?, ?)").params(key.getKeyID(), key.toJSONString()).update();
                log.info("created signing key {}", key.getKeyID());
            }
        });
    }

    /** A new P-256 key with a random key id, for signing (ES256). */
    public static ECKey newKey() {
        try {
            return new ECKeyGenerator(Curve.P_256).keyID(UUID.randomUUID().toString()).keyUse(KeyUse.SIGNATURE)
                    .algorithm(com.nimbusds.jose.JWSAlgorithm.ES256).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot generate a P-256 key", e);
        }
    }

    private synchronized void reload() {
        keys = jdbc.sql("select kid, jwk, activates_at, retires_at from events.signing_keys order by activates_at")
                .query((rs, row) -> new StoredKey(rs.getString(1), parse(rs.getString(2)), rs.getTimestamp(3).toInstant(),
                        instant(rs.getTimestamp(4))))
                .list();
        loadedAt = Instant.now();
    }

    private static ECKey parse(String jwk) {
        try {
            return ECKey.parse(jwk);
        } catch (ParseException e) {
            throw new IllegalStateException("a stored signing key is not an EC JWK", e);
        }
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}
