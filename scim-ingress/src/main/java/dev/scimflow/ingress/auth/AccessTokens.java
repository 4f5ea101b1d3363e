package dev.scimflow.ingress.auth;

import java.text.ParseException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.stereotype.Component;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;

import dev.scimflow.ingress.IngressProperties;
import dev.scimflow.ingress.oauth.OAuthIssuer;
import dev.scimflow.ingress.oauth.OAuthProperties;
import dev.scimflow.ingress.oauth.SigningKeyring;
import dev.scimflow.store.OAuthClients;
import dev.scimflow.store.TenantTokens.TokenPrincipal;
import jakarta.servlet.http.HttpServletRequest;

/**
 * Authenticates the OAuth access tokens the ingress's own token endpoint issued, presented as bearer tokens on
 * {@code /scim/v2}: Spring Security's {@link NimbusJwtDecoder} checks the RS256 signature against the shared signing keys
 * and the expiry (60 s of clock skew); then the issuer and audience must be this ingress's, and the client named by
 * {@code sub} must be active and belong to the tenant the {@code tenant} claim names. A client's state is read from the
 * store at most once per {@code scimflow.ingress.token-cache-ttl} per instance, so the tokens of a revoked client are
 * refused on every instance within that bound, as a revoked static token is. A token naming another issuer goes to
 * {@link ExternalTokens}, which knows the issuers tenants trust.
 */
@Component
public class AccessTokens {

    public static final String TENANT_CLAIM = "tenant";

    private final NimbusJwtDecoder decoder;
    private final OAuthClients clients;
    private final OAuthProperties properties;
    private final ExternalTokens external;
    private final Cache<String, Optional<TokenPrincipal>> activeClients;

    AccessTokens(SigningKeyring keyring, OAuthClients clients, OAuthProperties properties, ExternalTokens external,
                 IngressProperties ingress) {
        this.external = external;
        this.decoder = NimbusJwtDecoder.withJwkSource(keyring).jwsAlgorithm(SignatureAlgorithm.RS256).build();
        this.decoder.setJwtValidator(new JwtTimestampValidator(Duration.ofSeconds(60)));
        this.clients = clients;
        this.properties = properties;
        this.activeClients = Caffeine.newBuilder().expireAfterWrite(ingress.tokenCacheTtl()).maximumSize(10_000).build();
    }

    /** Whether a bearer token has the shape of a JWT (three base64url parts, a JSON header); static tokens never do. */
    static boolean looksLikeJwt(String token) {
        return token.startsWith("eyJ") && token.indexOf('.') > 0 && token.indexOf('.') != token.lastIndexOf('.');
    }

    /** The principal a valid access token speaks for: its client, as the actor, and the client's tenant. */
    Optional<TokenPrincipal> authenticate(String token, HttpServletRequest request) {
        JWTClaimsSet unverified;
        try {
            unverified = JWTParser.parse(token).getJWTClaimsSet();
        } catch (ParseException notAJwt) {
            return Optional.empty();
        }
        String issuer = OAuthIssuer.of(request, properties);
        if (!issuer.equals(unverified.getIssuer())) {
            return external.authenticate(unverified, token);
        }
        Jwt jwt;
        try {
            jwt = decoder.decode(token);
        } catch (JwtException invalid) {
            return Optional.empty();
        }
        List<String> audience = jwt.getAudience();
        String tenant = jwt.getClaimAsString(TENANT_CLAIM);
        if (!issuer.equals(jwt.getClaimAsString("iss")) || audience == null || !audience.contains(OAuthIssuer.audience(issuer))
                || tenant == null || jwt.getSubject() == null) {
            return Optional.empty();
        }
        return activeClients.get(jwt.getSubject(), clients::principal).filter(principal -> principal.tenant().equals(tenant));
    }
}
