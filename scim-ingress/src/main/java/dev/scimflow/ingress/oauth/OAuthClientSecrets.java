package dev.scimflow.ingress.oauth;

import java.time.Instant;

import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;

import dev.scimflow.store.OAuthClients;

/**
 * Authenticates a client at the token endpoint by {@code client_secret_basic} or {@code client_secret_post} against every
 * active secret of the client (rotation leaves several), in place of Spring Authorization Server's provider, which knows
 * one secret per client. A wrong secret, an expired one or a revoked client is {@code invalid_client}; the secret is not
 * kept in the authentication it returns. Records when the client last got a token (a write per token, not per request).
 */
class OAuthClientSecrets implements AuthenticationProvider {

    private final OAuthClients clients;
    private final TenantOAuthClients registered;

    OAuthClientSecrets(OAuthClients clients, TenantOAuthClients registered) {
        this.clients = clients;
        this.registered = registered;
    }

    @Override
    public Authentication authenticate(Authentication authentication) {
        OAuth2ClientAuthenticationToken request = (OAuth2ClientAuthenticationToken) authentication;
        ClientAuthenticationMethod method = request.getClientAuthenticationMethod();
        if (!ClientAuthenticationMethod.CLIENT_SECRET_BASIC.equals(method)
                && !ClientAuthenticationMethod.CLIENT_SECRET_POST.equals(method)) {
            return null;
        }
        String clientId = request.getPrincipal().toString();
        if (!(request.getCredentials() instanceof String secret) || clients.authenticate(clientId, secret).isEmpty()) {
            throw new OAuth2AuthenticationException(OAuth2ErrorCodes.INVALID_CLIENT);
        }
        RegisteredClient client = registered.findByClientId(clientId);
        if (client == null) {
            throw new OAuth2AuthenticationException(OAuth2ErrorCodes.INVALID_CLIENT);
        }
        clients.recordUse(clientId, Instant.now());
        return new OAuth2ClientAuthenticationToken(client, method, null);
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return OAuth2ClientAuthenticationToken.class.isAssignableFrom(authentication);
    }
}
