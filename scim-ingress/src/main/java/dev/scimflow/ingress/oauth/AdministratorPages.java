package dev.scimflow.ingress.oauth;

import java.security.Principal;

import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.util.HtmlUtils;

import dev.scimflow.store.OAuthClients;
import jakarta.servlet.http.HttpServletRequest;

/**
 * The two pages a tenant's administrator sees when an IdP (Okta's OAuth mode) sends them to {@code /oauth2/authorize}:
 * the sign-in with one of the tenant's tokens ({@link AdministratorSignIn}), and the consent naming the client and the
 * tenant. Plain server-rendered forms with Spring Security's CSRF token, no script, nothing loaded from elsewhere (the
 * ingress's Content-Security-Policy allows nothing else). Everything shown is escaped.
 */
@Controller
class AdministratorPages {

    static final String SIGN_IN = "/oauth2/sign-in";
    static final String CONSENT = "/oauth2/consent";

    private final OAuthClients clients;

    AdministratorPages(OAuthClients clients) {
        this.clients = clients;
    }

    @GetMapping(SIGN_IN)
    ResponseEntity<String> signIn(HttpServletRequest request, @RequestParam(required = false) String error) {
        return page("Sign in to scimflow", (error == null ? "" : "<p role=\"alert\">That is not a valid token of that tenant.</p>") + """
                <p>An identity provider asks to provision one of your tenants. Sign in as the tenant's administrator with
                one of its SCIM bearer tokens (<code>scimflow token create</code>).</p>
                <form method="post" action="%s">
                <p><label>Tenant <input name="tenant" autocomplete="username" required></label></p>
                <p><label>Token <input name="token" type="password" autocomplete="off" required></label></p>
                %s<p><button type="submit">Sign in</button></p>
                </form>""".formatted(escape(request.getContextPath() + SIGN_IN), csrf(request)));
    }

    @GetMapping(CONSENT)
    ResponseEntity<String> consent(HttpServletRequest request, Principal administrator, @RequestParam("client_id") String clientId,
                                   @RequestParam String state, @RequestParam(required = false) String scope) {
        String tenant = administrator.getName();
        String label = clients.list(tenant).stream().filter(client -> client.id().equals(clientId)).findFirst()
                .map(OAuthClients.ClientInfo::label).orElse("");
        String authorize = escape(request.getContextPath() + "/oauth2/authorize");
        String hidden = "<input type=\"hidden\" name=\"client_id\" value=\"%s\"><input type=\"hidden\" name=\"state\" value=\"%s\">%s"
                .formatted(escape(clientId), escape(state), csrf(request));
        return page("Allow provisioning?", """
                <p>The OAuth client <strong>%s</strong> (%s) asks to provision users and groups of the tenant <strong>%s</strong>
                over SCIM, until its access is revoked (<code>scimflow oauth-client revoke</code>).</p>
                <form method="post" action="%s">%s<input type="hidden" name="scope" value="%s">
                <button type="submit">Allow</button></form>
                <form method="post" action="%s">%s<button type="submit">Deny</button></form>"""
                .formatted(escape(clientId), escape(label), escape(tenant), authorize, hidden, TenantOAuthClients.SCOPE, authorize,
                        hidden));
    }

    private static String csrf(HttpServletRequest request) {
        CsrfToken token = (CsrfToken) request.getAttribute(CsrfToken.class.getName());
        return token == null
                ? ""
                : "<input type=\"hidden\" name=\"%s\" value=\"%s\">".formatted(escape(token.getParameterName()),
                        escape(token.getToken()));
    }

    private static ResponseEntity<String> page(String title, String body) {
        String html = """
                <!DOCTYPE html>
                <html lang="en"><head><meta charset="utf-8"><title>%s</title></head>
                <body><h1>%s</h1>
                %s
                </body></html>
                """.formatted(title, title, body);
        return ResponseEntity.ok().contentType(new MediaType(MediaType.TEXT_HTML, java.nio.charset.StandardCharsets.UTF_8))
                .header("Cache-Control", "no-store").body(html);
    }

    private static String escape(String text) {
        return HtmlUtils.htmlEscape(text == null ? "" : text);
    }
}
