package dev.scimflow.service;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

import io.opentelemetry.sdk.trace.samplers.Sampler;

/**
 * Decides which spans are recorded. Every request and change gets a trace id either way (it is in the logs, the
 * audit record and the {@code traceparent} of every record), but spans are only recorded, and so cost more than an id,
 * when there is somewhere to send them: without {@code management.opentelemetry.tracing.export.otlp.endpoint} none
 * is, whatever the caller's sampling flag says. With an endpoint, Spring Boot's rule applies: a trace started here is
 * kept with {@code management.tracing.sampling.probability}, one continued from a caller as the caller decided.
 */
@AutoConfiguration(beforeName = "org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.OpenTelemetryTracingAutoConfiguration")
@ConditionalOnClass(Sampler.class)
public class TracingAutoConfiguration {

    static final String ENDPOINT = "management.opentelemetry.tracing.export.otlp.endpoint";
    static final String PROBABILITY = "management.tracing.sampling.probability";

    @Bean
    @ConditionalOnMissingBean
    Sampler otelSampler(Environment environment) {
        return sampler(environment);
    }

    static Sampler sampler(Environment environment) {
        String endpoint = environment.getProperty(ENDPOINT);
        if (endpoint == null || endpoint.isBlank()) {
            return Sampler.alwaysOff();
        }
        return Sampler.parentBased(Sampler.traceIdRatioBased(environment.getProperty(PROBABILITY, Double.class, 0.1)));
    }
}
