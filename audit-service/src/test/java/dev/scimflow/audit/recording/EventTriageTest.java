package dev.scimflow.audit.recording;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import dev.scimflow.events.Actor;
import dev.scimflow.events.EventCodec;
import dev.scimflow.events.EventHeaders;
import dev.scimflow.events.EventType;
import dev.scimflow.events.ResourceType;
import dev.scimflow.events.ScimEvent;
import dev.scimflow.events.Topics;
import tools.jackson.databind.JsonNode;

class EventTriageTest {

    private static final JsonNode ACTIVE = EventCodec.mapper().readTree("{\"userName\":\"ada\",\"active\":true}");
    private static final JsonNode INACTIVE = EventCodec.mapper().readTree("{\"userName\":\"ada\",\"active\":false}");
    private static final byte[] NOT_JSON = "{garbage".getBytes(StandardCharsets.UTF_8);

    @Test
    void aRecordWhoseHeadersNameNoTransitionIsPassedOverWithoutReadingItsValue() {
        ConsumerRecord<String, byte[]> record = record(NOT_JSON);
        EventHeaders.write(event(EventType.PATCHED, ACTIVE, ACTIVE), record.headers());

        assertThat(EventTriage.of(record)).isInstanceOf(EventTriage.NoAccessChange.class);
    }

    @Test
    void aRecordWithoutHeadersIsDecodedAndJudgedByItsEvent() {
        ScimEvent deactivation = event(EventType.PATCHED, ACTIVE, INACTIVE);

        assertThat(EventTriage.of(record(EventCodec.encode(deactivation))))
                .isEqualTo(new EventTriage.AccessChange(DeactivationRecord.of(deactivation).orElseThrow()));
        assertThat(EventTriage.of(record(EventCodec.encode(event(EventType.PATCHED, ACTIVE, ACTIVE)))))
                .isInstanceOf(EventTriage.NoAccessChange.class);
        assertThat(EventTriage.of(record(NOT_JSON))).isInstanceOf(EventTriage.Undecodable.class);
    }

    @Test
    void aRecordWhoseHeadersNameATransitionIsDecodedAndTheEventDecides() {
        ScimEvent reactivation = event(EventType.REPLACED, INACTIVE, ACTIVE);
        ConsumerRecord<String, byte[]> record = record(EventCodec.encode(reactivation));
        EventHeaders.write(reactivation, record.headers());
        assertThat(EventTriage.of(record)).isEqualTo(new EventTriage.AccessChange(DeactivationRecord.of(reactivation).orElseThrow()));

        ConsumerRecord<String, byte[]> claimed = record(NOT_JSON);
        EventHeaders.write(reactivation, claimed.headers());
        assertThat(EventTriage.of(claimed)).as("undecodable whatever its headers say").isInstanceOf(EventTriage.Undecodable.class);

        ConsumerRecord<String, byte[]> misnamed = record(EventCodec.encode(event(EventType.PATCHED, ACTIVE, ACTIVE)));
        EventHeaders.write(reactivation, misnamed.headers());
        assertThat(EventTriage.of(misnamed)).as("a rename is no access change whatever its headers say")
                .isInstanceOf(EventTriage.NoAccessChange.class);
    }

    private static ConsumerRecord<String, byte[]> record(byte[] value) {
        return new ConsumerRecord<>(Topics.EVENTS, 0, 42L, Topics.resourceKey("acme", "u1"), value);
    }

    private static ScimEvent event(EventType type, JsonNode before, JsonNode after) {
        return new ScimEvent(UUID.randomUUID(), UUID.randomUUID(), "acme", ResourceType.USER, "u1", type, 2, before, after,
                new Actor("tok_1", "Okta"), "req-1", Instant.parse("2026-01-01T00:00:00Z"), Instant.parse("2026-01-01T00:00:01Z"),
                ScimEvent.SCHEMA_VERSION);
    }
}
