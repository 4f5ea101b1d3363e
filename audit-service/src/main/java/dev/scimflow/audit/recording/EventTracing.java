package dev.scimflow.audit.recording;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.ContainerCustomizer;
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;

import io.micrometer.core.instrument.config.MeterFilter;

/**
 * Puts the audit service in each request's trace: Spring Kafka observes every record of a {@code scim.events} poll
 * (its span continues the record's {@code traceparent}, which the worker's relay put there) before the batch is
 * recorded. Only that listener: the request log's records ({@code scim.requests}) belong to no trace worth following.
 * The record's trace id itself goes into the audit record ({@link DeactivationRecord#traceId()}).
 */
@Configuration(proxyBeanMethods = false)
class EventTracing {

    static final String LISTENER_ID = "scim-events-audit";

    @Bean
    ContainerCustomizer<Object, Object, ConcurrentMessageListenerContainer<Object, Object>> eventObservations() {
        return container -> {
            if (LISTENER_ID.equals(container.getListenerId())) {
                container.getContainerProperties().setObservationEnabled(true);
                container.getContainerProperties().setRecordObservationsInBatch(true);
            }
        };
    }

    /**
     * Only the spans of those observations: their timers would be {@code spring.kafka.listener} with other tags than
     * the listener timers Spring Kafka keeps for every container, which Prometheus refuses (and the registry warns).
     */
    @Bean
    MeterFilter noListenerObservationTimers() {
        return MeterFilter.deny(id -> id.getName().startsWith("spring.kafka.listener") && id.getTag("messaging.system") != null);
    }
}
