package dev.scimflow.ingress.oauth;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;

import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.core.AbstractOAuth2Token;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.OAuth2AccessToken;
import org.springframework.security.oauth2.core.OAuth2RefreshToken;
import org.springframework.security.oauth2.core.endpoint.OAuth2ParameterNames;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationCode;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationConsent;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationConsentService;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;

import dev.scimflow.store.OAuthAuthorizations;
import dev.scimflow.store.OAuthAuthorizations.Key;
import dev.scimflow.store.OAuthAuthorizations.StoredAuthorization;
import dev.scimflow.store.TenantTokens;

/**
 * The authorizations and consents of the authorization code grant, kept in the user store so that every ingress instance
 * shares them: a code issued by one instance is redeemed at another, a refresh token works on all. Codes, refresh tokens
 * and the consent's state are stored and found by their SHA-256 only: the stored authorization carries
 * {@value #HASHED}-prefixed hashes in place of its token values (Spring Authorization Server never reads a stored
 * value back to send it: a refresh issues new tokens), so a copy of the table redeems nothing.
 *
 * <p>Client credentials authorizations are not kept: their access tokens are self-contained JWTs checked by signature,
 * expiry and their client's state, and a row per token (an IdP asks for one an hour per client) would only grow.
 * Access tokens are never looked up here for the same reason (introspection and revocation know no access token);
 * revoking is per client ({@code scimflow oauth-client revoke}), which deletes its authorizations.
 *
 * <p>Authorizations are stored Java-serialized, read back only through a filter admitting Java's and Spring Security's
 * classes; one that no longer reads (a Spring Security upgrade changed a class) counts as unknown, and the IdP's
 * administrator authorizes again.
 */
class StoredAuthorizations implements OAuth2AuthorizationService, OAuth2AuthorizationConsentService {

    static final String HASHED = "sha256:";
    private static final OAuth2TokenType STATE = new OAuth2TokenType(OAuth2ParameterNames.STATE);
    private static final OAuth2TokenType CODE = new OAuth2TokenType(OAuth2ParameterNames.CODE);
    /** How long a consent may stay pending (sign-in done, consent page shown) before it is cleared away. */
    private static final Duration PENDING = Duration.ofMinutes(10);
    private static final ObjectInputFilter READABLE = ObjectInputFilter.Config
            .createFilter("maxdepth=30;java.base/*;org.springframework.security.**;!*");

    private final OAuthAuthorizations store;

    StoredAuthorizations(OAuthAuthorizations store) {
        this.store = store;
    }

    @Override
    public void save(OAuth2Authorization authorization) {
        if (AuthorizationGrantType.CLIENT_CREDENTIALS.equals(authorization.getAuthorizationGrantType())) {
            return;
        }
        OAuth2Authorization.Builder hashed = OAuth2Authorization.from(authorization);
        OAuth2Authorization.Token<OAuth2AuthorizationCode> code = authorization.getToken(OAuth2AuthorizationCode.class);
        if (code != null) {
            hashed.token(
                    new OAuth2AuthorizationCode(hashed(code.getToken()), code.getToken().getIssuedAt(), code.getToken().getExpiresAt()));
        }
        OAuth2Authorization.Token<OAuth2AccessToken> access = authorization.getAccessToken();
        if (access != null) {
            OAuth2AccessToken token = access.getToken();
            hashed.token(new OAuth2AccessToken(token.getTokenType(), hashed(token), token.getIssuedAt(), token.getExpiresAt(),
                    token.getScopes()));
        }
        OAuth2Authorization.Token<OAuth2RefreshToken> refresh = authorization.getRefreshToken();
        if (refresh != null) {
            hashed.token(new OAuth2RefreshToken(hashed(refresh.getToken()), refresh.getToken().getIssuedAt(),
                    refresh.getToken().getExpiresAt()));
        }
        String state = authorization.getAttribute(OAuth2ParameterNames.STATE);
        if (state != null) {
            hashed.attribute(OAuth2ParameterNames.STATE, hashed(state));
        }
        // once there is a refresh token it is what lives longest (the code it came from is spent); before, the code or the consent
        Instant expires = refresh != null
                ? refresh.getToken().getExpiresAt()
                : code != null ? code.getToken().getExpiresAt() : Instant.now().plus(PENDING);
        store.save(new StoredAuthorization(authorization.getId(), authorization.getRegisteredClientId(),
                authorization.getPrincipalName(), hash(state), code == null ? null : hash(code.getToken().getTokenValue()),
                refresh == null ? null : hash(refresh.getToken().getTokenValue()), serialize(hashed.build()), expires));
    }

    @Override
    public void remove(OAuth2Authorization authorization) {
        store.remove(authorization.getId());
    }

    @Override
    public OAuth2Authorization findById(String id) {
        return read(store.byId(id));
    }

    @Override
    public OAuth2Authorization findByToken(String token, OAuth2TokenType tokenType) {
        if (tokenType == null) {
            return Stream.of(Key.STATE, Key.CODE, Key.REFRESH_TOKEN).map(key -> read(store.byHash(key, TenantTokens.hash(token))))
                    .filter(Objects::nonNull).findFirst().orElse(null);
        }
        Key key = STATE.equals(tokenType)
                ? Key.STATE
                : CODE.equals(tokenType) ? Key.CODE : OAuth2TokenType.REFRESH_TOKEN.equals(tokenType) ? Key.REFRESH_TOKEN : null;
        // a presented value is always hashed, even one that looks hashed: a hash read from the store redeems nothing
        return key == null ? null : read(store.byHash(key, TenantTokens.hash(token)));
    }

    @Override
    public void save(OAuth2AuthorizationConsent consent) {
        store.consent(consent.getRegisteredClientId(), consent.getPrincipalName(),
                consent.getAuthorities().stream().map(GrantedAuthority::getAuthority).toList());
    }

    @Override
    public void remove(OAuth2AuthorizationConsent consent) {
        store.withdrawConsent(consent.getRegisteredClientId(), consent.getPrincipalName());
    }

    @Override
    public OAuth2AuthorizationConsent findById(String registeredClientId, String principalName) {
        List<String> authorities = store.consented(registeredClientId, principalName);
        if (authorities.isEmpty()) {
            return null;
        }
        OAuth2AuthorizationConsent.Builder consent = OAuth2AuthorizationConsent.withId(registeredClientId, principalName);
        authorities.forEach(authority -> consent.authority(new SimpleGrantedAuthority(authority)));
        return consent.build();
    }

    private static String hashed(AbstractOAuth2Token token) {
        return hashed(token.getTokenValue());
    }

    /** A value as stored: its hash, marked as such (a value read back from the store already is one). */
    private static String hashed(String value) {
        return value.startsWith(HASHED) ? value : HASHED + HexFormat.of().formatHex(TenantTokens.hash(value));
    }

    /** The hash a value is stored under (one read back from the store keeps its hash). */
    private static byte[] hash(String value) {
        return value == null ? null : HexFormat.of().parseHex(hashed(value).substring(HASHED.length()));
    }

    private static byte[] serialize(OAuth2Authorization authorization) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(authorization);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static OAuth2Authorization read(Optional<byte[]> content) {
        if (content.isEmpty()) {
            return null;
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(content.get()))) {
            in.setObjectInputFilter(READABLE);
            return (OAuth2Authorization) in.readObject();
        } catch (IOException | ClassNotFoundException | ClassCastException unreadable) {
            return null;
        }
    }
}
