package dev.scimflow.ingress;

import java.io.IOException;
import java.time.Instant;

import org.slf4j.MDC;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

import dev.scimflow.ingress.auth.BearerAuthentication;
import dev.scimflow.ingress.limits.RequestBodyLimit;
import dev.scimflow.ingress.limits.StoreOutages;
import dev.scimflow.ingress.limits.TenantRateLimiting;
import dev.scimflow.ingress.requestlog.RequestLogging;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * The ingress's one servlet filter: every step a request takes before its controller, in order, each a small class of
 * its own. Every request gets its id ({@link RequestIds}) and the security headers ({@link SecurityHeaders}); a SCIM
 * request then gets its trace id header ({@link TraceIdHeader}), its body limit ({@link RequestBodyLimit}), its entry in
 * the request log ({@link RequestLogging}), a 503 while the user store is down ({@link StoreOutages}), its bearer token
 * checked ({@link BearerAuthentication}), its content type ({@link RequestContentType}) and its tenant's rate limit
 * ({@link TenantRateLimiting}). One filter instead of nine, so the order is read in one place and every request pays
 * the container's and {@link OncePerRequestFilter}'s bookkeeping (request attributes, a chain step) once instead of
 * nine times; that bookkeeping was a few per cent of the ingress's CPU on a GET (docs/BENCHMARK.md).
 *
 * <p>Runs right inside Spring's HTTP observation (which starts the trace, or continues the caller's {@code traceparent};
 * order {@code HIGHEST_PRECEDENCE + 1}), so that its trace id is known, and before Spring Security's filter (which serves
 * the OAuth endpoints only), so that their answers carry the request id and the security headers too.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 2)
public class IngressFilter extends OncePerRequestFilter {

    private static final String FILTERED = IngressFilter.class.getName() + ".FILTERED";

    private final RequestBodyLimit bodyLimit;
    private final RequestLogging requestLog;
    private final StoreOutages storeOutages;
    private final BearerAuthentication authentication;
    private final RequestContentType contentType;
    private final TenantRateLimiting rateLimiting;

    IngressFilter(RequestBodyLimit bodyLimit, RequestLogging requestLog, StoreOutages storeOutages, BearerAuthentication authentication,
                  RequestContentType contentType, TenantRateLimiting rateLimiting) {
        this.bodyLimit = bodyLimit;
        this.requestLog = requestLog;
        this.storeOutages = storeOutages;
        this.authentication = authentication;
        this.contentType = contentType;
        this.rateLimiting = rateLimiting;
    }

    /** One constant name: {@link OncePerRequestFilter} would otherwise build it anew for every request. */
    @Override
    protected String getAlreadyFilteredAttributeName() {
        return FILTERED;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        MDC.put(RequestIds.MDC_KEY, RequestIds.assign(request, response));
        try {
            boolean scim = ScimPaths.isScim(request);
            SecurityHeaders.set(response, scim);
            if (scim) {
                scim(request, response, chain);
            } else {
                chain.doFilter(request, response);
            }
        } finally {
            MDC.remove(RequestIds.MDC_KEY);
        }
    }

    private void scim(HttpServletRequest request, HttpServletResponse response, FilterChain chain) throws ServletException, IOException {
        TraceIdHeader.set(request, response);
        HttpServletRequest limited = bodyLimit.limit(request, response);
        if (limited == null) {
            return;
        }
        Instant at = Instant.now();
        long started = System.nanoTime();
        try {
            storeOutages.answerDuring(limited, response, () -> {
                if (authentication.authenticate(limited, response) && contentType.admits(limited, response)
                        && rateLimiting.admits(limited, response)) {
                    chain.doFilter(limited, response);
                }
            });
        } finally {
            requestLog.whenComplete(limited, response, at, started);
        }
    }
}
