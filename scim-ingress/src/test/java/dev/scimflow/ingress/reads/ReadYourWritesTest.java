package dev.scimflow.ingress.reads;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ReadYourWritesTest {

    private final ReadYourWrites writes = new ReadYourWrites();

    @Test
    void untilThePrimarysStartingPositionIsKnownNoReplicaHasReplayedFarEnough() {
        assertThat(writes.started()).isFalse();
        assertThat(writes.required("acme")).isEqualTo(Long.MAX_VALUE);
        writes.written("acme", 100);
        assertThat(writes.required("acme")).as("a write seen does not lower the bar").isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void aTenantNeedsItsHighestWriteAndNoLessThanTheStartingPosition() {
        writes.startingFrom(500);
        assertThat(writes.started()).isTrue();
        assertThat(writes.required("acme")).isEqualTo(500);

        writes.written("acme", 400);
        assertThat(writes.required("acme")).as("acknowledged before this instance started reading").isEqualTo(500);
        writes.written("acme", 900);
        writes.written("acme", 700);
        assertThat(writes.required("acme")).as("outcomes arrive out of order across partitions: the highest counts").isEqualTo(900);
    }

    @Test
    void oneTenantsWritesDoNotHoldBackAnothersReads() {
        writes.startingFrom(500);
        writes.written("acme", 900);
        assertThat(writes.required("globex")).isEqualTo(500);
    }
}
