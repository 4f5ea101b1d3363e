package dev.scimflow.audit.operator;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.HandlerInterceptor;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Lets a request to the operators' web page through only with a live session cookie, handing the session on as
 * a request attribute; anyone else is sent to the sign-in form.
 */
@Component
class SignedInOperator implements HandlerInterceptor {

    private final OperatorSessions sessions;

    SignedInOperator(OperatorSessions sessions) {
        this.sessions = sessions;
    }

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
        return WebCookies.read(request, WebCookies.SESSION).flatMap(sessions::find).map(session -> {
            request.setAttribute(OperatorSession.ATTRIBUTE, session);
            return true;
        }).orElseGet(() -> {
            response.setStatus(HttpStatus.SEE_OTHER.value());
            response.setHeader(HttpHeaders.LOCATION, "/signin");
            return false;
        });
    }
}
