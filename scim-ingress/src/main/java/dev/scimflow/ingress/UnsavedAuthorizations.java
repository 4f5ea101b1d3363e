package dev.scimflow.ingress;

import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;

/**
 * Keeps no record of issued access tokens. They are self-contained JWTs checked by signature, expiry and their client's
 * state, so nothing needs to read a record back, and keeping one per token (an IdP asks for one an hour per client) would
 * only grow: a database table to clean, or memory that several instances would not share. Revoking is per client
 * ({@code scimflow oauth-client revoke}); the token introspection and revocation endpoints therefore know no token.
 */
class UnsavedAuthorizations implements OAuth2AuthorizationService {

    @Override
    public void save(OAuth2Authorization authorization) {
    }

    @Override
    public void remove(OAuth2Authorization authorization) {
    }

    @Override
    public OAuth2Authorization findById(String id) {
        return null;
    }

    @Override
    public OAuth2Authorization findByToken(String token, OAuth2TokenType tokenType) {
        return null;
    }
}
