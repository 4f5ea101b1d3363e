package dev.scimflow.ingress;

import org.springframework.http.HttpHeaders;

import jakarta.servlet.http.HttpServletResponse;

/**
 * Response headers that keep SCIM answers out of browsers' and proxies' hands: no content sniffing, no framing,
 * no active content, and no caching of SCIM resources (they carry personal data and are read with a secret).
 * Set by {@link IngressFilter} before the request is handled, so that errors of every kind carry them too.
 */
final class SecurityHeaders {

    private SecurityHeaders() {
    }

    static void set(HttpServletResponse response, boolean scim) {
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setHeader("X-Frame-Options", "DENY");
        response.setHeader("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'");
        response.setHeader("Referrer-Policy", "no-referrer");
        if (scim) {
            response.setHeader(HttpHeaders.CACHE_CONTROL, "no-store");
            response.setHeader(HttpHeaders.PRAGMA, "no-cache");
        }
    }
}
