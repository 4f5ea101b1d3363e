package dev.scimflow.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;

import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

class OutcomeHeadersTest {

    @Test
    void theWorkersHeadersCarryTheTenantTheCommitsPositionAndWhetherTheRequestWasAsynchronous() {
        RecordHeaders headers = new RecordHeaders();
        OutcomeHeaders.write(outcome(true), 4242, headers);

        assertThat(OutcomeHeaders.tenant(headers)).isEqualTo("acme");
        assertThat(OutcomeHeaders.commitLsn(headers)).hasValue(4242);
        assertThat(OutcomeHeaders.respondAsync(headers)).contains(true);
    }

    @Test
    void aSynchronousRequestsOutcomeSaysSoAndOneWithoutHeadersLeavesItUnknown() {
        RecordHeaders headers = new RecordHeaders();
        OutcomeHeaders.writeRespondAsync(outcome(false), headers);

        assertThat(OutcomeHeaders.respondAsync(headers)).contains(false);
        assertThat(OutcomeHeaders.respondAsync(new RecordHeaders())).as("written before the header existed: decode it").isEmpty();
        assertThat(OutcomeHeaders.tenant(new RecordHeaders())).isNull();
    }

    private static ChangeOutcome outcome(boolean respondAsync) {
        return new ChangeOutcome(UUID.randomUUID(), "acme", "u-1", 201, 1, null, null, null, ChangeOperation.CREATE, ResourceType.USER,
                respondAsync);
    }
}
