package dev.scimflow.ingress.auth;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.stereotype.Component;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.nimbusds.jwt.JWTClaimsSet;

import dev.scimflow.ingress.IngressProperties;
import dev.scimflow.scim.RoleAttribute;
import dev.scimflow.store.TenantTokens;
import dev.scimflow.store.TenantTokens.TokenPrincipal;
import dev.scimflow.store.TrustedIssuers;
import dev.scimflow.store.TrustedIssuers.TrustedIssuer;

/**
 * Authenticates tokens of external issuers a tenant trusts ({@code scimflow oauth-issuer trust}): Entra's workload
 * identity federation. Only an issuer and subject an operator configured lead anywhere (no key is fetched for any other
 * token); the token must then carry the configured audience and be signed (RS256) by a key of the configured JWKS, which
 * Spring Security's {@link NimbusJwtDecoder} fetches and caches, and be unexpired (60 s of skew). The principal is the
 * trust ({@code tri_...}), which the audit record names as the actor. Trusts are re-read once per
 * {@code token-cache-ttl}, so a removed trust stops working on every instance within it.
 */
@Component
class ExternalTokens {

    private record Trusted(TrustedIssuer trust, TokenPrincipal principal) {
    }

    private final TrustedIssuers trusts;
    private final TenantTokens tenants;
    private final Cache<String, List<Trusted>> inForce;
    private final Map<String, NimbusJwtDecoder> decoders = new ConcurrentHashMap<>();

    ExternalTokens(TrustedIssuers trusts, TenantTokens tenants, IngressProperties ingress) {
        this.trusts = trusts;
        this.tenants = tenants;
        this.inForce = Caffeine.newBuilder().expireAfterWrite(ingress.tokenCacheTtl()).maximumSize(10_000).build();
    }

    Optional<TokenPrincipal> authenticate(JWTClaimsSet unverified, String token) {
        String issuer = unverified.getIssuer();
        String subject = unverified.getSubject();
        List<String> audience = unverified.getAudience();
        if (issuer == null || subject == null || audience == null) {
            return Optional.empty();
        }
        for (Trusted trusted : inForce.get(issuer + "\n" + subject, key -> load(issuer, subject))) {
            TrustedIssuer trust = trusted.trust();
            if (!audience.contains(trust.audience())) {
                continue;
            }
            Jwt jwt;
            try {
                jwt = decoder(trust.jwksUri()).decode(token);
            } catch (JwtException invalid) {
                continue;
            }
            if (trust.issuer().equals(jwt.getClaimAsString("iss")) && trust.subject().equals(jwt.getSubject())
                    && jwt.getAudience() != null && jwt.getAudience().contains(trust.audience())) {
                return Optional.of(trusted.principal());
            }
        }
        return Optional.empty();
    }

    private List<Trusted> load(String issuer, String subject) {
        return trusts.inForce(issuer, subject).stream()
                .map(trust -> new Trusted(trust, new TokenPrincipal(trust.id(), trust.tenant(),
                        tenants.roleAttribute(trust.tenant()).orElse(RoleAttribute.EXTENSION))))
                .toList();
    }

    private NimbusJwtDecoder decoder(String jwksUri) {
        return decoders.computeIfAbsent(jwksUri, uri -> {
            NimbusJwtDecoder decoder = NimbusJwtDecoder.withJwkSetUri(uri).jwsAlgorithm(SignatureAlgorithm.RS256).build();
            decoder.setJwtValidator(new JwtTimestampValidator(Duration.ofSeconds(60)));
            return decoder;
        });
    }
}
