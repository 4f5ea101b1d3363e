package dev.scimflow.ingress.auth;

import java.io.IOException;
import java.util.Optional;

import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;

import dev.scimflow.ingress.IngressFilter;
import dev.scimflow.ingress.errors.ScimErrorWriter;
import dev.scimflow.scim.ScimException;
import dev.scimflow.store.TenantTokens.TokenPrincipal;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Authenticates every SCIM request by its bearer token (scheme case-insensitive) and binds it to the token's
 * tenant. A missing, unknown or revoked token is answered 401 with {@code WWW-Authenticate: Bearer} and a
 * SCIM error; the token itself is never logged or echoed. Tokens are checked by {@link AuthenticatedTokens}: a revoked
 * or expired token fails on every instance within {@code scimflow.ingress.token-cache-ttl} (1 s). Last use is recorded
 * by {@link TokenUsage}, at most once a minute per token and off the request thread.
 *
 * <p>An OAuth access token (a JWT the ingress's token endpoint issued) is checked by {@link AccessTokens} instead; its
 * principal is its OAuth client, which the audit record names as the actor. Only a bearer token of a JWT's shape ({@code eyJ...}
 * with two dots) is tried as one, so the static-token path gains one prefix comparison; a static token of that shape (an
 * operator can choose one) still works, as it is looked up as a static token when it is no valid access token.
 *
 * <p>A step of {@link IngressFilter}: after the request id, security headers and body limit; before per-tenant rate
 * limiting.
 */
@Component
public class BearerAuthentication {

    public static final String PRINCIPAL = BearerAuthentication.class.getName();

    private final AuthenticatedTokens tokens;
    private final AccessTokens accessTokens;
    private final ScimErrorWriter errors;
    private final TokenUsage usage;

    BearerAuthentication(AuthenticatedTokens tokens, AccessTokens accessTokens, ScimErrorWriter errors, TokenUsage usage) {
        this.tokens = tokens;
        this.accessTokens = accessTokens;
        this.errors = errors;
        this.usage = usage;
    }

    public static TokenPrincipal principal(HttpServletRequest request) {
        return (TokenPrincipal) request.getAttribute(PRINCIPAL);
    }

    /** True when the SCIM request's token is valid (its principal is then on the request); false when it was answered 401. */
    public boolean authenticate(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Optional<String> token = bearerToken(request);
        Optional<TokenPrincipal> client = token.filter(AccessTokens::looksLikeJwt).flatMap(jwt -> accessTokens.authenticate(jwt, request));
        Optional<TokenPrincipal> principal = client.isPresent() ? client : token.flatMap(tokens::authenticate);
        if (principal.isEmpty()) {
            response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"scimflow\"");
            errors.write(request, response, new ScimException(401, null, "a valid bearer token is required"));
            return false;
        }
        request.setAttribute(PRINCIPAL, principal.get());
        if (client.isEmpty()) {
            usage.used(principal.get().tokenId());
        }
        return true;
    }

    private static Optional<String> bearerToken(HttpServletRequest request) {
        String header = request.getHeader(HttpHeaders.AUTHORIZATION);
        if (header == null || header.length() < 8 || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Optional.empty();
        }
        String token = header.substring(7).trim();
        return token.isEmpty() ? Optional.empty() : Optional.of(token);
    }
}
