package dev.scimflow.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class LatencyTest {

    @Test
    void readsPercentilesInMillisecondsFromMicroseconds() {
        Latency latency = Latency.ofMicros(Fixtures.steps(1000, 1_000));

        assertThat(latency.samples()).isEqualTo(1000);
        assertThat(latency.p50()).isCloseTo(500, within(1.0));
        assertThat(latency.p90()).isCloseTo(900, within(1.0));
        assertThat(latency.p99()).isCloseTo(990, within(1.0));
        assertThat(latency.p999()).isCloseTo(999, within(1.0));
        assertThat(latency.max()).isCloseTo(1000, within(1.0));
        assertThat(latency.mean()).isCloseTo(500.5, within(1.0));
    }

    @Test
    void theCurveRisesFromTheMinimumToTheMaximum() {
        Latency latency = Latency.ofMicros(Fixtures.steps(1000, 1_000));

        assertThat(latency.curve()).extracting(Latency.Point::percentile)
                .containsExactly(0.0, 10.0, 25.0, 50.0, 75.0, 90.0, 95.0, 99.0, 99.5, 99.9, 99.95, 99.99, 100.0);
        assertThat(latency.curve()).extracting(Latency.Point::ms).isSorted();
        assertThat(latency.curve().get(0).ms()).isCloseTo(1, within(0.01));
        assertThat(latency.curve().get(12).ms()).isEqualTo(latency.max());
    }

    @Test
    void anEmptyHistogramIsAllZeros() {
        Latency latency = Latency.ofMicros(Latency.newMicrosHistogram());

        assertThat(latency.samples()).isZero();
        assertThat(latency.p99()).isZero();
        assertThat(latency.curve()).isEmpty();
    }
}
