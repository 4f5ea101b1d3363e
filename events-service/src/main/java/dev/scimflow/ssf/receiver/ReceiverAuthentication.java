package dev.scimflow.ssf.receiver;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

import dev.scimflow.store.TenantTokens;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Authenticates every stream-management and poll request by its bearer token: the SCIM token of a tenant, looked up by
 * its SHA-256 in the user store as the ingress does, so a revoked or expired token fails on its next request. The
 * discovery document and the JWK set are public. The token is never logged or echoed.
 */
@Component
@Order(0)
class ReceiverAuthentication extends OncePerRequestFilter {

    private final TenantTokens tokens;

    ReceiverAuthentication(TenantTokens tokens) {
        this.tokens = tokens;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        return !path.startsWith("/ssf/") || path.equals("/ssf/jwks");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Optional<TenantTokens.TokenPrincipal> principal = bearerToken(request).flatMap(tokens::authenticate);
        if (principal.isEmpty()) {
            response.setStatus(401);
            response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"scimflow-events\"");
            response.setContentType(MediaType.APPLICATION_JSON_VALUE);
            response.getOutputStream()
                    .write("{\"err\":\"authentication_failed\",\"description\":\"a valid bearer token of the tenant is required\"}"
                            .getBytes(StandardCharsets.UTF_8));
            return;
        }
        request.setAttribute(Receiver.ATTRIBUTE, new Receiver(principal.get().tenant(), principal.get().tokenId()));
        chain.doFilter(request, response);
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
