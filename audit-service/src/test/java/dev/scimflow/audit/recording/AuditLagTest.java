package dev.scimflow.audit.recording;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

class AuditLagTest {

    private static final Instant NOW = Instant.parse("2026-12-06T12:00:00Z");

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final AuditLag lag = new AuditLag(registry, Clock.fixed(NOW, ZoneOffset.UTC));

    private static DeactivationRecord appliedAt(Instant applied) {
        return new DeactivationRecord(UUID.randomUUID(), UUID.randomUUID(), "acme", "u-1", null, AuditAction.DEACTIVATED,
                null, null, null, applied, applied, null, null, null);
    }

    @Test
    void eachAppendedRecordIsTimedFromItsChangeBeingApplied() {
        lag.recorded(List.of(appliedAt(NOW.minusMillis(150)), appliedAt(NOW.minusSeconds(2))));

        Timer timer = registry.find("scimflow.audit.lag").timer();
        assertThat(timer.count()).isEqualTo(2);
        assertThat(timer.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(2_150);
        assertThat(timer.max(TimeUnit.MILLISECONDS)).isEqualTo(2_000);
    }

    @Test
    void aWorkerClockAheadOfThisOneCountsAsNoLagRatherThanANegativeOne() {
        lag.recorded(List.of(appliedAt(NOW.plusMillis(40))));

        Timer timer = registry.find("scimflow.audit.lag").timer();
        assertThat(timer.count()).isEqualTo(1);
        assertThat(timer.totalTime(TimeUnit.MILLISECONDS)).isZero();
    }
}
