package dev.scimflow.ingress;

import java.io.IOException;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Every SCIM answer, errors of every kind included, names its trace next to its {@code X-Request-Id}: the IdP engineer
 * or operator who holds an answer finds the request's log lines, spans and audit record by it. Runs inside the HTTP
 * observation (which starts the trace, or continues the caller's {@code traceparent}) and sets the header before the
 * request is handled.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 6)
class TraceIdHeader extends OncePerRequestFilter {

    static final String HEADER = "X-Trace-Id";

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !ScimPaths.isScim(request);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String traceId = TraceIds.of(request);
        if (traceId != null) {
            response.setHeader(HEADER, traceId);
        }
        chain.doFilter(request, response);
    }
}
