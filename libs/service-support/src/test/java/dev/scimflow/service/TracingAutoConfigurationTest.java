package dev.scimflow.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.mock.env.MockEnvironment;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.opentelemetry.sdk.trace.samplers.SamplingDecision;

class TracingAutoConfigurationTest {

    private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";

    @Test
    void withoutAnEndpointNothingIsRecordedEvenWhenTheCallerSampled() {
        Sampler sampler = TracingAutoConfiguration.sampler(new MockEnvironment()
                .withProperty(TracingAutoConfiguration.PROBABILITY, "1.0"));

        assertThat(decision(sampler, Context.root())).isEqualTo(SamplingDecision.DROP);
        assertThat(decision(sampler, sampledParent())).isEqualTo(SamplingDecision.DROP);
    }

    @Test
    void withAnEndpointNewTracesFollowTheProbabilityAndContinuedOnesTheCaller() {
        MockEnvironment environment = new MockEnvironment()
                .withProperty(TracingAutoConfiguration.ENDPOINT, "http://collector:4318/v1/traces");

        Sampler always = TracingAutoConfiguration.sampler(environment.withProperty(TracingAutoConfiguration.PROBABILITY, "1.0"));
        assertThat(decision(always, Context.root())).isEqualTo(SamplingDecision.RECORD_AND_SAMPLE);

        Sampler never = TracingAutoConfiguration.sampler(environment.withProperty(TracingAutoConfiguration.PROBABILITY, "0.0"));
        assertThat(decision(never, Context.root())).isEqualTo(SamplingDecision.DROP);
        assertThat(decision(never, sampledParent())).isEqualTo(SamplingDecision.RECORD_AND_SAMPLE);
    }

    private static Context sampledParent() {
        return Context.root().with(Span.wrap(SpanContext.createFromRemoteParent(TRACE_ID, "00f067aa0ba902b7",
                TraceFlags.getSampled(), TraceState.getDefault())));
    }

    private static SamplingDecision decision(Sampler sampler, Context parent) {
        return sampler.shouldSample(parent, TRACE_ID, "POST /scim/v2/Users", SpanKind.SERVER, Attributes.empty(), List.of())
                .getDecision();
    }
}
