package dev.scimflow.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PacerTest {

    @Test
    void spacesRequestsEvenlyFromTheStartWhateverHappenedBefore() {
        Pacer pacer = new Pacer(1_000, 200);

        assertThat(pacer.intendedNanos(0)).isEqualTo(1_000);
        assertThat(pacer.intendedNanos(1)).isEqualTo(1_000 + 5_000_000);
        assertThat(pacer.intendedNanos(200)).isEqualTo(1_000 + 1_000_000_000L);
    }

    @Test
    void countsTheRequestsDueByATime() {
        Pacer pacer = new Pacer(0, 1_000);

        assertThat(pacer.dueBy(-1)).isZero();
        assertThat(pacer.dueBy(0)).isEqualTo(1);
        assertThat(pacer.dueBy(999_999)).isEqualTo(1);
        assertThat(pacer.dueBy(1_000_000)).isEqualTo(2);
        assertThat(pacer.dueBy(1_000_000_000)).isEqualTo(1_001);
    }
}
