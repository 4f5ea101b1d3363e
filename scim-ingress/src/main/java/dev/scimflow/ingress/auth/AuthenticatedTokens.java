package dev.scimflow.ingress.auth;

import java.nio.ByteBuffer;
import java.util.Optional;

import org.springframework.stereotype.Component;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import dev.scimflow.ingress.IngressProperties;
import dev.scimflow.store.TenantTokens;
import dev.scimflow.store.TenantTokens.TokenPrincipal;

/**
 * Authenticates bearer tokens against the store, remembering each valid one for {@code scimflow.ingress.token-cache-ttl}
 * (1 s by default), so that an IdP's requests do not each cost a database round trip: a token revoked or expired in the
 * store is refused by every instance at most that long after. Tokens are kept by their SHA-256 only, as the store
 * keeps them; unknown tokens are not remembered, so a token issued a moment ago works at once.
 */
@Component
class AuthenticatedTokens {

    private final TenantTokens tokens;
    private final Cache<ByteBuffer, TokenPrincipal> valid;

    AuthenticatedTokens(TenantTokens tokens, IngressProperties properties) {
        this.tokens = tokens;
        this.valid = Caffeine.newBuilder().expireAfterWrite(properties.tokenCacheTtl()).maximumSize(10_000).build();
    }

    Optional<TokenPrincipal> authenticate(String token) {
        ByteBuffer hash = ByteBuffer.wrap(TenantTokens.hash(token));
        TokenPrincipal known = valid.getIfPresent(hash);
        if (known != null) {
            return Optional.of(known);
        }
        Optional<TokenPrincipal> principal = tokens.authenticate(token);
        principal.ifPresent(found -> valid.put(hash, found));
        return principal;
    }
}
