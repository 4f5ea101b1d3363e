package dev.scimflow.audit.operator;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.HandlerInterceptor;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Lets a request to the operator API through only with {@code Authorization: Bearer <operator token>};
 * anything else is answered 401 with {@code WWW-Authenticate: Bearer} and a JSON problem body.
 */
@Component
class OperatorAuthentication implements HandlerInterceptor {

    private static final String PREFIX = "bearer ";
    private static final byte[] UNAUTHORIZED = """
            {"type":"about:blank","title":"Unauthorized","status":401,"detail":"a valid operator bearer token is required"}"""
            .getBytes(StandardCharsets.UTF_8);

    private final OperatorTokens tokens;

    OperatorAuthentication(OperatorTokens tokens) {
        this.tokens = tokens;
    }

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) throws IOException {
        if (tokens.accepts(bearerToken(request.getHeader(HttpHeaders.AUTHORIZATION)))) {
            return true;
        }
        response.setStatus(HttpStatus.UNAUTHORIZED.value());
        response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"scimflow-audit\"");
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        response.getOutputStream().write(UNAUTHORIZED);
        return false;
    }

    /** The token of a Bearer authorization header (scheme in any case), or null when there is none. */
    static String bearerToken(String authorization) {
        if (authorization == null) {
            return null;
        }
        String value = authorization.strip();
        if (value.length() <= PREFIX.length() || !value.substring(0, PREFIX.length()).toLowerCase(Locale.ROOT).equals(PREFIX)) {
            return null;
        }
        String token = value.substring(PREFIX.length()).strip();
        return token.isEmpty() ? null : token;
    }
}
