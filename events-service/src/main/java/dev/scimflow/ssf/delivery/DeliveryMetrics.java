package dev.scimflow.ssf.delivery;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.springframework.stereotype.Component;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * Delivery metrics at {@code /actuator/prometheus}: SETs delivered per method, refused for good, push retries, the time
 * from the worker applying a change to its SET being delivered, and how many records each push stream is behind.
 */
@Component
class DeliveryMetrics {

    private final MeterRegistry registry;
    private final Counter pushed;
    private final Counter polled;
    private final Counter refused;
    private final Counter retries;
    private final Timer lag;
    private final Map<String, AtomicLong> behind = new ConcurrentHashMap<>();

    DeliveryMetrics(MeterRegistry registry) {
        this.registry = registry;
        pushed = Counter.builder("scimflow.events.sets.delivered").tag("method", "push").register(registry);
        polled = Counter.builder("scimflow.events.sets.delivered").tag("method", "poll").register(registry);
        refused = Counter.builder("scimflow.events.sets.refused").description("SETs a receiver refused for good (recorded)")
                .register(registry);
        retries = Counter.builder("scimflow.events.push.retries").description("push attempts that will be retried").register(registry);
        lag = Timer.builder("scimflow.events.delivery.lag").description("from the change being applied to its SET delivered")
                .publishPercentiles(0.5, 0.99).register(registry);
    }

    void pushed(Instant appliedAt) {
        pushed.increment();
        if (appliedAt != null) {
            lag.record(Duration.between(appliedAt, Instant.now()));
        }
    }

    void polled(int count) {
        polled.increment(count);
    }

    void refused() {
        refused.increment();
    }

    void retry() {
        retries.increment();
    }

    /** Records of {@code scim.events} a push stream has not reached yet. */
    void behind(String streamId, long records) {
        behind.computeIfAbsent(streamId, id -> {
            AtomicLong value = new AtomicLong();
            Gauge.builder("scimflow.events.stream.behind", value, AtomicLong::get).tag("stream", id)
                    .description("records of scim.events a push stream has not reached").register(registry);
            return value;
        }).set(records);
    }
}
