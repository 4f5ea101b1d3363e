package dev.scimflow.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.junit.jupiter.api.Test;

class StoreWalkTest {

    @Test
    void percentilesAreNearestRanksOfTheSortedTimes() {
        List<Double> times = new ArrayList<>();
        for (int i = 1; i <= 1000; i++) {
            times.add((double) i);
        }
        Collections.shuffle(times, new java.util.Random(7));

        assertThat(StoreWalk.percentiles(times)).isEqualTo("n=1000 p50=501.0 p90=901.0 p99=991.0 max=1000.0 ms");
    }

    @Test
    void aSingleTimeIsEveryPercentile() {
        assertThat(StoreWalk.percentiles(List.of(2.25))).isEqualTo("n=1 p50=2.3 p90=2.3 p99=2.3 max=2.3 ms");
    }
}
