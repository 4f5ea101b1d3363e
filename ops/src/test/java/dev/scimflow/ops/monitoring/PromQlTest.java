package dev.scimflow.ops.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PromQlTest {

    @Test
    void aPlainSelectorIsItsName() {
        assertThat(PromQl.metricNames("up")).containsExactly("up");
        assertThat(PromQl.metricNames("scimflow_events_stream_behind > 1000")).containsExactly("scimflow_events_stream_behind");
    }

    @Test
    void functionsAggregationsAndTheirLabelListsAreNotNames() {
        assertThat(PromQl.metricNames("""
                histogram_quantile(0.99, sum by (le, job) (rate(scimflow_audit_lag_seconds_bucket[5m]))) > 60"""))
                .containsExactly("scimflow_audit_lag_seconds_bucket");
        assertThat(PromQl.metricNames("sum(rate(a_total[1m])) without (instance) / on (job) group_left (tenant) b_total"))
                .containsExactly("a_total", "b_total");
        assertThat(PromQl.metricNames("max by (stream) (scimflow_events_stream_behind)")).containsExactly("scimflow_events_stream_behind");
    }

    @Test
    void labelMatchersStringsAndRangesHoldNoNames() {
        assertThat(PromQl.metricNames("""
                sum by (tenant) (rate(scimflow_ingress_refused_total{status="429", tenant=~"a{b}|c_d"}[$__rate_interval]))"""))
                .containsExactly("scimflow_ingress_refused_total");
        assertThat(PromQl.metricNames("sum(kafka_consumer_fetch_manager_records_lag{topic=~\"scim\\\\..*\"})"))
                .containsExactly("kafka_consumer_fetch_manager_records_lag");
        assertThat(PromQl.metricNames("label_replace(x, \"dst\", \"$1\", \"src\", \"(.*)\")")).containsExactly("x");
    }

    @Test
    void setOperatorsOffsetsAndNumbersAreNotNames() {
        assertThat(PromQl.metricNames("""
                increase(dead_total[15m]) > 0
                  or (dead_total unless dead_total offset 15m) and bool 1e3 < 2.5"""))
                .containsExactly("dead_total");
    }

    @Test
    void aNameWithColonsFromARecordingRuleIsOneName() {
        assertThat(PromQl.metricNames("job:requests:rate5m > 3")).containsExactly("job:requests:rate5m");
    }
}
