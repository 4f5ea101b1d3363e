package dev.scimflow.ingress;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Every SCIM answer, errors of every kind included, names its trace next to its {@code X-Request-Id}: the IdP engineer
 * or operator who holds an answer finds the request's log lines, spans and audit record by it. Set by
 * {@link IngressFilter}, inside the HTTP observation (which starts the trace, or continues the caller's
 * {@code traceparent}), before the request is handled.
 */
final class TraceIdHeader {

    static final String HEADER = "X-Trace-Id";

    private TraceIdHeader() {
    }

    static void set(HttpServletRequest request, HttpServletResponse response) {
        String traceId = TraceIds.of(request);
        if (traceId != null) {
            response.setHeader(HEADER, traceId);
        }
    }
}
