package dev.scimflow.ingress.oauth;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The ingress's OAuth 2.0 authorization server (client credentials grant, and authorization code grant with refresh
 * tokens, at {@code /oauth2/token}).
 *
 * @param issuer         the issuer URL tokens name and the metadata publishes (e.g. {@code https://scim.example.com}); when
 *                       empty it is the URL the request came to, so a deployment behind a proxy should set it
 * @param accessTokenTtl how long an access token is valid (Entra asks for 1 to 6 hours)
 * @param keyRotation    how old the signing key may get before an ingress makes a new one
 * @param keyRefresh     how often an instance reads the signing keys again (the newest key signs on every instance at most
 *                       this long after it was made)
 * @param refreshTokenTtl how long a refresh token of the authorization code grant is valid; each use replaces it with a
 *                       new one of this lifetime, so an IdP that refreshes more often than this keeps its authorization
 */
@ConfigurationProperties("scimflow.ingress.oauth")
public record OAuthProperties(String issuer, @DefaultValue("1h") Duration accessTokenTtl, @DefaultValue("30d") Duration keyRotation,
                              @DefaultValue("1m") Duration keyRefresh, @DefaultValue("90d") Duration refreshTokenTtl) {

    /** How long after a newer key replaced it a key stays published: its last tokens' lifetime, the refresh, clock skew. */
    Duration publishReplacedKeys() {
        return accessTokenTtl.plus(keyRefresh).plus(Duration.ofMinutes(5));
    }
}
