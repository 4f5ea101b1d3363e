package dev.scimflow.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class OperationStatsTest {

    @Test
    void countsEveryOutcomeAndTakesAllButTwoHundredsAsErrors() {
        BenchResults.Run run = Benchmark.run(Fixtures.outcome());
        BenchResults.OperationResult create = run.operations().get(0);

        assertThat(create.operation()).isEqualTo("create");
        assertThat(create.request()).isEqualTo("POST /Users");
        assertThat(create.count()).isEqualTo(1000);
        assertThat(create.errors()).isEqualTo(3);
        assertThat(create.statuses()).containsExactly(entry("201", 997L), entry("429", 2L), entry("timeout", 1L));
        assertThat(create.throughputPerSecond()).isEqualTo(100.0);
        assertThat(create.latencyMs().p99()).isCloseTo(990, within(1.0));
    }

    @Test
    void leavesOutOperationsThatWereNotSentAndAddsAllUp() {
        BenchResults.Run run = Benchmark.run(Fixtures.outcome());

        assertThat(run.operations()).extracting(BenchResults.OperationResult::operation).containsExactly("create", "get");
        assertThat(run.total().operation()).isEqualTo("all");
        assertThat(run.total().count()).isEqualTo(2000);
        assertThat(run.total().errors()).isEqualTo(3);
        assertThat(run.total().throughputPerSecond()).isEqualTo(200.0);
        assertThat(run.total().statuses()).containsEntry("200", 1000L).containsEntry("201", 997L);
        assertThat(run.total().latencyMs().p50()).isCloseTo(10, within(0.1));
        assertThat(run.total().latencyMs().max()).isCloseTo(1000, within(1.0));
        assertThat(run.sent()).isEqualTo(2000);
    }

    @Test
    void aLatencyBelowAMicrosecondStillCounts() {
        OperationStats stats = new OperationStats(Operation.GET);
        stats.record("200", 10);

        assertThat(stats.histogram().getTotalCount()).isEqualTo(1);
        assertThat(stats.outcomes()).containsExactly(entry("200", 1L));
    }

    @Test
    void successIsAThreeDigitTwoHundred() {
        assertThat(OperationStats.isSuccess("200")).isTrue();
        assertThat(OperationStats.isSuccess("204")).isTrue();
        assertThat(OperationStats.isSuccess("409")).isFalse();
        assertThat(OperationStats.isSuccess(OperationStats.TIMEOUT)).isFalse();
        assertThat(OperationStats.isSuccess(OperationStats.IO_ERROR)).isFalse();
    }
}
