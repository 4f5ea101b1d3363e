package dev.scimflow.ingress.requestlog;

import java.time.Instant;

import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;

import dev.scimflow.ingress.IngressFilter;
import dev.scimflow.ingress.RequestIds;
import dev.scimflow.ingress.auth.BearerAuthentication;
import dev.scimflow.ingress.errors.AnsweredError;
import dev.scimflow.store.TenantTokens.TokenPrincipal;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Writes every SCIM request of a known tenant to the tenant's request log once its response is complete: at once for
 * a request answered on its own thread, when the asynchronous request completes for a write that waited for its
 * outcome. Requests refused before their token was checked, or with a token that is not valid (401), belong to no
 * tenant that can be told safely and are not logged. A step of {@link IngressFilter}, around everything from the token
 * check on; the request's thread only takes what the entry needs from the request and hands it to
 * {@link RequestLogPublisher}, which makes the entry on its own thread.
 */
@Component
public class RequestLogging {

    private final RequestLogPublisher publisher;

    RequestLogging(RequestLogPublisher publisher) {
        this.publisher = publisher;
    }

    /** Logs the request, which arrived {@code at} ({@code started} by the nano clock), once its response is complete. */
    public void whenComplete(HttpServletRequest request, HttpServletResponse response, Instant at, long started) {
        if (request.isAsyncStarted()) {
            request.getAsyncContext().addListener(new WhenComplete(() -> log(request, response, at, started)));
        } else {
            log(request, response, at, started);
        }
    }

    private void log(HttpServletRequest request, HttpServletResponse response, Instant at, long started) {
        TokenPrincipal principal = BearerAuthentication.principal(request);
        if (principal == null) {
            return;
        }
        publisher.publish(new RequestLogPublisher.Answered(principal.tenant(), at, request.getHeader(HttpHeaders.USER_AGENT),
                request.getMethod(), request.getRequestURI(), request.getQueryString(), response.getStatus(),
                AnsweredError.of(request), (System.nanoTime() - started) / 1_000_000, RequestIds.of(request)));
    }

    /** Logs the request when its asynchronous processing is complete (also after a timeout or an error). */
    private record WhenComplete(Runnable action) implements AsyncListener {

        @Override
        public void onComplete(AsyncEvent event) {
            action.run();
        }

        @Override
        public void onTimeout(AsyncEvent event) {
        }

        @Override
        public void onError(AsyncEvent event) {
        }

        @Override
        public void onStartAsync(AsyncEvent event) {
        }
    }
}
