package dev.scimflow.worker;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

import dev.scimflow.events.Actor;
import dev.scimflow.events.ChangeOperation;
import dev.scimflow.events.EventCodec;
import dev.scimflow.events.EventHeaders;
import dev.scimflow.events.EventType;
import dev.scimflow.events.ResourceType;
import dev.scimflow.events.ScimChange;
import dev.scimflow.events.TraceParent;
import dev.scimflow.store.Outbox;

/** A change's trace context goes with its facts into the outbox row and from there onto the {@code scim.events} record. */
class OutboxTraceParentTest {

    private static final String TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

    @Test
    void everyFactOfATracedChangeCarriesItsTraceparentFromTheOutboxRowToTheRecord() {
        ScimChange traced = change();
        ScimChange untraced = change();
        OutboxEvents facts = new OutboxEvents();
        OutboxEvents.GroupEvents renamed = facts.group(traced, "g-1", 2);
        renamed.attributes(EventType.RENAMED, EventCodec.mapper().readTree("{\"displayName\":\"a\"}"),
                EventCodec.mapper().readTree("{\"displayName\":\"b\"}"));
        renamed.members(EventType.MEMBERS_ADDED, List.of("u-1", "u-2"));
        facts.group(untraced, "g-2", 5).attributes(EventType.DELETED, EventCodec.mapper().readTree("{\"displayName\":\"c\"}"), null);

        List<Outbox.Entry> rows = facts.records(Instant.parse("2026-12-06T22:00:00Z"), Map.of(traced.changeId(), TRACEPARENT));
        // as the outbox stores and reads them back: header names and values alternating, as text
        List<ProducerRecord<String, byte[]>> records = rows.stream()
                .map(row -> new Outbox.Entry(1, row.topic(), row.key(), row.payload(), List.copyOf(row.headers())))
                .map(OutboxRelay::record)
                .toList();

        assertThat(records).hasSize(3);
        assertThat(records.subList(0, 2)).allSatisfy(record -> {
            assertThat(TraceParent.of(record.headers())).isEqualTo(TRACEPARENT);
            assertThat(TraceParent.traceId(record.headers())).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
            assertThat(EventHeaders.present(record.headers())).isTrue();
            assertThat(record.headers().headers(TraceParent.HEADER)).hasSize(1);
        });
        assertThat(new String(records.get(1).headers().lastHeader(EventHeaders.TYPE).value(), StandardCharsets.UTF_8))
                .isEqualTo("MEMBERS_ADDED");
        assertThat(TraceParent.of(records.get(2).headers())).isNull();
        assertThat(EventHeaders.activeTransition(records.get(2).headers())).isNull();
        assertThat(new String(records.get(2).headers().lastHeader(EventHeaders.TYPE).value(), StandardCharsets.UTF_8))
                .isEqualTo("DELETED");
    }

    private static ScimChange change() {
        return new ScimChange(UUID.randomUUID(), "acme", ResourceType.GROUP, "g", ChangeOperation.PATCH, null, null,
                new Actor("tok_test", "test"), "req-1", Instant.parse("2026-12-06T21:59:59Z"), ScimChange.SCHEMA_VERSION);
    }
}
