package dev.scimflow.ingress;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.http.server.observation.ServerRequestObservationContext;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.web.filter.ServerHttpObservationFilter;

import io.micrometer.tracing.handler.TracingObservationHandler;
import io.micrometer.tracing.otel.bridge.OtelSpan;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;

class TraceIdsTest {

    private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";

    @Test
    void aFailedRequestsDetailNamesItsRequestIdAndTraceId() {
        MockHttpServletRequest request = tracedRequest();

        assertThat(TraceIds.of(request)).isEqualTo(TRACE_ID);
        assertThat(TraceIds.requestFailed(request)).isEqualTo("the request failed; request id req-7, trace id " + TRACE_ID);
    }

    @Test
    void everyScimAnswerNamesItsTraceInAHeaderAndAnUntracedOneNone() throws Exception {
        MockHttpServletRequest traced = tracedRequest();
        MockHttpServletResponse tracedAnswer = new MockHttpServletResponse();
        TraceIdHeader.set(traced, tracedAnswer);
        assertThat(tracedAnswer.getHeader(TraceIdHeader.HEADER)).isEqualTo(TRACE_ID);

        MockHttpServletResponse untracedAnswer = new MockHttpServletResponse();
        TraceIdHeader.set(request(), untracedAnswer);
        assertThat(untracedAnswer.containsHeader(TraceIdHeader.HEADER)).isFalse();
    }

    @Test
    void anUntracedRequestsDetailNamesItsRequestIdOnly() {
        MockHttpServletRequest request = request();

        assertThat(TraceIds.of(request)).isNull();
        assertThat(TraceIds.requestFailed(request)).isEqualTo("the request failed; request id req-7");
    }

    /** A request inside an HTTP observation whose span is of trace {@link #TRACE_ID}, as the observation filter leaves it. */
    private static MockHttpServletRequest tracedRequest() {
        MockHttpServletRequest request = request();
        ServerRequestObservationContext observation = new ServerRequestObservationContext(request, new MockHttpServletResponse());
        TracingObservationHandler.TracingContext tracing = new TracingObservationHandler.TracingContext();
        tracing.setSpan(OtelSpan.fromOtel(Span.wrap(SpanContext.create(TRACE_ID, "00f067aa0ba902b7", TraceFlags.getDefault(),
                TraceState.getDefault()))));
        observation.put(TracingObservationHandler.TracingContext.class, tracing);
        request.setAttribute(ServerHttpObservationFilter.CURRENT_OBSERVATION_CONTEXT_ATTRIBUTE, observation);
        return request;
    }

    private static MockHttpServletRequest request() {
        MockHttpServletRequest request = new MockHttpServletRequest("POST", "/scim/v2/Users");
        request.setAttribute(RequestIds.ATTRIBUTE, "req-7");
        return request;
    }
}
