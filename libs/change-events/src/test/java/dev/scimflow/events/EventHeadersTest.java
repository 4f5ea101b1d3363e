package dev.scimflow.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.UUID;

import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

import tools.jackson.databind.JsonNode;

class EventHeadersTest {

    private static final JsonNode ACTIVE = EventCodec.mapper().readTree("{\"userName\":\"a\",\"active\":true}");
    private static final JsonNode INACTIVE = EventCodec.mapper().readTree("{\"userName\":\"a\",\"active\":false}");

    @Test
    void aDeactivationAndAReactivationAreNamedInTheirHeaders() {
        assertThat(transition(event(EventType.PATCHED, ACTIVE, INACTIVE))).isEqualTo(EventHeaders.DEACTIVATED);
        assertThat(transition(event(EventType.DELETED, ACTIVE, null))).isEqualTo(EventHeaders.DEACTIVATED);
        assertThat(transition(event(EventType.REPLACED, INACTIVE, ACTIVE))).isEqualTo(EventHeaders.REACTIVATED);
    }

    @Test
    void everyOtherEventCarriesItsTypeButNoTransition() {
        RecordHeaders headers = new RecordHeaders();
        EventHeaders.write(event(EventType.PATCHED, ACTIVE, ACTIVE), headers);

        assertThat(EventHeaders.present(headers)).isTrue();
        assertThat(EventHeaders.activeTransition(headers)).isNull();
        assertThat(new String(headers.lastHeader(EventHeaders.TYPE).value())).isEqualTo("PATCHED");
        assertThat(new String(headers.lastHeader(EventHeaders.RESOURCE_TYPE).value())).isEqualTo("USER");
        assertThat(EventHeaders.present(new RecordHeaders())).isFalse();
    }

    private static String transition(ScimEvent event) {
        RecordHeaders headers = new RecordHeaders();
        EventHeaders.write(event, headers);
        return EventHeaders.activeTransition(headers);
    }

    private static ScimEvent event(EventType type, JsonNode before, JsonNode after) {
        return new ScimEvent(UUID.randomUUID(), UUID.randomUUID(), "acme", ResourceType.USER, "u1", type, 2, before, after,
                new Actor("tok_1", "Okta"), "req", Instant.parse("2026-01-01T00:00:00Z"), Instant.parse("2026-01-01T00:00:01Z"), 1);
    }
}
