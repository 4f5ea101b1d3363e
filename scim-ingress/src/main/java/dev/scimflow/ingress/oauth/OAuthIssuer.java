package dev.scimflow.ingress.oauth;

import org.springframework.security.web.util.UrlUtils;
import org.springframework.web.util.UriComponentsBuilder;

import jakarta.servlet.http.HttpServletRequest;

/**
 * The issuer the ingress's access tokens name, and their audience: the configured {@code scimflow.ingress.oauth.issuer},
 * or else the URL the request came to, derived as Spring Authorization Server derives it for the token it issues (so a
 * token is accepted at the address it was obtained from).
 */
public final class OAuthIssuer {

    private OAuthIssuer() {
    }

    public static String of(HttpServletRequest request, OAuthProperties properties) {
        if (properties.issuer() != null && !properties.issuer().isBlank()) {
            return properties.issuer();
        }
        return UriComponentsBuilder.fromUriString(UrlUtils.buildFullRequestUrl(request)).replacePath(request.getContextPath())
                .replaceQuery(null).fragment(null).build().toUriString();
    }

    /** The audience of the tokens an issuer issues: the SCIM base under it. */
    public static String audience(String issuer) {
        return (issuer.endsWith("/") ? issuer.substring(0, issuer.length() - 1) : issuer) + "/scim/v2";
    }
}
