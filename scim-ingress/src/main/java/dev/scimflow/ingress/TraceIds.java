package dev.scimflow.ingress;

import org.springframework.web.filter.ServerHttpObservationFilter;

import io.micrometer.tracing.handler.TracingObservationHandler;
import jakarta.servlet.http.HttpServletRequest;

/**
 * The trace id of a request (W3C, 32 hex digits): the one in its log lines, in the {@code traceparent} of the change
 * it published, in the audit record and in the tracing backend. Read from the request's HTTP observation, so it is
 * known on whatever thread answers the request.
 */
public final class TraceIds {

    private TraceIds() {
    }

    /** The request's trace id, or null when it is not traced. */
    static String of(HttpServletRequest request) {
        return ServerHttpObservationFilter.findObservationContext(request)
                .map(context -> context.<TracingObservationHandler.TracingContext>get(TracingObservationHandler.TracingContext.class))
                .map(TracingObservationHandler.TracingContext::getSpan)
                .map(span -> span.context().traceId())
                .orElse(null);
    }

    /** The detail of a 500: what an operator needs to find the failure in the logs and the traces. */
    public static String requestFailed(HttpServletRequest request) {
        String traceId = of(request);
        return "the request failed; request id " + RequestIds.of(request) + (traceId == null ? "" : ", trace id " + traceId);
    }
}
