package dev.scimflow.audit.recording;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.scimflow.events.Actor;
import dev.scimflow.events.EventCodec;
import dev.scimflow.events.EventType;
import dev.scimflow.events.ResourceType;
import dev.scimflow.events.ScimEvent;

class ScimEventDecoderTest {

    @Test
    void anEncodedEventDecodesToItself() {
        var event = new ScimEvent(UUID.randomUUID(), UUID.randomUUID(), "acme", ResourceType.USER, "u1",
                EventType.DELETED, 3, null, null, new Actor("t", "c"), "r", Instant.parse("2026-01-01T00:00:00Z"),
                Instant.parse("2026-01-01T00:00:01Z"), ScimEvent.SCHEMA_VERSION);
        assertThat(ScimEventDecoder.decode(EventCodec.encode(event))).isEqualTo(event);
    }

    @Test
    void aDeleteOfAnInactiveUserIsNeitherDeactivationNorReactivationAfterDecoding() {
        var deleted = new ScimEvent(UUID.randomUUID(), UUID.randomUUID(), "acme", ResourceType.USER, "u1",
                EventType.DELETED, 3, EventCodec.mapper().readTree("{\"active\":false}"), null, null, null, null, null,
                ScimEvent.SCHEMA_VERSION);
        var decoded = ScimEventDecoder.decode(EventCodec.encode(deleted));
        assertThat(decoded.after()).isNull();
        assertThat(decoded.deactivates()).isFalse();
        assertThat(decoded.reactivates()).isFalse();
    }

    @Test
    void bytesThatAreNotJsonAreUndecodable() {
        assertThatThrownBy(() -> ScimEventDecoder.decode("not json {".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(UndecodableEvent.class);
        assertThatThrownBy(() -> ScimEventDecoder.decode(null)).isInstanceOf(UndecodableEvent.class);
        assertThatThrownBy(() -> ScimEventDecoder.decode(new byte[0])).isInstanceOf(UndecodableEvent.class);
    }

    @Test
    void jsonWithoutTheEnvelopeTheLogIsKeyedByIsUndecodable() {
        assertThatThrownBy(() -> ScimEventDecoder.decode("""
                {"tenant":"acme","resourceType":"USER","resourceId":"u1","type":"DELETED","version":1,"schemaVersion":1}"""
                .getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(UndecodableEvent.class).hasMessageContaining("eventId");
        assertThatThrownBy(() -> ScimEventDecoder.decode("""
                {"eventId":"%s","tenant":"acme","resourceType":"ROBOT","resourceId":"u1","type":"DELETED"}"""
                .formatted(UUID.randomUUID()).getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(UndecodableEvent.class);
        assertThatThrownBy(() -> ScimEventDecoder.decode("[1,2]".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(UndecodableEvent.class);
    }
}
