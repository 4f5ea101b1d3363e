package dev.scimflow.ingress.oauth;

import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.settings.ClientSettings;
import org.springframework.security.oauth2.server.authorization.settings.OAuth2TokenFormat;
import org.springframework.security.oauth2.server.authorization.settings.TokenSettings;
import org.springframework.stereotype.Component;

import dev.scimflow.store.OAuthClients;

/**
 * The tenants' OAuth clients as Spring Authorization Server sees them: each active client of the user store may use the
 * client credentials grant with {@code client_secret_basic} or {@code client_secret_post}, and gets self-contained (JWT)
 * access tokens of {@code access-token-ttl}. A client with redirect URIs may also use the authorization code grant
 * (Okta's OAuth mode) for its scope {@value #SCOPE}, with the tenant's administrator's consent, and refresh tokens of
 * {@code refresh-token-ttl}, replaced at each use. Secrets are not part of it: {@link OAuthClientSecrets} checks them
 * against all of the client's active secrets. Clients are created by {@code scimflow oauth-client}, never through here.
 */
@Component
class TenantOAuthClients implements RegisteredClientRepository {

    static final String TENANT_SETTING = "scimflow.tenant";
    /** The one scope: provisioning the client's tenant over SCIM. */
    static final String SCOPE = "scim";

    private final OAuthClients clients;
    private final OAuthProperties properties;

    TenantOAuthClients(OAuthClients clients, OAuthProperties properties) {
        this.clients = clients;
        this.properties = properties;
    }

    @Override
    public RegisteredClient findByClientId(String clientId) {
        return clients.registration(clientId).map(registration -> {
            RegisteredClient.Builder client = RegisteredClient.withId(clientId)
                    .clientId(clientId)
                    .clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
                    .clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_POST)
                    .authorizationGrantType(AuthorizationGrantType.CLIENT_CREDENTIALS)
                    .scope(SCOPE)
                    .clientSettings(ClientSettings.builder().setting(TENANT_SETTING, registration.tenant())
                            .requireAuthorizationConsent(true).requireProofKey(false).build())
                    .tokenSettings(TokenSettings.builder().accessTokenFormat(OAuth2TokenFormat.SELF_CONTAINED)
                            .accessTokenTimeToLive(properties.accessTokenTtl())
                            .refreshTokenTimeToLive(properties.refreshTokenTtl()).reuseRefreshTokens(false).build());
            if (!registration.redirectUris().isEmpty()) {
                client.authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE)
                        .authorizationGrantType(AuthorizationGrantType.REFRESH_TOKEN)
                        .redirectUris(uris -> uris.addAll(registration.redirectUris()));
            }
            return client.build();
        }).orElse(null);
    }

    @Override
    public RegisteredClient findById(String id) {
        return findByClientId(id);
    }

    @Override
    public void save(RegisteredClient registeredClient) {
        throw new UnsupportedOperationException("OAuth clients are created with `scimflow oauth-client create`");
    }
}
