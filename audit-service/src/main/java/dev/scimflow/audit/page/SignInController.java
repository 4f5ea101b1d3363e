package dev.scimflow.audit.page;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestParam;

import dev.scimflow.audit.operator.OperatorSession;
import dev.scimflow.audit.operator.OperatorSessions;
import dev.scimflow.audit.operator.OperatorTokens;
import dev.scimflow.audit.operator.WebCookies;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Signs operators in to the web page with their operator token and out again. The token is checked once, here;
 * the browser then holds only a random session id. Both forms carry a CSRF token: the sign-in form a
 * double-submit cookie, the sign-out form the session's synchronizer token.
 */
@Controller
class SignInController {

    private static final Logger log = LoggerFactory.getLogger(SignInController.class);

    private final OperatorTokens tokens;
    private final OperatorSessions sessions;

    SignInController(OperatorTokens tokens, OperatorSessions sessions) {
        this.tokens = tokens;
        this.sessions = sessions;
    }

    @GetMapping("/signin")
    String form(@RequestParam(required = false) String signedOut, HttpServletRequest request,
                HttpServletResponse response, Model model) {
        if (WebCookies.read(request, WebCookies.SESSION).flatMap(sessions::find).isPresent()) {
            return Redirects.seeOther(response, "/");
        }
        model.addAttribute("signedOut", signedOut != null);
        return signInForm(request, response, model);
    }

    @PostMapping("/signin")
    String signIn(@RequestParam(defaultValue = "") String token, @RequestParam(defaultValue = "") String csrf,
                  HttpServletRequest request, HttpServletResponse response, Model model) {
        if (!WebCookies.sameToken(WebCookies.read(request, WebCookies.SIGN_IN_CSRF).orElse(null), csrf)) {
            response.setStatus(HttpStatus.FORBIDDEN.value());
            model.addAttribute("error", "The sign-in form expired. Please try again.");
            return signInForm(request, response, model);
        }
        if (!tokens.accepts(token.strip())) {
            log.warn("Refused a sign-in to the audit page from {}: not an operator token", request.getRemoteAddr());
            response.setStatus(HttpStatus.UNAUTHORIZED.value());
            model.addAttribute("error", "That is not a valid operator token.");
            return signInForm(request, response, model);
        }
        OperatorSession session = sessions.start();
        WebCookies.setSession(request, response, session);
        WebCookies.clearSignInCsrf(request, response);
        log.info("An operator signed in to the audit page from {}", request.getRemoteAddr());
        return Redirects.seeOther(response, "/");
    }

    @PostMapping("/signout")
    String signOut(@RequestAttribute(OperatorSession.ATTRIBUTE) OperatorSession session,
                   @RequestParam(defaultValue = "") String csrf, HttpServletRequest request, HttpServletResponse response) {
        if (!WebCookies.sameToken(session.csrfToken(), csrf)) {
            response.setStatus(HttpStatus.FORBIDDEN.value());
            return "forbidden";
        }
        sessions.end(session);
        WebCookies.clearSession(request, response);
        return Redirects.seeOther(response, "/signin?signedOut");
    }

    private static String signInForm(HttpServletRequest request, HttpServletResponse response, Model model) {
        model.addAttribute("csrf", WebCookies.issueSignInCsrf(request, response));
        return "signin";
    }
}
