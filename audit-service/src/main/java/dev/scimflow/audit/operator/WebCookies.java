package dev.scimflow.audit.operator;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;

import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseCookie;

import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * The two cookies of the web page: the session (a random id, never the token) and the sign-in form's CSRF token.
 * Both HttpOnly and SameSite=Strict, and Secure whenever the page is served over HTTPS.
 */
public final class WebCookies {

    public static final String SESSION = "scimflow_audit_session";
    public static final String SIGN_IN_CSRF = "scimflow_audit_signin";
    private static final Duration SIGN_IN_FORM_LIFETIME = Duration.ofMinutes(30);

    private WebCookies() {
    }

    public static Optional<String> read(HttpServletRequest request, String name) {
        Cookie[] cookies = request.getCookies();
        return cookies == null
                ? Optional.empty()
                : Arrays.stream(cookies).filter(cookie -> cookie.getName().equals(name)).map(Cookie::getValue).findFirst();
    }

    public static void setSession(HttpServletRequest request, HttpServletResponse response, OperatorSession session) {
        add(response, cookie(request, SESSION, session.id(), "/", null));
    }

    public static void clearSession(HttpServletRequest request, HttpServletResponse response) {
        add(response, cookie(request, SESSION, "", "/", Duration.ZERO));
    }

    /** Issues a fresh CSRF token for the sign-in form: one copy in a cookie, one in the form (double submit). */
    public static String issueSignInCsrf(HttpServletRequest request, HttpServletResponse response) {
        String token = OperatorSessions.randomToken();
        add(response, cookie(request, SIGN_IN_CSRF, token, "/signin", SIGN_IN_FORM_LIFETIME));
        return token;
    }

    public static void clearSignInCsrf(HttpServletRequest request, HttpServletResponse response) {
        add(response, cookie(request, SIGN_IN_CSRF, "", "/signin", Duration.ZERO));
    }

    /** Whether a posted form token equals the expected one, compared in constant time. */
    public static boolean sameToken(String expected, String posted) {
        return expected != null && posted != null && !expected.isEmpty()
                && MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), posted.getBytes(StandardCharsets.UTF_8));
    }

    private static ResponseCookie cookie(HttpServletRequest request, String name, String value, String path, Duration maxAge) {
        ResponseCookie.ResponseCookieBuilder cookie = ResponseCookie.from(name, value)
                .httpOnly(true).secure(request.isSecure()).sameSite("Strict").path(path);
        return maxAge == null ? cookie.build() : cookie.maxAge(maxAge).build();
    }

    private static void add(HttpServletResponse response, ResponseCookie cookie) {
        response.addHeader(HttpHeaders.SET_COOKIE, cookie.toString());
    }
}
