package dev.scimflow.ingress.oauth;

import java.util.List;

import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.stereotype.Component;

import dev.scimflow.store.TenantTokens;

/**
 * Signs a tenant's administrator in at the authorization endpoint's sign-in page (the authorization code grant, as Okta's
 * OAuth mode runs it): the administrator names the tenant and presents one of its SCIM bearer tokens, a credential that
 * already grants that tenant's SCIM access, so no new kind of password exists and nothing is escalated. The principal is
 * the tenant (its name is the tenant id), and the authorization server refuses to authorize a client of another tenant.
 * The token is checked against the store as on a SCIM request (revoked or expired: refused) and not kept.
 */
@Component
class AdministratorSignIn implements AuthenticationProvider {

    static final String AUTHORITY = "ROLE_TENANT_ADMINISTRATOR";

    private final TenantTokens tokens;

    AdministratorSignIn(TenantTokens tokens) {
        this.tokens = tokens;
    }

    @Override
    public Authentication authenticate(Authentication authentication) {
        String tenant = authentication.getName();
        if (!(authentication.getCredentials() instanceof String token) || token.isBlank() || tenant == null
                || !tokens.authenticate(token.trim()).filter(principal -> principal.tenant().equals(tenant)).isPresent()) {
            throw new BadCredentialsException("not a token of that tenant");
        }
        return UsernamePasswordAuthenticationToken.authenticated(tenant, null, List.of(new SimpleGrantedAuthority(AUTHORITY)));
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return UsernamePasswordAuthenticationToken.class.isAssignableFrom(authentication);
    }
}
