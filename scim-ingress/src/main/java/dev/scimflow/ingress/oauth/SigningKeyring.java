package dev.scimflow.ingress.oauth;

import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;

import dev.scimflow.store.SigningKeys;
import dev.scimflow.store.SigningKeys.SigningKey;

/**
 * This instance's copy of the signing keys the user store holds for every ingress: the source the token endpoint signs
 * with (the newest key), the JWKS publishes and access tokens on {@code /scim/v2} are verified against. Read again every
 * {@code key-refresh} (making a new key when the newest is older than {@code key-rotation}), and at once, at most once a
 * second, when a token names a key this copy does not hold (another instance made it a moment ago). Nothing is read at
 * startup: the first token request or access token does it, so the ingress starts as fast as without OAuth.
 */
@Component
public class SigningKeyring implements JWKSource<SecurityContext> {

    private static final Logger log = LoggerFactory.getLogger(SigningKeyring.class);
    private static final Duration UNKNOWN_KEY_REFRESH = Duration.ofSeconds(1);

    private final SigningKeys keys;
    private final OAuthProperties properties;
    private volatile Snapshot snapshot = new Snapshot(new JWKSet(), Instant.EPOCH);

    private record Snapshot(JWKSet keys, Instant readAt) {
    }

    SigningKeyring(SigningKeys keys, OAuthProperties properties) {
        this.keys = keys;
        this.properties = properties;
    }

    @Override
    public List<JWK> get(JWKSelector selector, SecurityContext context) {
        Snapshot current = current();
        List<JWK> found = selector.select(current.keys());
        String kid = selector.getMatcher().getKeyIDs() == null || selector.getMatcher().getKeyIDs().size() != 1
                ? null
                : selector.getMatcher().getKeyIDs().iterator().next();
        if (found.isEmpty() && kid != null && current.readAt().plus(UNKNOWN_KEY_REFRESH).isBefore(Instant.now())) {
            found = selector.select(refreshUnlessNewer(current).keys());
        }
        return found;
    }

    /** The key that signs: the newest of those the selector of the token encoder is given. */
    static JWK newest(List<JWK> candidates) {
        return candidates.stream().max((a, b) -> a.getIssueTime().compareTo(b.getIssueTime())).orElseThrow();
    }

    private Snapshot current() {
        Snapshot current = snapshot;
        return current.readAt().plus(properties.keyRefresh()).isAfter(Instant.now()) ? current : refreshUnlessNewer(current);
    }

    /** Reads the keys again unless another thread did since {@code seen}; with the store down, keeps the keys it has. */
    private synchronized Snapshot refreshUnlessNewer(Snapshot seen) {
        if (snapshot != seen) {
            return snapshot;
        }
        try {
            return refresh();
        } catch (RuntimeException e) {
            if (seen.keys().getKeys().isEmpty()) {
                throw e;
            }
            log.warn("could not read the signing keys, keeping the {} this instance has: {}", seen.keys().getKeys().size(),
                    e.getClass().getSimpleName());
            Snapshot kept = new Snapshot(seen.keys(), Instant.now());
            snapshot = kept;
            return kept;
        }
    }

    /** Reads the keys now (making a new one if the newest is too old). */
    synchronized Snapshot refresh() {
        if (keys.ensureCurrent(properties.keyRotation())) {
            log.info("made a new signing key for access tokens (the newest was older than {})", properties.keyRotation());
        }
        List<JWK> published = keys.published(properties.publishReplacedKeys()).stream().map(SigningKeyring::jwk).toList();
        Snapshot read = new Snapshot(new JWKSet(published), Instant.now());
        snapshot = read;
        return read;
    }

    private static JWK jwk(SigningKey key) {
        return new RSAKey.Builder(key.publicKey()).privateKey(key.privateKey()).keyID(key.id()).keyUse(KeyUse.SIGNATURE)
                .algorithm(JWSAlgorithm.RS256).issueTime(Date.from(key.createdAt())).build();
    }
}
